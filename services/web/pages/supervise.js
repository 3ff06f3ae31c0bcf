// 督查 (supervisors and the committee): the red/yellow/green dashboard per unit with 整改完成率
// and 按期完成率 (ReportService.Statistics, rolled up the org tree), a chart of it, the overdue
// list with aging buckets and escalation levels (ReportService.OverdueReport), the ledger CSV,
// and the drill-down #/supervise/<unit id> → that unit's tasks → #/task/<id>. It refreshes
// itself from the event stream.

import {C} from '../punct.js';
import {call} from '../api.js';
import {label, rate, t} from '../i18n.js';
import {subscribe} from '../live.js';
import {alertBox, clear, empty, h, section, timeText} from '../ui.js';
import {listAllTasks, taskCards} from '../tasklist.js';

const LIGHTS = ['RED', 'YELLOW', 'GREEN'];

// The lights come with the statistics (counts the server keeps per unit and area, rolled up the
// tree like the other counts): the active tasks by their current light.
function lightsOf(counts) {
  const c = counts || {};
  return {RED: c.red || 0, YELLOW: c.yellow || 0, GREEN: c.green || 0};
}

function lightCell(c) {
  return h('span', {class: 'text-nowrap light-counts'},
      LIGHTS.map((l) => h('span', {class: 'me-2', 'data-light': l, title: label.light(l)},
          h('span', {class: `light-dot ${l}`}), String(c ? c[l] : 0))));
}

function summaryCards(stats, lights) {
  const total = stats.total || {counts: {}};
  const c = total.counts || {};
  const tile = (key, value, id, extra) => h('div', {class: 'col-6 col-md-3 col-xl'},
      h('div', {class: `card h-100 ${extra || ''}`},
          h('div', {class: 'card-body p-2'},
              h('div', {class: 'small text-muted'}, t(key)),
              h('div', {class: 'fs-4 fw-semibold', id}, String(value)))));
  return h('div', {class: 'row g-2 mb-3', id: 'summary'},
      tile('total', c.total || 0, 'sum-total'),
      tile('completionRate', rate(total.completionRate), 'sum-completion'),
      tile('onTimeRate', rate(total.onTimeRate), 'sum-ontime'),
      tile('red', lights.RED, 'sum-red', 'border-danger'),
      tile('yellow', lights.YELLOW, 'sum-yellow', 'border-warning'),
      tile('green', lights.GREEN, 'sum-green', 'border-success'),
      tile('overdue', c.overdue || 0, 'sum-overdue'));
}

function unitTable(stats) {
  const rows = stats.rows || [];
  return h('div', {class: 'table-wrap'}, h('table', {class: 'table table-sm align-middle mb-0',
    id: 'dashboard-table'},
  h('thead', {}, h('tr', {},
      h('th', {}, t('unit')), h('th', {}, `${t('red')}/${t('yellow')}/${t('green')}`),
      h('th', {class: 'text-end hide-sm'}, t('total')),
      h('th', {class: 'text-end'}, t('closed')),
      h('th', {class: 'text-end hide-sm'}, t('submitted')),
      h('th', {class: 'text-end hide-sm'}, t('overdue')),
      h('th', {class: 'text-end'}, t('completionRate')),
      h('th', {class: 'text-end'}, t('onTimeRate')))),
  h('tbody', {}, rows.map((row) => {
    const c = row.counts || {};
    const id = String(row.unitId);
    return h('tr', {'data-unit-id': id},
        h('td', {class: `unit-depth-${Math.min(3, row.depth || 0)}`},
            h('a', {href: `#/supervise/${id}`, class: 'unit-link'}, row.unitName)),
        h('td', {}, lightCell(lightsOf(c))),
        h('td', {class: 'text-end hide-sm', 'data-col': 'total'}, String(c.total || 0)),
        h('td', {class: 'text-end', 'data-col': 'closed'}, String(c.closed || 0)),
        h('td', {class: 'text-end hide-sm', 'data-col': 'submitted'}, String(c.submitted || 0)),
        h('td', {class: 'text-end hide-sm', 'data-col': 'overdue'}, String(c.overdue || 0)),
        h('td', {class: 'text-end text-nowrap', 'data-col': 'completion'},
            rate(row.completionRate)),
        h('td', {class: 'text-end text-nowrap', 'data-col': 'ontime'}, rate(row.onTimeRate)));
  }))));
}

function overdueView(report) {
  const aging = h('div', {class: 'd-flex flex-wrap gap-2 mb-2', id: 'aging-buckets'},
      (report.aging || []).map((a) => h('span', {class: 'badge text-bg-light border',
        'data-bucket': a.bucket}, `${label.aging(a.bucket)}${C}${a.count}`)));
  if (!report.total) {
    return [h('p', {class: 'small text-muted'}, t('asOf', {d: report.asOf})), aging,
      empty()];
  }
  return [h('p', {class: 'small text-muted'}, t('asOf', {d: report.asOf})), aging,
    h('div', {class: 'table-wrap'}, h('table', {class: 'table table-sm align-middle mb-0',
      id: 'overdue-table'},
    h('thead', {}, h('tr', {},
        h('th', {}, t('measure')), h('th', {class: 'text-end'}, t('daysOverdue')),
        h('th', {class: 'hide-sm'}, t('aging')), h('th', {}, t('escalation')))),
    h('tbody', {}, (report.groups || []).map((g) => [
      h('tr', {class: 'table-light'}, h('th', {colspan: 4}, g.label || g.unitName)),
      (g.items || []).map((item) => h('tr', {'data-task-id': item.task.id},
          h('td', {}, h('a', {href: `#/task/${item.task.id}`}, `#${item.task.id} `),
              item.task.measure),
          h('td', {class: 'text-end'}, String(item.daysOverdue)),
          h('td', {class: 'hide-sm'}, label.aging(item.aging)),
          h('td', {}, label.escalation(item.escalationLevel)))),
    ]))))];
}

// A stacked bar per unit (the scope and the level below it): closed, submitted, under way on
// time, overdue; drawn without animation so that what is shown is final at once.
function drawChart(canvas, stats, previous) {
  if (previous) previous.destroy();
  if (!window.Chart) return null;
  const rows = (stats.rows || []).filter((r) => (r.depth || 0) <= 1);
  const counts = (key) => rows.map((r) => (r.counts || {})[key] || 0);
  return new window.Chart(canvas, {
    type: 'bar',
    data: {
      labels: rows.map((r) => r.unitName),
      datasets: [
        {label: t('closed'), data: counts('closed'), backgroundColor: '#198754'},
        {label: t('submitted'), data: counts('submitted'), backgroundColor: '#0dcaf0'},
        // Overdue tasks are a part of those in progress or ongoing: stacked apart, not twice.
        {label: t('activeOnTime'), data: rows.map((r) => {
          const c = r.counts || {};
          return Math.max(0, (c.inProgress || 0) + (c.ongoing || 0) - (c.overdue || 0));
        }), backgroundColor: '#0d6efd'},
        {label: t('overdue'), data: counts('overdue'), backgroundColor: '#dc3545'},
      ],
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      indexAxis: 'y',
      scales: {
        x: {stacked: true, beginAtZero: true, ticks: {precision: 0}},
        // Long unit names are cut on narrow screens; the table beside has them whole.
        y: {stacked: true, ticks: {callback(value) {
          const name = String(this.getLabelForValue(value));
          const max = window.innerWidth < 576 ? 6 : 16;
          return name.length > max ? `${name.slice(0, max)}…` : name;
        }}},
      },
      plugins: {legend: {position: 'bottom'}},
    },
  });
}

export async function render(root, {principal, params}) {
  const unitId = params[0] || String(principal.unitId);
  const drilled = !!params[0];
  const page = h('div', {id: 'page-supervise', 'data-unit-id': unitId});
  root.appendChild(page);
  const canvas = h('canvas', {id: 'stats-chart'});
  const dashboard = h('div', {id: 'dashboard'}, t('loading'));
  const overdue = h('div', {id: 'overdue'}, t('loading'));
  const tasksBox = h('div', {id: 'unit-tasks'});
  const title = h('h1', {class: 'h4 mb-0 me-auto'}, t('navSupervise'));
  const updated = h('span', {class: 'small text-muted', id: 'dashboard-updated'});
  const csv = `/export/ledger.csv?unit_id=${encodeURIComponent(unitId)}`;
  const xlsx = `/export/ledger.xlsx?unit_id=${encodeURIComponent(unitId)}`;
  page.append(...[
      h('div', {class: 'd-flex flex-wrap align-items-center gap-2 mb-2'}, title, updated,
          h('a', {class: 'btn btn-sm btn-outline-primary', href: csv, id: 'export-csv',
            download: ''}, t('exportCsv')),
          h('a', {class: 'btn btn-sm btn-outline-primary', href: xlsx, id: 'export-xlsx',
            download: ''}, t('exportXlsx'))),
      drilled ? h('div', {class: 'mb-2'}, h('a', {href: '#/supervise'}, `← ${t('back')}`)) : null,
      dashboard,
      section(t('chart'), h('div', {class: 'chart-box'}, canvas)),
      drilled ? section(t('unitTaskList'), tasksBox) : null,
      section(t('overdueList'), overdue)].filter(Boolean));
  let chart = null;

  let loads = 0;  // only the latest load may draw
  const load = async () => {
    const mine = ++loads;
    const [stats, report] = await Promise.all([
      call('ReportService', 'Statistics', {unitId}),
      call('ReportService', 'OverdueReport', {unitId}),
    ]);
    if (mine !== loads) return;
    const scope = lightsOf((stats.total || {}).counts);
    if (drilled) title.textContent = t('unitTasks', {u: stats.scopeName || unitId});
    clear(dashboard).append(summaryCards(stats, scope),
        section(t('dashboard'), unitTable(stats)));
    clear(overdue).append(...overdueView(report));
    chart = drawChart(canvas, stats, chart);
    if (drilled) {
      const tasks = await listAllTasks({unitId});
      if (mine !== loads) return;
      clear(tasksBox).appendChild(taskCards(tasks));
    }
    updated.textContent = t('lastUpdate', {t: timeText(new Date().toISOString())});
    page.dataset.loaded = String(Date.now());
  };
  const unsubscribe = subscribe(() => load().catch(() => {}));
  try {
    await load();
  } catch (error) {
    page.prepend(alertBox('danger', error.text ? error.text() : String(error)));
  }
  return () => {
    unsubscribe();
    if (chart) chart.destroy();
  };
}
