// Patron sign-in (SSO) settings: "Sign in with Clever", "Allow log-in with ClassLink", the apps' client
// IDs and write-only secrets, and the redirect URIs to copy into each provider's app settings.

import * as api from '../api.js';
import { h, fill, badge, field, setFieldError, section, notify } from '../ui.js';

const GROUPS = [
  {
    provider: 'clever',
    title: 'Sign in with Clever',
    toggle: ['cleverEnabled', 'Sign in with Clever', 'Patrons sign in with Clever (the Clever Portal and Instant Login links work too).'],
    fields: [
      ['cleverClientId', 'Client ID', 'The client ID of your Clever app.'],
      ['cleverClientSecret', 'Client secret', null],
      ['cleverOauthUrl', 'Clever OAuth URL', 'Leave empty for https://clever.com.'],
      ['cleverApiUrl', 'Clever API URL', 'Leave empty for https://api.clever.com.'],
    ],
  },
  {
    provider: 'classlink',
    title: 'Sign in with ClassLink',
    toggle: ['classlinkAllow', 'Allow log-in with ClassLink', 'Patrons sign in with ClassLink (from LaunchPad too).'],
    fields: [
      ['classlinkClientId', 'Client ID', 'The client ID of your ClassLink SSO app.'],
      ['classlinkClientSecret', 'Client secret', null],
      ['classlinkLaunchpadUrl', 'LaunchPad URL', 'Leave empty for https://launchpad.classlink.com.'],
      ['classlinkInfoUrl', 'User-info URL', 'Leave empty for https://nodeapi.classlink.com.'],
    ],
  },
];

const isSecret = (key) => key.endsWith('ClientSecret');

export async function signInSettings(ctx) {
  const settings = await api.get('/api/settings/sso');
  const fields = {};
  const toggles = {};
  const status = h('div', { class: 'form-status', id: 'sso-status', attrs: { 'aria-live': 'polite' } });

  const input = (key, type) => {
    const secret = isSecret(key);
    const isSet = secret && settings[key] && settings[key].set;
    return h('input', {
      id: 'sso-' + key, name: key, type: secret ? 'password' : type, spellcheck: false,
      autocomplete: secret ? 'new-password' : 'off',
      value: !secret && settings[key] !== undefined && settings[key] !== null ? String(settings[key]) : '',
      placeholder: secret ? (isSet ? 'stored — leave blank to keep it' : 'not set') : '',
    });
  };
  const publicUrl = field('Public URL', input('publicUrl', 'url'),
    'How patrons\u2019 browsers reach this server, e.g. https://library.example.org. Empty: the address you use now.');
  fields.publicUrl = publicUrl;

  const groups = GROUPS.map((g) => {
    const [key, label, hint] = g.toggle;
    const box = h('input', { type: 'checkbox', id: 'sso-' + key, checked: String(settings[key]) === 'true' });
    toggles[key] = box;
    const rows = g.fields.map(([k, l, fh]) => {
      const f = field(l, input(k, k.endsWith('Url') ? 'url' : 'text'), isSecret(k) ? 'Write-only: it is stored encrypted and never shown again.' : fh);
      fields[k] = f;
      return f.row;
    });
    const redirect = (settings.redirectUris || {})[g.provider] || '';
    return section(g.title,
      h('label', { class: 'check' }, box, ' ', label),
      h('p', { class: 'hint' }, hint),
      h('div', { class: 'field' },
        h('label', { for: 'sso-redirect-' + g.provider }, 'Redirect URI (copy it into the app\u2019s settings at ' + (g.provider === 'clever' ? 'Clever' : 'ClassLink') + ')'),
        h('input', { id: 'sso-redirect-' + g.provider, type: 'text', value: redirect, class: 'mono', attrs: { readonly: 'readonly' } })),
      rows);
  });

  const save = h('button', { type: 'submit', class: 'btn btn-primary', id: 'sso-save' }, 'Save');
  const form = h('form', { class: 'settings', id: 'sso-form', attrs: { 'aria-label': 'Patron sign-in settings', novalidate: true }, on: {
    submit: async (event) => {
      event.preventDefault();
      Object.values(fields).forEach((f) => setFieldError(f, null));
      const body = {};
      for (const [key, box] of Object.entries(toggles)) {
        body[key] = box.checked;
      }
      for (const [key, f] of Object.entries(fields)) {
        const v = f.input.value.trim();
        if (!isSecret(key) || v) {
          body[key] = v; // a blank secret keeps the stored one
        }
      }
      fill(status, 'Saving…');
      save.disabled = true;
      try {
        await api.put('/api/settings/sso', body);
        notify('Patron sign-in settings saved.', 'ok');
        ctx.reload();
      } catch (e) {
        if (e.status === 401) {
          return;
        }
        if (e.field && fields[e.field]) {
          setFieldError(fields[e.field], e.message);
          fields[e.field].input.focus();
        }
        fill(status, badge('error'), ' Not saved: ', e.message);
      } finally {
        save.disabled = false;
      }
    },
  } }, section('Where patrons sign in',
    h('p', null, 'Patrons sign in at ', h('a', { href: '/sso/', id: 'sso-page' }, '/sso/'), ' and see their own record.'),
    publicUrl.row), groups, h('div', { class: 'toolbar' }, save), status);
  return h('div', null, h('h1', null, 'Patron sign-in'), form);
}
