// Evidence files (证明材料) as the pages show them: name, size and sha256.
// Uploads are read in the browser (FileReader → base64, proto JSON's encoding of bytes) and
// checked against the server's default size limit before anything is sent.

import {call, fileToBase64} from './api.js';
import {t} from './i18n.js';
import {h, sizeText} from './ui.js';

// rectifyd's default --max_evidence_mb; the server has the last word (its error names the
// field and lands next to the file input).
export const MAX_EVIDENCE_MB = 4;
export const MAX_EVIDENCE_FILES = 10;

// The files of task `taskId`, each with a download link (LedgerService/GetEvidence: the bytes
// come as base64 in the JSON and are handed to the browser as a Blob, so the session cookie and
// the task's reach apply as to any other call).
export function evidenceList(files, taskId) {
  if (!files || !files.length) return null;
  return h('ul', {class: 'list-unstyled mb-0 evidence-list'}, files.map((e) =>
    h('li', {class: 'mb-1', 'data-evidence-id': e.id},
        h('span', {class: 'evidence-name fw-semibold'}, e.fileName),
        ` · ${sizeText(e.sizeBytes)} `,
        taskId ? h('a', {href: '#', class: 'evidence-download ms-1',
          onclick: (ev) => { ev.preventDefault(); download(taskId, e); }}, t('download')) : null,
        h('div', {class: 'sha256', title: 'SHA-256'}, `sha256 ${e.sha256}`))));
}

async function download(taskId, e) {
  const file = await call('LedgerService', 'GetEvidence', {taskId, evidenceId: e.id});
  const binary = atob(file.content || '');
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const url = URL.createObjectURL(new Blob([bytes], {type: file.mediaType || 'application/octet-stream'}));
  const link = h('a', {href: url, download: file.fileName});
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
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
