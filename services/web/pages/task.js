// One task (#/task/<id>): its state, the actions the signed-in role may take on it in its
// current status, and its whole history (GetTaskHistory): events with the reasons of returns and
// the notes of urges, progress reports with their evidence, extension requests and decisions.

import {C, LP, RP} from '../punct.js';
import {call, requestId} from '../api.js';
import {label, t} from '../i18n.js';
import {RESYNC, subscribe} from '../live.js';
import {evidenceList, MAX_EVIDENCE_MB, readEvidence} from '../evidence.js';
import {alertBox, busy, clear, empty, field, h, lightBadge, onSubmit, progressBar, section,
  statusBadge, timeText} from '../ui.js';

const ACTIVE = ['OPEN', 'IN_PROGRESS', 'SUBMITTED', 'ONGOING'];

function submitButton(text, kind, id) {
  return h('div', {class: 'form-actions'},
      h('button', {class: `btn btn-${kind || 'primary'}`, type: 'submit', id}, text));
}

function progressForm(task, reload) {
  const text = h('textarea', {rows: 3, id: 'progress-text'});
  const percent = h('input', {type: 'number', min: 0, max: 100, step: 1, id: 'progress-percent',
    value: task.progressPercent || 0});
  const files = h('input', {type: 'file', multiple: true, id: 'progress-files'});
  const form = h('form', {id: 'progress-form', novalidate: true},
      field(t('progressText'), 'text', text),
      field(t('percent'), 'percent', percent),
      field(t('evidence'), 'evidence', files, t('evidenceLimit', {mb: MAX_EVIDENCE_MB})),
      submitButton(t('submitReport'), 'primary', 'progress-submit'));
  onSubmit(form, async () => {
    const evidence = await readEvidence(files);
    await call('LedgerService', 'ReportProgress', {
      requestId: requestId(), id: task.id, expectedVersion: task.version,
      text: text.value, percent: percent.value === '' ? -1 : Number(percent.value), evidence,
    });
    await reload();
  });
  return section(t('reportProgress'), form);
}

function submitForm(task, reload) {
  const summary = h('textarea', {rows: 3, id: 'submit-summary'});
  const form = h('form', {id: 'submit-form', novalidate: true},
      field(t('summary'), 'summary', summary),
      submitButton(t('submitTask'), 'success', 'submit-submit'));
  onSubmit(form, async () => {
    await call('LedgerService', 'SubmitTask', {requestId: requestId(), id: task.id,
      expectedVersion: task.version, summary: summary.value});
    await reload();
  });
  return section(t('submitTask'), form);
}

function extensionForm(task, reload) {
  const date = h('input', {type: 'date', id: 'extension-date'});
  const reason = h('textarea', {rows: 2, id: 'extension-reason'});
  const form = h('form', {id: 'extension-form', novalidate: true},
      field(t('requestedDeadline'), 'requested_deadline', date),
      field(t('reason'), 'reason', reason),
      submitButton(t('requestExtension'), 'outline-primary', 'extension-submit'));
  onSubmit(form, async () => {
    await call('LedgerService', 'RequestExtension', {requestId: requestId(), id: task.id,
      expectedVersion: task.version, requestedDeadline: date.value, reason: reason.value});
    await reload();
  });
  return section(t('requestExtension'), form);
}

// 销号 and 退回, side by side; also used by the committee's queue.
export function verifyForms(task, done) {
  const note = h('textarea', {rows: 2, id: `accept-note-${task.id}`});
  const accept = h('form', {id: `accept-form-${task.id}`, class: 'accept-form', novalidate: true},
      field(t('acceptNote'), 'note', note),
      submitButton(t('accept'), 'success', `accept-submit-${task.id}`));
  onSubmit(accept, async () => {
    await call('LedgerService', 'AcceptTask', {requestId: requestId(), id: task.id,
      expectedVersion: task.version, note: note.value});
    await done();
  });
  const reason = h('textarea', {rows: 2, id: `return-reason-${task.id}`});
  const ret = h('form', {id: `return-form-${task.id}`, class: 'return-form', novalidate: true},
      field(t('returnReason'), 'reason', reason),
      submitButton(t('returnTask'), 'outline-danger', `return-submit-${task.id}`));
  onSubmit(ret, async () => {
    await call('LedgerService', 'ReturnTask', {requestId: requestId(), id: task.id,
      expectedVersion: task.version, reason: reason.value});
    await done();
  });
  return h('div', {class: 'row g-3'}, h('div', {class: 'col-12 col-md-6'}, accept),
      h('div', {class: 'col-12 col-md-6'}, ret));
}

export function decideForm(extension, done) {
  const note = h('textarea', {rows: 2, id: `decide-note-${extension.id}`});
  const form = h('form', {id: `decide-form-${extension.id}`, class: 'decide-form',
    novalidate: true},
  h('p', {class: 'mb-1'}, `${extension.oldDeadline || '—'} → ${extension.requestedDeadline}`),
  h('p', {class: 'mb-2 small'}, `${t('reason')}${C}${extension.reason}${LP}${extension.requestedBy}${RP}`),
  field(t('decisionNote'), 'note', note),
  h('div', {class: 'form-actions d-flex gap-2'},
      h('button', {class: 'btn btn-success', type: 'submit', value: 'approve',
        id: `decide-approve-${extension.id}`}, t('approve')),
      h('button', {class: 'btn btn-outline-danger', type: 'submit', value: 'deny',
        id: `decide-deny-${extension.id}`}, t('deny'))));
  onSubmit(form, async (f, submitter) => {
    await call('LedgerService', 'DecideExtension', {requestId: requestId(),
      extensionId: extension.id, approve: !submitter || submitter.value === 'approve',
      note: note.value});
    await done();
  });
  return form;
}

function urgeForm(task, reload) {
  const note = h('textarea', {rows: 2, id: 'urge-note'});
  const form = h('form', {id: 'urge-form', novalidate: true},
      field(t('urgeNote'), 'note', note),
      submitButton(t('urge'), 'warning', 'urge-submit'));
  onSubmit(form, async () => {
    await call('LedgerService', 'UrgeTask', {requestId: requestId(), id: task.id,
      note: note.value});
    note.value = '';
    await reload();
  });
  return section(t('urge'), form);
}

function eventItem(e) {
  const isReturn = e.kind === 'EVENT_TRANSITION' && e.fromStatus === 'SUBMITTED' &&
      e.toStatus === 'IN_PROGRESS';
  let title = label.event(e.kind);
  if (e.kind === 'EVENT_TRANSITION') {
    title = `${label.status(e.fromStatus)} → ${label.status(e.toStatus)}`;
    if (isReturn) title = `${t('returnTask')}${C}${title}`;
  }
  return h('li', {class: `kind-${isReturn ? 'return' : e.kind}`, 'data-kind': e.kind,
    'data-seq': e.seq},
  h('div', {class: 'when'},
      `${timeText(e.eventTime)} · ${e.actor === 'system' ? t('systemActor') : e.actor}`),
  h('div', {class: 'fw-semibold'}, title),
  e.detail ? h('div', {class: 'event-detail'}, e.detail) : null);
}

function historyView(history) {
  const events = history.events || [];
  const reports = history.progress || [];
  const extensions = history.extensions || [];
  return [
    section(t('reports'), reports.length ? h('ul', {class: 'timeline', id: 'task-reports'},
        reports.slice().reverse().map((r) => h('li', {'data-report-id': r.id},
            h('div', {class: 'when'}, `${timeText(r.reportTime)} · ${r.reporter} · ${r.percent}%`),
            h('div', {}, r.text), evidenceList(r.evidence, history.task.id)))) : empty()),
    section(t('extensions'), extensions.length ? h('ul', {class: 'timeline', id: 'task-extensions'},
        extensions.slice().reverse().map((x) => h('li', {'data-extension-id': x.id},
            h('div', {class: 'when'}, `${timeText(x.requestTime)} · ${x.requestedBy}`),
            h('div', {}, `${x.oldDeadline || '—'} → ${x.requestedDeadline} · ` +
                `${label.extension(x.state)}`),
            h('div', {class: 'small'}, `${t('reason')}${C}${x.reason}`),
            x.decisionNote ? h('div', {class: 'small'},
                `${t('decisionNote')}${C}${x.decisionNote}${LP}${x.decidedBy}${RP}`) : null))) : empty()),
    section(t('history'), h('ul', {class: 'timeline', id: 'task-events'},
        events.slice().reverse().map(eventItem))),
  ];
}

export async function render(root, {principal, params}) {
  const id = params[0];
  const page = h('div', {id: 'page-task', 'data-task-id': id});
  root.appendChild(page);
  // force: the person's own action (or the first load); otherwise a live refresh, which waits
  // while a form holds unsent input.
  // Only the latest load may draw: an older answer arriving late would undo a newer one.
  let loads = 0;
  const load = async (force) => {
    const mine = ++loads;
    const history = await call('LedgerService', 'GetTaskHistory', {id});
    if (mine !== loads || (!force && busy(page))) return;
    const reload = () => load(true);
    const task = history.task;
    const problem = history.problem || {};
    const role = principal.role;
    const own = String(task.ownerUnitId) === String(principal.unitId);
    const pendingExtension = (history.extensions || []).find(
        (x) => x.state === 'EXTENSION_PENDING');
    const actions = [];
    if (role === 'BRANCH' || (role === 'COMMITTEE' && own)) {
      if (!task.draft && ['OPEN', 'IN_PROGRESS', 'ONGOING'].includes(task.status)) {
        actions.push(progressForm(task, reload));
      }
      if (['IN_PROGRESS', 'ONGOING'].includes(task.status)) actions.push(submitForm(task, reload));
      if (!task.draft && task.deadline && ['OPEN', 'IN_PROGRESS'].includes(task.status) &&
          !pendingExtension) {
        actions.push(extensionForm(task, reload));
      }
    }
    if (role === 'COMMITTEE') {
      if (task.status === 'SUBMITTED') {
        actions.push(section(`${t('navVerify')}`, verifyForms(task, reload)));
      }
      if (pendingExtension) {
        actions.push(section(t('pendingExtensions'), decideForm(pendingExtension, reload)));
      }
    }
    if ((role === 'COMMITTEE' || role === 'SUPERVISOR') && ACTIVE.includes(task.status)) {
      actions.push(urgeForm(task, reload));
    }
    clear(page).append(
        h('div', {class: 'mb-2'}, h('a', {href: 'javascript:history.back()'}, `← ${t('back')}`)),
        h('div', {class: 'card mb-3', id: 'task-summary', 'data-status': task.status,
          'data-light': task.light || 'NONE'},
        h('div', {class: 'card-body'},
            h('div', {class: 'd-flex flex-wrap gap-1 align-items-center mb-2'},
                lightBadge(task), statusBadge(task),
                task.overdue ? h('span', {class: 'badge text-bg-danger'}, t('overdue')) : null,
                task.escalationLevel ? h('span', {class: 'badge text-bg-warning'},
                    label.escalation(task.escalationLevel)) : null,
                h('span', {class: 'ms-auto small text-muted'}, `#${task.id}`)),
            h('h1', {class: 'h5'}, task.measure),
            problem.text ? h('p', {class: 'small mb-2'},
                `${t('problem')}${LP}${problem.area}${RP}${C}${problem.text}`) : null,
            h('dl', {class: 'row small mb-2'},
                h('dt', {class: 'col-5 col-sm-3'}, t('ownerUnit')),
                h('dd', {class: 'col-7 col-sm-9'}, task.ownerUnitName),
                h('dt', {class: 'col-5 col-sm-3'}, t('ownerPerson')),
                h('dd', {class: 'col-7 col-sm-9'}, task.ownerPerson || '—'),
                h('dt', {class: 'col-5 col-sm-3'}, t('leader')),
                h('dd', {class: 'col-7 col-sm-9'}, task.leader || '—'),
                h('dt', {class: 'col-5 col-sm-3'}, t('deadline')),
                h('dd', {class: 'col-7 col-sm-9', id: 'task-deadline'}, task.deadline ||
                    (task.cadenceDays ? `${t('cadence')} ${task.cadenceDays}` : '—')),
                task.statusNote ? h('dt', {class: 'col-5 col-sm-3'}, t('statusNote')) : null,
                task.statusNote ? h('dd', {class: 'col-7 col-sm-9', id: 'task-status-note'},
                    task.statusNote) : null),
            progressBar(task.progressPercent))),
        ...actions,
        ...historyView(history));
    page.dataset.version = task.version;
  };
  const unsubscribe = subscribe((events) => {
    if (events.some((e) => e.kind === RESYNC || String(e.taskId) === String(id)) && !busy(page)) {
      load(false).catch(() => {});
    }
  });
  try {
    await load(true);
  } catch (error) {
    unsubscribe();
    page.appendChild(alertBox('danger', error.text ? error.text() : String(error)));
    return null;
  }
  return unsubscribe;
}
