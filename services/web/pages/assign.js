// 任务分派 (committee): create a task for a problem of a review; import a review document
// (paste or pick a UTF-8 text file) with a preview of what it would create (ImportService
// .PreviewImport changes nothing), then import it; and assign the draft tasks (草稿) an owner
// unit, a person and a deadline, which makes them ordinary tasks.

import {C} from '../punct.js';
import {call, requestId, textToBase64} from '../api.js';
import {t} from '../i18n.js';
import {subscribe} from '../live.js';
import {alertBox, busy, clear, empty, field, h, onSubmit, section} from '../ui.js';
import {listAllTasks, listAllUnits, unitSelect} from '../tasklist.js';

function createTaskForm(principal, units, reviews, done) {
  const review = h('select', {id: 'create-review'},
      h('option', {value: ''}, t('chooseReview')),
      reviews.map((r) => h('option', {value: r.id}, `#${r.id} ${r.title}`)));
  const problem = h('select', {id: 'create-problem'}, h('option', {value: ''}, t('chooseProblem')));
  review.addEventListener('change', async () => {
    clear(problem).appendChild(h('option', {value: ''}, t('chooseProblem')));
    if (!review.value) return;
    const list = await call('LedgerService', 'ListProblems', {reviewId: review.value,
      pageSize: 1000});
    for (const p of list.problems || []) {
      problem.appendChild(h('option', {value: p.id}, `${p.seq}. ${p.text.slice(0, 60)}`));
    }
  });
  const measure = h('textarea', {rows: 2, id: 'create-measure'});
  const owner = unitSelect(units);
  owner.id = 'create-owner-unit';
  const person = h('input', {type: 'text', id: 'create-owner-person'});
  const leader = h('input', {type: 'text', id: 'create-leader'});
  const deadline = h('input', {type: 'date', id: 'create-deadline'});
  const form = h('form', {id: 'create-task-form', novalidate: true},
      h('div', {class: 'row g-2'},
          h('div', {class: 'col-12 col-md-6'}, field(t('review'), 'review_id', review)),
          h('div', {class: 'col-12 col-md-6'}, field(t('problem'), 'problem_id', problem))),
      field(t('measure'), 'measure', measure),
      h('div', {class: 'row g-2'},
          h('div', {class: 'col-12 col-md-6'}, field(t('ownerUnit'), 'owner_unit_id', owner)),
          h('div', {class: 'col-12 col-md-6'}, field(t('deadline'), 'deadline', deadline)),
          h('div', {class: 'col-12 col-md-6'}, field(t('ownerPerson'), 'owner_person', person)),
          h('div', {class: 'col-12 col-md-6'}, field(t('leader'), 'leader', leader))),
      h('div', {class: 'form-actions'},
          h('button', {class: 'btn btn-primary', type: 'submit', id: 'create-submit'},
              t('create'))));
  onSubmit(form, async () => {
    const task = await call('LedgerService', 'CreateTask', {requestId: requestId(),
      problemId: problem.value || '0', measure: measure.value,
      ownerUnitId: owner.value || '0', ownerPerson: person.value, leader: leader.value,
      deadline: deadline.value});
    measure.value = '';
    form.prepend(alertBox('success', `${t('saved')}${C}#${task.id}`));
    await done();
  });
  return form;
}

function previewView(preview) {
  return h('div', {id: 'import-preview', class: 'mt-3'},
      h('p', {class: 'fw-semibold mb-1'}, preview.suggestedTitle),
      h('p', {class: 'small text-muted'},
          `${t('problem')}${C}${preview.problemCount} · sha256 `,
          h('span', {class: 'sha256'}, preview.documentSha256)),
      (preview.warnings || []).length ? h('div', {class: 'alert alert-warning py-2 small'},
          h('div', {class: 'fw-semibold'}, t('warnings')),
          h('ul', {class: 'mb-0'}, preview.warnings.map((w) => h('li', {}, w)))) : null,
      (preview.areas || []).map((area) => h('div', {class: 'mb-2'},
          h('div', {class: 'fw-semibold'}, area.name),
          h('ol', {class: 'mb-1 small'}, (area.problems || []).map((p) =>
            h('li', {value: p.number}, p.text,
                p.measureNumber ? h('span', {class: 'text-muted'},
                    ` → ${t('measures')} ${p.measureNumber}`) : null))))),
      (preview.measures || []).length ? h('div', {class: 'mb-2'},
          h('div', {class: 'fw-semibold'}, t('measures')),
          h('ol', {class: 'small mb-0'}, preview.measures.map((m) =>
            h('li', {value: m.number}, m.text)))) : null);
}

function importForm(principal, units, done) {
  const doc = h('textarea', {rows: 8, id: 'import-document'});
  const file = h('input', {type: 'file', accept: '.txt,.md,text/plain', id: 'import-file'});
  const fileName = h('input', {type: 'text', id: 'import-file-name'});
  const unit = unitSelect(units, principal.unitId);
  unit.id = 'import-unit';
  file.addEventListener('change', async () => {
    const f = file.files[0];
    if (!f) return;
    doc.value = await f.text();
    fileName.value = f.name;
  });
  const result = h('div', {id: 'import-result'});
  const form = h('form', {id: 'import-form', novalidate: true},
      field(t('importDoc'), 'document', doc),
      field(t('importFile'), 'file', file),
      h('div', {class: 'row g-2'},
          h('div', {class: 'col-12 col-md-6'}, field(t('fileName'), 'file_name', fileName)),
          h('div', {class: 'col-12 col-md-6'}, field(t('importUnit'), 'unit_id', unit))),
      h('div', {class: 'form-actions d-flex gap-2'},
          h('button', {class: 'btn btn-outline-primary', type: 'submit', value: 'preview',
            id: 'import-preview-button'}, t('preview')),
          h('button', {class: 'btn btn-primary', type: 'submit', value: 'import',
            id: 'import-button'}, t('doImport'))),
      result);
  onSubmit(form, async (f, submitter) => {
    clear(result);
    const document = textToBase64(doc.value);
    if (!submitter || submitter.value === 'preview') {
      const preview = await call('ImportService', 'PreviewImport', {document,
        fileName: fileName.value, unitId: unit.value || '0'});
      result.appendChild(previewView(preview));
      return;
    }
    const imported = await call('ImportService', 'ImportReview', {requestId: requestId(),
      document, fileName: fileName.value, unitId: unit.value || '0'});
    result.appendChild(alertBox('success', t('imported',
        {id: imported.review.id, n: imported.problemCount})));
    await done();
  });
  return form;
}

function draftRow(task, units, done) {
  const owner = unitSelect(units, task.ownerUnitId);
  const person = h('input', {type: 'text', value: task.ownerPerson || ''});
  const leader = h('input', {type: 'text', value: task.leader || ''});
  const deadline = h('input', {type: 'date'});
  const form = h('form', {class: 'border rounded p-2 mb-2 draft-form', novalidate: true,
    'data-task-id': task.id, id: `assign-form-${task.id}`},
  h('div', {class: 'small fw-semibold mb-1'}, `#${task.id} ${task.measure}`),
  h('div', {class: 'row g-2'},
      h('div', {class: 'col-12 col-md-3'}, field(t('ownerUnit'), 'owner_unit_id', owner)),
      h('div', {class: 'col-6 col-md-3'}, field(t('ownerPerson'), 'owner_person', person)),
      h('div', {class: 'col-6 col-md-3'}, field(t('leader'), 'leader', leader)),
      h('div', {class: 'col-12 col-md-3'}, field(t('deadline'), 'deadline', deadline))),
  h('div', {class: 'form-actions'},
      h('button', {class: 'btn btn-sm btn-primary', type: 'submit'}, t('assign'))));
  onSubmit(form, async () => {
    await call('ImportService', 'AssignTask', {requestId: requestId(), id: task.id,
      expectedVersion: task.version, ownerUnitId: owner.value || '0',
      ownerPerson: person.value, leader: leader.value, deadline: deadline.value});
    await done();
  });
  return form;
}

export async function render(root, {principal}) {
  const [units, reviews] = await Promise.all([
    listAllUnits(principal.unitId),
    call('LedgerService', 'ListReviews', {unitId: String(principal.unitId), pageSize: 200}),
  ]);
  const drafts = h('div', {id: 'drafts'}, t('loading'));
  let loads = 0;  // only the latest load may draw
  const loadDrafts = async (force) => {
    const mine = ++loads;
    const open = await listAllTasks({unitId: String(principal.unitId), statuses: ['OPEN']});
    if (mine !== loads || (!force && busy(drafts))) return;
    const list = open.filter((task) => task.draft);
    clear(drafts).appendChild(list.length ?
      h('div', {}, list.map((task) => draftRow(task, units, () => loadDrafts(true)))) :
      empty(t('noDrafts')));
  };
  root.appendChild(h('div', {id: 'page-assign'},
      h('h1', {class: 'h4'}, t('navAssign')),
      section(t('createTask'), createTaskForm(principal, units, reviews.reviews || [],
          async () => {})),
      section(t('importTitle'), importForm(principal, units, () => loadDrafts(true))),
      section(t('drafts'), drafts)));
  const unsubscribe = subscribe((events) => {
    if (events.some((e) => e.taskId && e.taskId !== '0') && !busy(drafts)) {
      loadDrafts().catch(() => {});
    }
  });
  try {
    await loadDrafts(true);
  } catch (error) {
    unsubscribe();
    throw error;
  }
  return unsubscribe;
}
