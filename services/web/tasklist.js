// Task cards as 我的任务, the drill-down and the queues show them: light, status, deadline,
// progress, the latest note, and the reason of the last return when there is one. A card links
// to the task's own page (#/task/<id>) with its whole history.

import {C} from './punct.js';
import {call} from './api.js';
import {t} from './i18n.js';
import {empty, h, lightBadge, progressBar, statusBadge} from './ui.js';

export function taskCard(task, extra) {
  const id = String(task.id);
  return h('div', {class: 'card mb-2 task-card', 'data-task-id': id, 'data-status': task.status,
    'data-light': task.light || 'NONE'},
  h('div', {class: 'card-body p-2 p-sm-3'},
      h('div', {class: 'd-flex flex-wrap gap-1 align-items-center mb-1'},
          lightBadge(task), statusBadge(task),
          task.overdue ? h('span', {class: 'badge bg-white text-danger border border-danger'},
              t('overdue')) : null,
          task.draft ? h('span', {class: 'badge text-bg-secondary'}, t('draft')) : null,
          h('span', {class: 'ms-auto small text-muted'}, `#${id}`)),
      h('a', {class: 'measure d-block mb-1 link-dark', href: `#/task/${id}`}, task.measure),
      h('div', {class: 'meta mb-1'},
          `${t('ownerUnit')}${C}${task.ownerUnitName || '—'} · ${t('ownerPerson')}${C}` +
          `${task.ownerPerson || '—'} · ${t('deadline')}${C}` +
          `${task.deadline || (task.cadenceDays ? `${t('cadence')} ${task.cadenceDays}` : '—')}`),
      progressBar(task.progressPercent),
      task.latestProgress ? h('div', {class: 'meta mt-1'},
          `${t('latestProgress')}${C}${task.latestProgress}`) : null,
      task.statusNote ? h('div', {class: 'small mt-1 status-note'},
          `${t('statusNote')}${C}${task.statusNote}`) : null,
      extra || null));
}

export function taskCards(tasks) {
  if (!tasks.length) return empty(t('noTasks'));
  return h('div', {class: 'task-list'}, tasks.map((task) => taskCard(task)));
}

// Every task matching the request, following next_page_token up to `limit` tasks.
export async function listAllTasks(request, limit = 2000) {
  const tasks = [];
  let pageToken = '';
  do {
    const page = await call('LedgerService', 'ListTasks',
        {...request, pageSize: 500, pageToken});
    tasks.push(...(page.tasks || []));
    pageToken = page.nextPageToken || '';
  } while (pageToken && tasks.length < limit);
  return tasks;
}

export async function listAllUnits(subtreeOf) {
  const units = [];
  let pageToken = '';
  do {
    const page = await call('OrgService', 'ListUnits',
        {subtreeOf: String(subtreeOf || 0), pageSize: 1000, pageToken});
    units.push(...(page.units || []));
    pageToken = page.nextPageToken || '';
  } while (pageToken);
  return units;
}

// A <select> of units, indented by depth.
export function unitSelect(units, selected) {
  return h('select', {},
      h('option', {value: ''}, t('chooseUnit')),
      units.map((u) => h('option', {value: u.id, selected: String(u.id) === String(selected)},
          `${'\u3000'.repeat(u.depth || 0)}${u.name}`)));
}
