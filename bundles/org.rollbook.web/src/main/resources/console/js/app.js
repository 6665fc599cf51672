// The console shell: session (sign-in, sign-out, a lost session sends you back), the navigation and
// a hash router that renders one page at a time into #view.

import * as api from './api.js';
import { h, fill, bindMessages, notify, clearMessages, showError, field } from './ui.js';
import { dashboard } from './pages/dashboard.js';
import { providers } from './pages/providers.js';
import { sites } from './pages/sites.js';
import { syncSettings } from './pages/sync.js';
import { operations, operationDetail, disputes } from './pages/operations.js';
import { patrons, patronDetail } from './pages/patrons.js';
import { connectors } from './pages/connectors.js';
import { signInSettings } from './pages/signin.js';

const ROUTES = [
  [/^\/?$/, 'dashboard', dashboard],
  [/^\/providers$/, 'providers', providers],
  [/^\/sites$/, 'sites', sites],
  [/^\/sync$/, 'sync', syncSettings],
  [/^\/operations$/, 'operations', operations],
  [/^\/operations\/(\d+)$/, 'operations', operationDetail],
  [/^\/disputes$/, 'disputes', disputes],
  [/^\/patrons$/, 'patrons', patrons],
  [/^\/patrons\/(\d+)$/, 'patrons', patronDetail],
  [/^\/connectors$/, 'connectors', connectors],
  [/^\/sso$/, 'sso', signInSettings],
];

const view = document.getElementById('view');
const nav = document.getElementById('nav');
const whoami = document.getElementById('whoami');
const signOutButton = document.getElementById('sign-out');
bindMessages(document.getElementById('messages'));

let user = null;
let current = null; // the page being shown: {alive, timers}

/** What a page gets: whether it is still shown, and timers that stop when it is left. */
function newContext() {
  const ctx = {
    alive: true,
    timers: new Set(),
    later(fn, ms) {
      const t = setTimeout(() => {
        ctx.timers.delete(t);
        if (ctx.alive) {
          fn();
        }
      }, ms);
      ctx.timers.add(t);
    },
    go(hash) {
      location.hash = hash;
    },
    reload() {
      render(true);
    },
  };
  return ctx;
}

function leave() {
  if (current) {
    current.alive = false;
    current.timers.forEach(clearTimeout);
  }
}

/** The route and its parameters; the query part is left to URLSearchParams, which decodes it once. */
function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const q = raw.indexOf('?');
  return { path: q < 0 ? raw : raw.slice(0, q), params: new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)) };
}

/** Shows the page of the current hash; keepMessages when it is the same page again (after an action). */
async function render(keepMessages) {
  leave();
  if (!keepMessages) {
    clearMessages();
  }
  if (!user) {
    showSignIn();
    return;
  }
  const { path, params } = parseHash();
  const route = ROUTES.find(([re]) => re.test(path));
  for (const a of nav.querySelectorAll('a')) {
    if (route && a.dataset.route === route[1]) {
      a.setAttribute('aria-current', 'page');
    } else {
      a.removeAttribute('aria-current');
    }
  }
  const ctx = newContext();
  current = ctx;
  if (!route) {
    fill(view, h('h1', null, 'Not found'), h('p', null, 'There is no console page here. ', h('a', { href: '#/' }, 'Go to the dashboard.')));
    return;
  }
  fill(view, h('p', { class: 'muted' }, 'Loading…'));
  try {
    const match = path.match(route[0]);
    const page = await route[2](ctx, { id: match[1], params });
    if (ctx.alive) {
      fill(view, page);
      const heading = view.querySelector('h1');
      if (heading) {
        document.title = heading.textContent + ' — Rollbook';
      }
    }
  } catch (e) {
    if (ctx.alive) {
      fill(view, h('h1', null, 'This page could not be loaded'));
      showError('Loading the page', e);
    }
  }
}

// ---- session ----------------------------------------------------------------------------------

function signedIn(data) {
  user = data.user || 'admin';
  api.setCsrf(data.csrf);
  whoami.textContent = 'Signed in as ' + user;
  signOutButton.hidden = false;
  nav.hidden = false;
}

function signedOut() {
  user = null;
  api.setCsrf(null);
  whoami.textContent = '';
  signOutButton.hidden = true;
  nav.hidden = true;
}

function showSignIn(reason) {
  leave();
  current = null;
  document.title = 'Sign in — Rollbook';
  const username = field('User name', h('input', { id: 'signin-user', type: 'text', name: 'username', value: 'admin', autocomplete: 'username', required: true, spellcheck: false }));
  const password = field('Password', h('input', { id: 'signin-password', type: 'password', name: 'password', autocomplete: 'current-password', required: true }));
  const status = h('p', { id: 'signin-status', class: 'form-status', attrs: { role: 'alert' } }, reason || '');
  const submit = h('button', { type: 'submit', id: 'signin-submit', class: 'btn btn-primary' }, 'Sign in');
  const form = h('form', { class: 'signin panel', attrs: { 'aria-labelledby': 'signin-title', novalidate: true }, on: {
    submit: async (event) => {
      event.preventDefault();
      if (!password.input.value) {
        status.textContent = 'Enter the password.';
        password.input.focus();
        return;
      }
      submit.disabled = true;
      status.textContent = 'Signing in…';
      try {
        const data = await api.post('/api/session', { username: username.input.value.trim(), password: password.input.value }, { quiet401: true });
        password.input.value = '';
        signedIn(data);
        render(false);
      } catch (e) {
        password.input.value = '';
        if (e.status === 401) {
          status.textContent = 'Wrong user name or password.';
        } else if (e.status === 429) {
          status.textContent = 'Too many failed sign-ins.' + (e.retryAfter ? ' Try again in ' + e.retryAfter + ' seconds.' : ' Try again later.');
        } else {
          status.textContent = 'Cannot sign in: ' + e.message;
        }
        password.input.focus();
      } finally {
        submit.disabled = false;
      }
    },
  } },
  h('h1', { id: 'signin-title' }, 'Sign in to Rollbook'),
  username.row, password.row, submit, status);
  fill(view, form);
  (username.input.value ? password.input : username.input).focus();
}

api.whenUnauthorized(() => {
  if (user) {
    signedOut();
    clearMessages();
    showSignIn('Your session has ended. Please sign in again.');
  } else if (!document.getElementById('signin-password')) {
    showSignIn();
  }
});

signOutButton.addEventListener('click', async () => {
  try {
    await api.del('/api/session', { quiet401: true });
  } catch (e) {
    if (e.status !== 401) {
      showError('Signing out', e);
    }
  }
  signedOut();
  clearMessages();
  showSignIn();
  notify('You are signed out.', 'ok');
});

window.addEventListener('hashchange', () => render(false));

// the skip link moves the focus; following it as a link would change the route
document.querySelector('.skip').addEventListener('click', (event) => {
  event.preventDefault();
  document.getElementById('main').focus();
});

async function start() {
  try {
    const data = await api.get('/api/session', { quiet401: true });
    signedIn(data);
  } catch (e) {
    signedOut();
    if (e.status !== 401) {
      showError('Checking the session', e);
    }
  }
  render(false);
}

start();
