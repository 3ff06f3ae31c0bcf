// Evidence files (证明材料) as the pages show them: name, size and sha256.
// Uploads are read in the browser (FileReader → base64, proto JSON's encoding of bytes) and
// checked against the server's default size limit before anything is sent.

import {fileToBase64} from './api.js';
import {t} from './i18n.js';
import {h, sizeText} from './ui.js';

// rectifyd's default --max_evidence_mb; the server has the last word (its error names the
// field and lands next to the file input).
export const MAX_EVIDENCE_MB = 4;
export const MAX_EVIDENCE_FILES = 10;

export function evidenceList(files) {
  if (!files || !files.length) return null;
  return h('ul', {class: 'list-unstyled mb-0 evidence-list'}, files.map((e) =>
    h('li', {class: 'mb-1', 'data-evidence-id': e.id},
        // No download link yet: the API has no call that returns a stored file's content.
        h('span', {class: 'evidence-name fw-semibold'}, e.fileName),
        ` · ${sizeText(e.sizeBytes)} `,
        h('div', {class: 'sha256', title: 'SHA-256'}, `sha256 ${e.sha256}`))));
}

// The files of an <input type=file> as Evidence messages; throws an error naming the field
// "evidence" when one is too big or there are too many.
export async function readEvidence(input) {
  const files = Array.from(input.files || []);
  if (files.length > MAX_EVIDENCE_FILES) {
    throw Object.assign(new Error(t('tooManyFiles')), {field: 'evidence'});
  }
  const out = [];
  for (const file of files) {
    if (file.size > MAX_EVIDENCE_MB * 1024 * 1024) {
      throw Object.assign(new Error(t('fileTooBig', {f: file.name, mb: MAX_EVIDENCE_MB})),
          {field: 'evidence'});
    }
    out.push({fileName: file.name, mediaType: file.type || '', content: await fileToBase64(file)});
  }
  return out;
}
