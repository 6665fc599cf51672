// Provider settings (Clever, ClassLink; secrets are write-only) and the one-integration switch.

import * as api from '../api.js';
import { h, fill, badge, button, field, setFieldError, section, act, notify, showError, number, providerName } from '../ui.js';

const FORMS = {
  clever: {
    title: 'Clever',
    fields: [
      ['district', 'District ID or Instant Login URL', 'The 24-character district ID, or the Instant Login link from the Clever dashboard (the ID is taken from it).'],
      ['clientId', 'Client ID', null],
      ['clientSecret', 'Client secret', null],
    ],
  },
  classlink: {
    title: 'ClassLink',
    fields: [
      ['tenantId', 'Tenant ID', 'Your ClassLink tenant (district) ID.'],
      ['rosterServerUrl', 'Roster server URL', 'The OneRoster base URL from ClassLink Roster Server, e.g. https://…oneroster.com/ims/oneroster/v1p1'],
      ['clientId', 'Client ID', null],
      ['clientSecret', 'Client secret', null],
    ],
  },
};

const SECRET = 'clientSecret';

function settingsForm(provider, settings, unavailable) {
  const spec = FORMS[provider];
  const fields = {};
  const status = h('div', { class: 'form-status', id: provider + '-status', attrs: { 'aria-live': 'polite' } });
  const rows = spec.fields.map(([key, label, hint]) => {
    const secret = key === SECRET;
    const value = settings && !secret && settings[key] !== undefined && settings[key] !== null ? String(settings[key]) : '';
    const isSet = secret && settings && settings[key] && typeof settings[key] === 'object' && settings[key].set;
    const input = h('input', {
      id: provider + '-' + key,
      name: key,
      type: secret ? 'password' : (key === 'rosterServerUrl' ? 'url' : 'text'),
      value,
      autocomplete: secret ? 'new-password' : 'off',
      spellcheck: false,
      placeholder: secret ? (isSet ? 'stored — leave blank to keep it' : 'not set') : '',
    });
    const f = field(label, input, secret ? 'Write-only: it is stored encrypted and never shown again.' : hint);
    fields[key] = f;
    return f.row;
  });
  const save = h('button', { type: 'submit', class: 'btn btn-primary', id: provider + '-save', disabled: !!unavailable }, 'Save and check');
  const form = h('form', { class: 'settings', id: provider + '-form', attrs: { 'aria-label': spec.title + ' settings', novalidate: true }, on: {
    submit: async (event) => {
      event.preventDefault();
      Object.values(fields).forEach((f) => setFieldError(f, null));
      const body = {};
      for (const [key, f] of Object.entries(fields)) {
        const v = f.input.value.trim();
        if (key === SECRET) {
          if (v) {
            body[key] = v; // blank keeps the stored secret
          }
        } else {
          body[key] = v;
        }
      }
      fill(status, 'Saving…');
      save.disabled = true;
      try {
        const answer = await api.put('/api/settings/' + provider, body);
        fields[SECRET].input.value = '';
        const saved = (answer && answer.settings) || {};
        if (saved[SECRET] && saved[SECRET].set) {
          fields[SECRET].input.placeholder = 'stored — leave blank to keep it';
        }
        const check = answer && answer.check;
        fill(status, 'Saved. ', check
          ? [h('span', { id: provider + '-check' }, badge(check.ok ? 'ok' : 'failed'), ' Connection check: ', check.message || (check.ok ? 'OK' : 'failed'))]
          : 'No connection check was made.');
        notify(spec.title + ' settings saved.', 'ok');
      } catch (e) {
        if (e.status === 401) {
          return;
        }
        if (e.field && fields[e.field]) {
          setFieldError(fields[e.field], e.message);
          fields[e.field].input.focus();
          fill(status, badge('error'), ' Not saved: see ', spec.fields.find(([k]) => k === e.field)[1], '.');
        } else {
          fill(status, badge('error'), ' Not saved: ', e.message);
        }
      } finally {
        save.disabled = false;
      }
    },
  } }, rows, h('div', { class: 'toolbar' }, save), status);
  return form;
}

/** The confirm step of the switch: shows what will be cleared; Begin is only possible after typing it. */
function confirmSwitch(ctx, provider, plan) {
  const typed = h('input', { id: 'switch-confirm-input', type: 'text', autocomplete: 'off', spellcheck: false });
  const begin = h('button', { type: 'submit', class: 'btn btn-danger', id: 'switch-begin', disabled: true }, 'Begin');
  const cancel = button('Cancel', () => dialog.close(), { id: 'switch-cancel' });
  const status = h('p', { class: 'form-status', attrs: { role: 'alert' } });
  typed.addEventListener('input', () => {
    begin.disabled = typed.value.trim() !== 'Begin';
  });
  const dialog = h('dialog', { class: 'confirm', id: 'switch-dialog', attrs: { 'aria-labelledby': 'switch-title' } },
    h('form', { attrs: { novalidate: true }, on: { submit: async (event) => {
      event.preventDefault();
      if (typed.value.trim() !== 'Begin') {
        return;
      }
      begin.disabled = true;
      try {
        const done = await api.post('/api/integration/begin', { provider, confirm: 'Begin' });
        dialog.close();
        notify(done && done.message ? done.message : providerName(provider) + ' is now the integration in use.', 'ok');
        ctx.reload();
      } catch (e) {
        status.textContent = e.message;
        begin.disabled = false;
      }
    } } },
    h('h2', { id: 'switch-title' }, 'Enable ' + providerName(provider) + '?'),
    h('p', null, plan.from
      ? 'This disables ' + providerName(plan.from) + ' and clears its identifiers, then initializes ' + providerName(provider) + ':'
      : 'This initializes ' + providerName(provider) + ':'),
    h('ul', { id: 'switch-plan' },
      h('li', null, number(plan.patronIds || 0) + ' patron GUIDs will be cleared (patrons are kept)'),
      h('li', null, number(plan.siteMappings || 0) + ' site mappings will be cleared (sites are kept)'),
      h('li', null, number(plan.stateValues || 0) + ' stored cursors and tokens will be cleared')),
    plan.message ? h('p', { class: 'op-message' }, plan.message) : null,
    h('div', { class: 'field' }, h('label', { for: 'switch-confirm-input' }, 'Type Begin to confirm'), typed),
    status,
    h('div', { class: 'toolbar' }, begin, cancel)));
  dialog.addEventListener('close', () => dialog.remove());
  document.body.appendChild(dialog);
  dialog.showModal();
  typed.focus();
}

export async function providers(ctx) {
  let integration = null;
  try {
    integration = await api.get('/api/integration');
  } catch (e) {
    showError('Reading the integration in use', e);
  }
  const selected = integration ? integration.selected : null;
  const load = async (p) => {
    try {
      return { settings: await api.get('/api/settings/' + p) };
    } catch (e) {
      if (e.status === 401) {
        throw e;
      }
      return { error: e };
    }
  };
  const [clever, classlink] = await Promise.all([load('clever'), load('classlink')]);

  const panel = (provider, loaded) => {
    const inUse = selected === provider;
    const enable = inUse ? null : button('Enable ' + providerName(provider), (event) => act(event.currentTarget, 'Planning the switch to ' + providerName(provider), async () => {
      const plan = await api.post('/api/integration/plan', { provider });
      confirmSwitch(ctx, provider, plan);
    }), { id: 'enable-' + provider, class: 'btn' });
    return h('section', { class: 'panel provider', id: 'provider-' + provider },
      h('div', { class: 'panel-head' },
        h('h2', null, providerName(provider)),
        inUse ? badge('in use') : badge('not in use', 'muted'),
        enable),
      loaded.error ? h('p', { class: 'form-status' }, badge('error'), ' The settings cannot be read: ', loaded.error.message) : null,
      settingsForm(provider, loaded.settings, !!loaded.error));
  };

  return h('div', null,
    h('h1', null, 'Provider settings'),
    h('p', { class: 'lead' }, 'One integration is in use at a time: ',
      h('strong', { id: 'integration-selected' }, selected ? providerName(selected) : 'none selected'),
      !selected && integration && (integration.connectors || []).length === 1
        ? ' (the only configured connector, ' + providerName(integration.connectors[0].provider) + ', is used)' : null, '. ',
      'Saving checks the connection with the provider. Enabling the other provider asks for confirmation and clears the identifiers of the current one.'),
    h('div', { class: 'two-col' }, panel('clever', clever), panel('classlink', classlink)));
}
