// 待验收 (committee): the queue of submitted tasks with their completion summary and evidence,
// each with 销号 and 退回; and the extension requests waiting for a decision. Creating tasks and
// importing review documents are on #/assign.

import {C} from '../punct.js';
import {call} from '../api.js';
import {t} from '../i18n.js';
import {RESYNC, subscribe} from '../live.js';
import {evidenceList} from '../evidence.js';
import {busy, clear, empty, h, section} from '../ui.js';
import {listAllTasks, taskCard} from '../tasklist.js';
import {decideForm, verifyForms} from './task.js';

function queueItem(history, reload) {
  const task = history.task;
  const reports = history.progress || [];
  const evidence = reports.flatMap((r) => r.evidence || []);
  const latest = reports[reports.length - 1];
  return taskCard(task, h('div', {class: 'mt-2'},
      latest ? h('div', {class: 'small mb-1'}, `${t('reportProgress')}${C}${latest.text}`) : null,
      evidence.length ? h('div', {class: 'mb-2'},
          h('div', {class: 'small fw-semibold'}, t('evidence')), evidenceList(evidence, task.id)) : null,
      verifyForms(task, reload)));
}

export async function render(root, {principal}) {
  const queue = h('div', {id: 'verify-queue'}, t('loading'));
  const extensions = h('div', {id: 'verify-extensions'}, t('loading'));
  root.appendChild(h('div', {id: 'page-verify'},
      h('h1', {class: 'h4'}, t('navVerify')),
      section(t('queue'), queue),
      section(t('pendingExtensions'), extensions)));

  // force: the person's own action or the first load; a live refresh waits while a form of
  // the queue holds unsent input.
  // Only the latest load of each part may draw: an older answer arriving late would undo it.
  let queueLoads = 0;
  let extensionLoads = 0;
  const loadQueue = async (force) => {
    const mine = ++queueLoads;
    const tasks = await listAllTasks({unitId: String(principal.unitId), statuses: ['SUBMITTED']});
    const histories = await Promise.all(
        tasks.map((task) => call('LedgerService', 'GetTaskHistory', {id: task.id})));
    if (mine !== queueLoads || (!force && busy(queue))) return;
    clear(queue).appendChild(histories.length ?
      h('div', {}, histories.map((hist) => queueItem(hist, () => loadQueue(true)))) :
      empty(t('queueEmpty')));
    queue.dataset.loaded = String(Date.now());
  };
  const loadExtensions = async (force) => {
    const mine = ++extensionLoads;
    const tasks = await listAllTasks({unitId: String(principal.unitId), extensionPending: true});
    const histories = await Promise.all(tasks.map((task) =>
      call('LedgerService', 'GetTaskHistory', {id: task.id}).catch(() => null)));
    if (mine !== extensionLoads || (!force && busy(extensions))) return;
    const items = [];
    for (const hist of histories) {
      const pending = hist && (hist.extensions || []).find((x) => x.state === 'EXTENSION_PENDING');
      if (!pending) continue;
      items.push(h('div', {class: 'border rounded p-2 mb-2', 'data-task-id': hist.task.id},
          h('a', {href: `#/task/${hist.task.id}`, class: 'fw-semibold d-block mb-1'},
              `#${hist.task.id} ${hist.task.measure}`),
          h('div', {class: 'small text-muted mb-1'}, hist.task.ownerUnitName),
          decideForm(pending, () => loadExtensions(true))));
    }
    clear(extensions).appendChild(items.length ? h('div', {}, items) : empty());
  };
  // Subscribed before the first load: a change may come while the queue is loading.
  const unsubscribe = subscribe((events) => {
    const resync = events.some((e) => e.kind === RESYNC);
    if ((resync || events.some((e) => e.kind === 'EVENT_TRANSITION' ||
        e.kind === 'EVENT_PROGRESS')) && !busy(queue)) {
      loadQueue().catch(() => {});
    }
    if ((resync || events.some((e) => e.kind.startsWith('EVENT_EXTENSION'))) &&
        !busy(extensions)) {
      loadExtensions().catch(() => {});
    }
  });
  try {
    await Promise.all([loadQueue(true), loadExtensions(true)]);
  } catch (error) {
    unsubscribe();
    throw error;
  }
  return unsubscribe;
}
