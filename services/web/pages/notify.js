// 通知渠道 (every role, over its subtree): the channels that carry the ledger's notices to work-chat
// group robots (企业微信, 钉钉, 飞书) and mail, with their health; and the state of the deliveries
// (NotifyService.GetNotifyStatus) with a "failed only" view. The committee adds channels, switches
// them on and off, sends a test message and deletes them; other roles only read (the server
// refuses them anyway).
//
// Secrets (the webhook URL with its key, a signing secret, an SMTP password) go in through
// password inputs that are emptied as the request leaves, whatever its answer, so the page never
// keeps them; they never come back: the API returns the address redacted (url_redacted) and only
// whether a secret is set (has_secret).

import {C} from '../punct.js';
import {call, requestId} from '../api.js';
import {currentLang, label, t} from '../i18n.js';
import {subscribe} from '../live.js';
import {alertBox, clear, empty, field, h, onSubmit, section, timeText} from '../ui.js';
import {listAllUnits, unitSelect} from '../tasklist.js';

const KINDS = ['WECOM', 'DINGTALK', 'FEISHU', 'EMAIL'];
const STATE_CLASS = {PENDING: 'text-bg-warning', SENT: 'text-bg-success', FAILED: 'text-bg-danger'};

function errorText(error) {
  return error && error.text ? error.text() : String((error && error.message) || error);
}

function checkbox(labelText, name, input, help) {
  input.classList.add('form-check-input');
  input.name = name;
  return h('div', {class: 'form-check mb-2 field', 'data-field': name},
      input,
      h('label', {class: 'form-check-label', for: input.id}, labelText),
      help ? h('div', {class: 'form-text mt-0'}, help) : null,
      h('div', {class: 'invalid-feedback', 'data-error-for': name}));
}

function channelForm(principal, units, done) {
  const unit = unitSelect(units, principal.unitId);
  unit.id = 'channel-unit';
  const kind = h('select', {id: 'channel-kind'},
      KINDS.map((k) => h('option', {value: k}, label.channelKind(k))));
  const name = h('input', {type: 'text', id: 'channel-name', maxlength: 50});
  // Password inputs: the key is not shown over a shoulder, and "new-password" keeps the
  // browser from filling in or offering to remember it.
  const url = h('input', {type: 'password', id: 'channel-url', autocomplete: 'new-password',
    spellcheck: 'false'});
  const secret = h('input', {type: 'password', id: 'channel-secret',
    autocomplete: 'new-password'});
  const smtpUser = h('input', {type: 'text', id: 'channel-smtp-user', autocomplete: 'off'});
  const mailFrom = h('input', {type: 'email', id: 'channel-mail-from'});
  const mailTo = h('textarea', {rows: 2, id: 'channel-mail-to'});
  const supervision = h('input', {type: 'checkbox', id: 'channel-supervision'});
  const lang = h('select', {id: 'channel-lang'},
      h('option', {value: 'zh', selected: currentLang() !== 'en'}, '中文'),
      h('option', {value: 'en', selected: currentLang() === 'en'}, 'English'));
  const urlField = field(t('webhookUrl'), 'url', url, t('webhookHelp'));
  const secretField = field(t('signSecret'), 'secret', secret, t('signHelp'));
  const mailFields = h('div', {id: 'channel-mail-fields', class: 'row g-2', hidden: true},
      h('div', {class: 'col-12 col-md-4'}, field(t('smtpUser'), 'smtp_user', smtpUser)),
      h('div', {class: 'col-12 col-md-4'}, field(t('mailFrom'), 'mail_from', mailFrom)),
      h('div', {class: 'col-12 col-md-4'}, field(t('mailTo'), 'mail_to', mailTo)));
  // The address and the secret mean different things for mail; the mail fields are for mail only.
  const showKind = () => {
    const mail = kind.value === 'EMAIL';
    mailFields.hidden = !mail;
    urlField.querySelector('label').textContent = mail ? t('smtpUrl') : t('webhookUrl');
    urlField.querySelector('.form-text').textContent = mail ? t('smtpHelp') : t('webhookHelp');
    secretField.querySelector('label').textContent = mail ? t('smtpPassword') : t('signSecret');
    secretField.querySelector('.form-text').textContent =
        mail ? t('smtpPasswordHelp') : t('signHelp');
  };
  kind.addEventListener('change', showKind);
  const result = h('div', {id: 'channel-form-result'});
  const form = h('form', {id: 'channel-form', novalidate: true, autocomplete: 'off'},
      result,
      h('div', {class: 'row g-2'},
          h('div', {class: 'col-12 col-md-4'}, field(t('channelUnit'), 'unit_id', unit)),
          h('div', {class: 'col-12 col-md-4'}, field(t('channelKind'), 'kind', kind)),
          h('div', {class: 'col-12 col-md-4'},
              field(t('channelName'), 'name', name, t('channelNameHelp')))),
      h('div', {class: 'row g-2'},
          h('div', {class: 'col-12 col-md-8'}, urlField),
          h('div', {class: 'col-12 col-md-4'}, secretField)),
      mailFields,
      h('div', {class: 'row g-2 align-items-start'},
          h('div', {class: 'col-12 col-md-8'},
              checkbox(t('supervisionCopy'), 'supervision', supervision, t('supervisionHelp'))),
          h('div', {class: 'col-12 col-md-4'}, field(t('messageLang'), 'lang', lang))),
      h('div', {class: 'form-actions'},
          h('button', {class: 'btn btn-primary', type: 'submit', id: 'channel-submit'},
              t('addChannel'))));
  onSubmit(form, async () => {
    clear(result);
    const mail = kind.value === 'EMAIL';
    const request = {requestId: requestId(), unitId: unit.value || '0', kind: kind.value,
      name: name.value, url: url.value, secret: secret.value, supervision: supervision.checked,
      lang: lang.value};
    if (mail) {
      request.smtpUser = smtpUser.value;
      request.mailFrom = mailFrom.value;
      request.mailTo = mailTo.value.split(/[\s,，;；]+/).filter(Boolean);
    }
    // The secrets leave with the request and are not kept, even when it is refused.
    url.value = '';
    secret.value = '';
    const channel = await call('NotifyService', 'CreateChannel', request);
    name.value = '';
    supervision.checked = false;
    result.appendChild(alertBox('success', t('channelCreated', {n: channel.name})));
    await done();
  });
  return form;
}

function stateBadge(channel) {
  return h('span', {class: `badge ${channel.enabled ? 'text-bg-success' : 'text-bg-secondary'}`},
      channel.enabled ? t('channelOn') : t('channelOff'));
}

function testResult(outcome) {
  if (!outcome) return null;
  if (outcome.busy) {
    return h('div', {class: 'small text-muted test-result', 'data-delivered': ''}, t('testing'));
  }
  const ok = outcome.delivered === true;
  return h('div', {class: `small test-result ${ok ? 'text-success' : 'text-danger'}`,
    'data-delivered': String(ok)},
  ok ? t('delivered') : `${t('notDelivered')}${C}${outcome.detail || ''}`);
}

// One row per channel; `act` holds the committee's row actions, null for read-only roles.
function channelTable(channels, act, outcomes) {
  if (!channels.length) return empty(t('noChannels'));
  return h('div', {class: 'table-wrap'}, h('table', {class: 'table table-sm align-middle mb-0 notify-table',
    id: 'channel-table'},
  h('thead', {}, h('tr', {},
      h('th', {}, t('channelName')), h('th', {}, t('channelKind')),
      h('th', {class: 'hide-sm'}, t('channelUnit')), h('th', {}, t('channelAddress')),
      h('th', {}, t('channelState')), h('th', {class: 'hide-sm'}, t('supervisionCopy')),
      h('th', {class: 'text-end'}, t('failuresInRow')), h('th', {}, t('lastError')),
      h('th', {class: 'hide-sm'}, t('lastSuccess')),
      act ? h('th', {}, t('actions')) : null)),
  h('tbody', {}, channels.map((c) => {
    const id = String(c.id);
    return h('tr', {'data-channel-id': id, 'data-enabled': String(!!c.enabled)},
        h('td', {'data-col': 'name'}, c.name),
        h('td', {class: 'text-nowrap', 'data-col': 'kind', 'data-kind': c.kind},
            label.channelKind(c.kind)),
        h('td', {class: 'hide-sm', 'data-col': 'unit'}, c.unitName),
        h('td', {'data-col': 'url'}, h('span', {class: 'channel-url sha256'}, c.urlRedacted),
            c.hasSecret ? h('span', {class: 'badge text-bg-light border ms-1 has-secret'},
                t('hasSecret')) : null,
            (c.mailTo || []).length ? h('div', {class: 'small text-muted'},
                `${c.mailFrom} → ${c.mailTo.join(', ')}`) : null),
        h('td', {'data-col': 'enabled'}, stateBadge(c)),
        h('td', {class: 'hide-sm', 'data-col': 'supervision'}, c.supervision ? t('yes') : '—'),
        h('td', {class: 'text-end', 'data-col': 'failures'},
            h('span', {class: c.consecutiveFailures ? 'text-danger fw-semibold' : ''},
                String(c.consecutiveFailures || 0))),
        h('td', {class: 'small', 'data-col': 'last-error'}, c.lastError || '—'),
        h('td', {class: 'hide-sm text-nowrap', 'data-col': 'last-success'},
            timeText(c.lastSuccessTime)),
        act ? h('td', {'data-col': 'actions'},
            h('div', {class: 'd-flex flex-wrap gap-1'},
                h('button', {class: 'btn btn-sm btn-outline-secondary', type: 'button',
                  id: `channel-toggle-${id}`, onclick: () => act.toggle(c)},
                c.enabled ? t('disable') : t('enable')),
                h('button', {class: 'btn btn-sm btn-outline-primary', type: 'button',
                  id: `channel-test-${id}`, disabled: !!(outcomes[id] && outcomes[id].busy),
                  onclick: () => act.test(c)}, t('testChannel')),
                h('button', {class: 'btn btn-sm btn-outline-danger', type: 'button',
                  id: `channel-delete-${id}`, onclick: () => act.remove(c)},
                t('deleteChannel'))),
            h('div', {id: `channel-result-${id}`}, testResult(outcomes[id]))) : null);
  }))));
}

function countsTable(statuses) {
  if (!statuses.length) return empty(t('noChannels'));
  return h('div', {class: 'table-wrap'}, h('table', {class: 'table table-sm align-middle mb-3 notify-table',
    id: 'notify-counts'},
  h('thead', {}, h('tr', {},
      h('th', {}, t('channelName')), h('th', {class: 'hide-sm'}, t('channelUnit')),
      h('th', {class: 'text-end'}, t('pending')), h('th', {class: 'text-end'}, t('sent')),
      h('th', {class: 'text-end'}, t('failed')),
      h('th', {class: 'text-end hide-sm'}, t('failuresInRow')))),
  h('tbody', {}, statuses.map((s) => {
    const c = s.channel || {};
    return h('tr', {'data-channel-id': String(c.id)},
        h('td', {}, c.name, c.enabled ? null :
          h('span', {class: 'badge text-bg-secondary ms-1'}, t('channelOff'))),
        h('td', {class: 'hide-sm'}, c.unitName),
        h('td', {class: 'text-end', 'data-col': 'pending'}, String(s.pending || 0)),
        h('td', {class: 'text-end', 'data-col': 'sent'}, String(s.sent || 0)),
        h('td', {class: `text-end${Number(s.failed) ? ' text-danger fw-semibold' : ''}`,
          'data-col': 'failed'}, String(s.failed || 0)),
        h('td', {class: 'text-end hide-sm', 'data-col': 'failures'},
            String(c.consecutiveFailures || 0)));
  }))));
}

function deliveriesTable(deliveries, failedOnly) {
  if (!deliveries.length) return empty(failedOnly ? t('noFailedDeliveries') : t('noDeliveries'));
  return h('div', {class: 'table-wrap'}, h('table', {class: 'table table-sm align-middle mb-0 notify-table',
    id: 'notify-deliveries'},
  h('thead', {}, h('tr', {},
      h('th', {}, t('time')), h('th', {}, t('channels')), h('th', {}, t('topic')),
      h('th', {class: 'hide-sm'}, t('task')), h('th', {}, t('status')),
      h('th', {class: 'text-end hide-sm'}, t('attempts')), h('th', {}, t('lastError')),
      h('th', {class: 'hide-sm'}, t('sentOrNext')))),
  h('tbody', {}, deliveries.map((d) => h('tr', {'data-notice-id': String(d.noticeId),
    'data-channel-id': String(d.channelId), 'data-state': d.state},
  h('td', {class: 'text-nowrap'}, timeText(d.noticeTime)),
  h('td', {}, d.channelName),
  h('td', {class: 'text-nowrap', 'data-topic': d.topic}, label.topic(d.topic)),
  h('td', {class: 'hide-sm'}, d.taskId && d.taskId !== '0' ?
    h('a', {href: `#/task/${d.taskId}`}, `#${d.taskId}`) : '—'),
  h('td', {}, h('span', {class: `badge ${STATE_CLASS[d.state] || 'text-bg-light'}`},
      label.delivery(d.state))),
  h('td', {class: 'text-end hide-sm'}, String(d.attempts || 0)),
  h('td', {class: 'small'}, d.lastError || '—'),
  h('td', {class: 'hide-sm text-nowrap'},
      timeText(d.state === 'PENDING' ? d.nextAttemptTime : d.sentTime)))))));
}

export async function render(root, {principal}) {
  const manage = principal.role === 'COMMITTEE';
  const page = h('div', {id: 'page-notify', 'data-manage': String(manage)});
  root.appendChild(page);
  const message = h('div', {id: 'notify-error'});
  const channelsBox = h('div', {id: 'notify-channels'}, t('loading'));
  const countsBox = h('div', {id: 'notify-status-counts'}, t('loading'));
  const deliveriesBox = h('div', {id: 'notify-status-deliveries'});
  const failedOnly = h('input', {class: 'form-check-input', type: 'checkbox', role: 'switch',
    id: 'deliveries-failed-only'});
  const refresh = h('button', {class: 'btn btn-sm btn-outline-secondary', type: 'button',
    id: 'notify-refresh'}, t('refresh'));
  // The outcome of the latest test per channel id, kept across reloads of the table.
  const outcomes = {};
  let channels = [];
  let channelLoads = 0;  // only the latest load of each part may draw
  let statusLoads = 0;

  const drawChannels = () => {
    clear(channelsBox).appendChild(channelTable(channels, manage ? actions : null, outcomes));
  };
  const loadChannels = async () => {
    const mine = ++channelLoads;
    const list = await call('NotifyService', 'ListChannels', {});
    if (mine !== channelLoads) return;
    channels = list.channels || [];
    drawChannels();
    channelsBox.dataset.loaded = String(Date.now());
  };
  const loadStatus = async () => {
    const mine = ++statusLoads;
    const status = await call('NotifyService', 'GetNotifyStatus',
        {failedOnly: failedOnly.checked});
    if (mine !== statusLoads) return;
    clear(countsBox).appendChild(countsTable(status.channels || []));
    clear(deliveriesBox).appendChild(deliveriesTable(status.deliveries || [], failedOnly.checked));
    deliveriesBox.dataset.failedOnly = String(failedOnly.checked);
    deliveriesBox.dataset.loaded = String(Date.now());
  };
  const reload = () => Promise.all([loadChannels(), loadStatus()]);
  // A row action: its error above the table (the server's message), then fresh tables.
  const run = async (action) => {
    clear(message);
    try {
      await action();
    } catch (error) {
      message.appendChild(alertBox('danger', errorText(error)));
    }
    try {
      await reload();
    } catch (error) {
      message.appendChild(alertBox('danger', errorText(error)));
    }
  };
  const actions = {
    toggle: (c) => run(() => call('NotifyService', 'UpdateChannel', {requestId: requestId(),
      id: c.id, expectedVersion: c.version, updateMask: ['enabled'], enabled: !c.enabled})),
    test: (c) => run(async () => {
      const id = String(c.id);
      outcomes[id] = {busy: true};
      drawChannels();
      try {
        outcomes[id] = await call('NotifyService', 'TestChannel', {id: c.id});
      } catch (error) {
        delete outcomes[id];
        throw error;
      }
    }),
    remove: (c) => {
      if (!window.confirm(t('confirmDelete', {n: c.name}))) return Promise.resolve();
      return run(() => call('NotifyService', 'DeleteChannel', {requestId: requestId(),
        id: c.id}));
    },
  };

  failedOnly.addEventListener('change', () => {
    clear(message);
    loadStatus().catch((error) => message.appendChild(alertBox('danger', errorText(error))));
  });
  refresh.addEventListener('click', () => run(async () => {}));

  const units = manage ? await listAllUnits(principal.unitId) : [];
  // Through h(), which leaves out the form for roles that only read (append() would print "null").
  page.appendChild(h('div', {},
      h('div', {class: 'd-flex flex-wrap align-items-center gap-2 mb-2'},
          h('h1', {class: 'h4 mb-0 me-auto'}, t('navNotify')), refresh),
      message,
      section(t('channels'),
          manage ? null : h('p', {class: 'small text-muted', id: 'notify-read-only'},
              t('readOnlyChannels')),
          channelsBox),
      manage ? section(t('addChannel'), channelForm(principal, units, reload)) : null,
      section(t('deliveryStatus'), countsBox,
          h('div', {class: 'd-flex flex-wrap align-items-center gap-3 mb-2'},
              h('div', {class: 'fw-semibold me-auto'}, t('latestDeliveries')),
              h('div', {class: 'form-check form-switch mb-0'}, failedOnly,
                  h('label', {class: 'form-check-label', for: failedOnly.id},
                      t('failedOnly')))),
          deliveriesBox)));
  // A change of the ledger (an urge, a return, a close-out…) may put a notice in the outbox.
  const unsubscribe = subscribe(() => loadStatus().catch(() => {}));
  try {
    await reload();
  } catch (error) {
    unsubscribe();
    throw error;
  }
  return unsubscribe;
}
