// The console's entry point: the session (signed in or not, and as whom), the navigation the
// role can use, the hash router (#/signin, #/tasks, #/verify, #/assign, #/supervise, #/notify,
// #/task/<id>) and the language switch. What a page shows comes from the API, which enforces the role's reach; the
// navigation only hides what the role cannot use.

import {loadSession, setUnauthenticatedHandler, signOut} from './api.js';
import {currentLang, label, setLang, t} from './i18n.js';
import {onLiveStatus, resetLive, startLive} from './live.js';
import {alertBox, clear, h} from './ui.js';
import * as signinPage from './pages/signin.js';
import * as tasksPage from './pages/tasks.js';
import * as verifyPage from './pages/verify.js';
import * as supervisePage from './pages/supervise.js';
import * as taskPage from './pages/task.js';
import * as assignPage from './pages/assign.js';
import * as notifyPage from './pages/notify.js';

const app = document.getElementById('app');

export const session = {principal: null};

// route -> [page, nav label key, roles that see it in the navigation]
const ROUTES = {
  tasks: [tasksPage, 'navTasks', ['BRANCH']],
  verify: [verifyPage, 'navVerify', ['COMMITTEE']],
  assign: [assignPage, 'navAssign', ['COMMITTEE']],
  supervise: [supervisePage, 'navSupervise', ['COMMITTEE', 'SUPERVISOR']],
  notify: [notifyPage, 'navNotify', ['COMMITTEE', 'SUPERVISOR', 'BRANCH']],
};

function homeRoute(role) {
  if (role === 'BRANCH') return 'tasks';
  if (role === 'COMMITTEE') return 'verify';
  return 'supervise';
}

let cleanup = null;
// Each render gets a number; a page whose render finishes after a newer one started (a quick
// second click, sign-in changing the hash) is dropped instead of showing twice.
let generation = 0;

function renderChrome() {
  document.getElementById('brand').textContent = t('appName');
  document.getElementById('lang-switch').textContent = currentLang() === 'en' ? '中文' : 'English';
  const signoutButton = document.getElementById('signout');
  signoutButton.textContent = t('signout');
  const principal = session.principal;
  signoutButton.hidden = !principal;
  document.getElementById('whoami').textContent = principal ?
    t('signedInAs', {n: principal.name, u: principal.unitName, r: label.role(principal.role)}) :
    '';
  const links = clear(document.getElementById('nav-links'));
  if (!principal) return;
  const current = location.hash.replace(/^#\/?/, '').split('/')[0];
  for (const [route, [, key, roles]] of Object.entries(ROUTES)) {
    if (!roles.includes(principal.role)) continue;
    links.appendChild(h('li', {class: 'nav-item'},
        h('a', {class: `nav-link${current === route ? ' active' : ''}`, href: `#/${route}`,
          id: `nav-${route}`}, t(key))));
  }
}

async function render() {
  const mine = ++generation;
  if (cleanup) {
    cleanup();
    cleanup = null;
  }
  document.getElementById('nav-menu').classList.remove('show');
  const parts = location.hash.replace(/^#\/?/, '').split('/');
  const principal = session.principal;
  renderChrome();
  clear(app);
  const view = h('div', {class: 'view'});
  app.appendChild(view);
  const settle = (done) => {
    if (mine === generation) {
      cleanup = done || null;
    } else {
      if (done) done();
      view.remove();
    }
  };
  if (!principal) {
    if (parts[0] !== 'signin') {
      location.replace('#/signin');
      return;
    }
    settle(signinPage.render(view, {onSignedIn}));
    return;
  }
  const route = parts[0];
  if (!route || route === 'signin') {
    location.replace(`#/${homeRoute(principal.role)}`);
    return;
  }
  const ctx = {principal, params: parts.slice(1)};
  try {
    if (route === 'task' && parts[1]) {
      settle(await taskPage.render(view, ctx));
    } else if (ROUTES[route]) {
      settle(await ROUTES[route][0].render(view, ctx));
    } else {
      view.appendChild(alertBox('warning', t('notFound')));
    }
  } catch (error) {
    if (mine === generation) {
      view.appendChild(alertBox('danger', error.text ? error.text() : String(error)));
    }
  }
}

function onSignedIn(sessionBody) {
  session.principal = sessionBody.principal;
  if (sessionBody.lang && !localStorage.getItem('rectify.lang')) setLang(sessionBody.lang);
  resetLive();
  startLive(session.principal.unitId);
  const home = `#/${homeRoute(session.principal.role)}`;
  if (location.hash === home) {
    render();
  } else {
    location.hash = home;  // hashchange renders
  }
}

function wire() {
  document.getElementById('lang-switch').addEventListener('click', () => {
    setLang(currentLang() === 'en' ? 'zh' : 'en');
    render();
  });
  document.getElementById('signout').addEventListener('click', async () => {
    try {
      await signOut();
    } finally {
      session.principal = null;
      resetLive();
      if (location.hash === '#/signin') {
        render();
      } else {
        location.hash = '#/signin';
      }
    }
  });
  document.getElementById('nav-toggle').addEventListener('click', () => {
    const menu = document.getElementById('nav-menu');
    menu.classList.toggle('show');
    document.getElementById('nav-toggle').setAttribute('aria-expanded',
        String(menu.classList.contains('show')));
  });
  const liveBadge = document.getElementById('live-status');
  onLiveStatus((up) => {
    liveBadge.hidden = false;
    liveBadge.className = `badge ${up ? 'text-bg-success' : 'text-bg-warning'}`;
    liveBadge.textContent = up ? t('live') : t('offline');
    liveBadge.dataset.live = up ? 'up' : 'down';
  });
  setUnauthenticatedHandler(() => {
    if (!session.principal) return;
    session.principal = null;
    resetLive();
    location.hash = '#/signin';
    sessionStorage.setItem('rectify.expired', '1');
  });
  window.addEventListener('hashchange', render);
}

async function main() {
  setLang(currentLang());
  wire();
  try {
    const existing = await loadSession();
    if (existing) {
      session.principal = existing.principal;
      startLive(session.principal.unitId);
    }
  } catch (error) {
    app.appendChild(alertBox('danger', error.text ? error.text() : String(error)));
  }
  document.body.dataset.ready = '1';
  render();
}

main();
