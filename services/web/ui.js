// Small DOM helpers shared by the pages: an element builder that never parses HTML (text from
// the ledger is always inserted as text), badges for statuses and lights, and forms that show the
// API's field errors next to the field they name.

import {ApiError} from './api.js';
import {t, label} from './i18n.js';

// h('div', {class: 'x', onclick: fn}, 'text', child, [more children]).
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (value === true) {
      el.setAttribute(key, '');
    } else {
      el.setAttribute(key, String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) {
      append(el, child);
    } else if (child instanceof Node) {
      el.appendChild(child);
    } else {
      el.appendChild(document.createTextNode(String(child)));
    }
  }
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

const LIGHT_CLASS = {RED: 'text-bg-danger', YELLOW: 'text-bg-warning', GREEN: 'text-bg-success'};
const STATUS_CLASS = {
  OPEN: 'text-bg-secondary',
  IN_PROGRESS: 'text-bg-primary',
  SUBMITTED: 'text-bg-info',
  CLOSED: 'text-bg-dark',
  ONGOING: 'text-bg-light border',
  CANCELLED: 'text-bg-light border text-decoration-line-through',
};

// The scheduler's light; closed and cancelled tasks have none.
export function lightBadge(task) {
  const light = task.light;
  if (!LIGHT_CLASS[light] || task.status === 'CLOSED' || task.status === 'CANCELLED') {
    return h('span', {class: 'badge light-badge text-bg-light border', 'data-light': 'NONE'}, '—');
  }
  return h('span', {class: `badge light-badge ${LIGHT_CLASS[light]}`, 'data-light': light},
      label.light(light));
}

export function statusBadge(task) {
  return h('span', {class: `badge status-badge ${STATUS_CLASS[task.status] || ''}`,
    'data-status': task.status}, label.status(task.status));
}

export function progressBar(percent) {
  const p = Math.max(0, Math.min(100, Number(percent) || 0));
  return h('div', {class: 'progress', role: 'progressbar', 'aria-valuenow': p,
    'aria-valuemin': 0, 'aria-valuemax': 100, title: `${p}%`},
  h('div', {class: 'progress-bar', style: `width: ${p}%`}, `${p}%`));
}

export function timeText(ts) {
  if (!ts) return '—';
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return ts;
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
      `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function sizeText(bytes) {
  const n = Number(bytes) || 0;
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

export function alertBox(kind, text) {
  return h('div', {class: `alert alert-${kind} py-2`, role: 'alert'}, text);
}

// A labelled input; `name` is the request's proto field name (snake_case), which is also what
// the API names in its errors, so that the error lands next to this field.
export function field(labelText, name, input, help) {
  input.classList.add(input.tagName === 'SELECT' ? 'form-select' : 'form-control');
  input.name = name;
  if (!input.id) input.id = `f-${name}-${Math.random().toString(36).slice(2, 8)}`;
  return h('div', {class: 'mb-2 field', 'data-field': name},
      h('label', {class: 'form-label', for: input.id}, labelText),
      input,
      help ? h('div', {class: 'form-text'}, help) : null,
      h('div', {class: 'invalid-feedback', 'data-error-for': name}));
}

function snake(name) {
  return String(name).replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

export function clearErrors(form) {
  for (const el of form.querySelectorAll('.is-invalid')) el.classList.remove('is-invalid');
  for (const el of form.querySelectorAll('.invalid-feedback')) el.textContent = '';
  const top = form.querySelector('.form-error');
  if (top) top.remove();
}

// Shows an error next to the field it names ("evidence.content" falls back to "evidence"), or
// above the buttons when it names none of the form's fields.
export function showError(form, error) {
  const text = error instanceof ApiError ? error.text() : String(error.message || error);
  const name = error.field ? snake(error.field) : '';
  const candidates = name ? [name, name.split(/[.[]/)[0]] : [];
  for (const candidate of candidates) {
    const box = form.querySelector(`.field[data-field="${CSS.escape(candidate)}"]`);
    if (!box) continue;
    const input = box.querySelector('input, textarea, select');
    if (input) input.classList.add('is-invalid');
    const feedback = box.querySelector('.invalid-feedback');
    feedback.textContent = text;
    feedback.classList.add('d-block');
    if (input) input.focus();
    return;
  }
  const actions = form.querySelector('.form-actions') || form.lastElementChild;
  form.insertBefore(h('div', {class: 'alert alert-danger py-2 form-error', role: 'alert'}, text),
      actions);
}

// Wires a form: on submit, clears old errors, disables its buttons, runs `action(form)`, and
// shows an ApiError next to its field. `action` returns normally on success.
export function onSubmit(form, action) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    for (const el of form.querySelectorAll('.invalid-feedback')) el.classList.remove('d-block');
    const buttons = form.querySelectorAll('button');
    buttons.forEach((b) => (b.disabled = true));
    try {
      await action(form, event.submitter);
    } catch (error) {
      showError(form, error);
    } finally {
      buttons.forEach((b) => (b.disabled = false));
    }
  });
}

export function section(title, ...children) {
  return h('section', {class: 'card mb-3'},
      h('div', {class: 'card-header fw-semibold'}, title),
      h('div', {class: 'card-body'}, ...children));
}

export function empty(text) {
  return h('p', {class: 'text-muted mb-0'}, text || t('none'));
}

// True while a form inside `el` holds input not yet sent (a value other than the one the page
// put there): a live refresh then leaves the page alone, so that someone else's change does not
// throw away what the person wrote. Their own submission refreshes it.
export function busy(el) {
  for (const c of el.querySelectorAll('input, textarea, select')) {
    if (c.type === 'file') {
      if (c.files && c.files.length) return true;
    } else if (c.tagName === 'SELECT') {
      const chosen = Array.from(c.options).findIndex((o) => o.defaultSelected);
      if (c.selectedIndex !== (chosen < 0 ? 0 : chosen)) return true;
    } else if (c.value !== c.defaultValue) {
      return true;
    }
  }
  return false;
}
