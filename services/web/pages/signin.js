// Sign-in: the person pastes their API token once; the server answers with a session cookie and
// a CSRF token kept in memory. The token itself is never stored by the page.

import {signIn} from '../api.js';
import {t} from '../i18n.js';
import {alertBox, field, h, onSubmit} from '../ui.js';

export function render(root, {onSignedIn}) {
  const token = h('textarea', {rows: 2, id: 'signin-token', autocomplete: 'off',
    spellcheck: 'false', placeholder: 'rfy_…'});
  const form = h('form', {id: 'signin-form', class: 'card-body', novalidate: true},
      field(t('tokenLabel'), 'token', token, t('tokenHelp')),
      h('div', {class: 'form-actions'},
          h('button', {class: 'btn btn-primary w-100', type: 'submit', id: 'signin-submit'},
              t('signin'))));
  const box = h('div', {class: 'card signin-box', id: 'page-signin'},
      h('div', {class: 'card-header fw-semibold'}, `${t('appName')} · ${t('signin')}`), form);
  if (sessionStorage.getItem('rectify.expired')) {
    sessionStorage.removeItem('rectify.expired');
    form.prepend(alertBox('warning', t('sessionExpired')));
  }
  root.appendChild(box);
  onSubmit(form, async () => {
    let session;
    try {
      session = await signIn(token.value.trim());
    } catch (error) {
      // A refused token is about the one field there is.
      if (!error.field) error.field = 'token';
      throw error;
    }
    token.value = '';
    onSignedIn(session);
  });
  token.focus();
}
