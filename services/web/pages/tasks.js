// 我的任务: a branch's tasks (its subtree, as the API scopes it) with light, deadline and
// progress, newest state live from the event stream. Acting on a task happens on its page.

import {t} from '../i18n.js';
import {subscribe} from '../live.js';
import {clear, h} from '../ui.js';
import {listAllTasks, taskCards} from '../tasklist.js';

export async function render(root, {principal}) {
  const list = h('div', {id: 'tasks-list'}, t('loading'));
  const filter = h('select', {class: 'form-select form-select-sm w-auto', id: 'tasks-filter'},
      h('option', {value: 'all'}, t('allTasks')),
      h('option', {value: 'active'}, t('activeTasks')));
  root.appendChild(h('div', {id: 'page-tasks'},
      h('div', {class: 'd-flex flex-wrap align-items-center gap-2 mb-2'},
          h('h1', {class: 'h4 mb-0 me-auto'}, t('navTasks')), filter),
      list));
  let loads = 0;  // only the latest load may draw
  const load = async () => {
    const mine = ++loads;
    const statuses = filter.value === 'active' ?
      ['OPEN', 'IN_PROGRESS', 'SUBMITTED', 'ONGOING'] : [];
    const tasks = await listAllTasks({unitId: String(principal.unitId), statuses});
    if (mine !== loads) return;
    clear(list).appendChild(taskCards(tasks));
    list.dataset.loaded = String(Date.now());
  };
  filter.addEventListener('change', load);
  // Subscribed before the first load, so that a change made meanwhile is not missed.
  const unsubscribe = subscribe((events) => {
    if (events.some((e) => e.taskId && e.taskId !== '0')) load().catch(() => {});
  });
  try {
    await load();
  } catch (error) {
    unsubscribe();
    throw error;
  }
  return unsubscribe;
}
