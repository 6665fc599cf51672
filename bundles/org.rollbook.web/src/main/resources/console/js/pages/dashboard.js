// Dashboard: is the provider connected, is the server healthy, what did the latest run do; Sync Now.

import * as api from '../api.js';
import { h, badge, section, when, number, providerName } from '../ui.js';
import { syncPanel, WAITING } from '../syncnow.js';
import { countSummary, opActions } from './operations.js';

/** A failure of one card's request becomes its content, so one broken service does not hide the rest. */
async function attempt(fn) {
  try {
    return { value: await fn() };
  } catch (e) {
    if (e.status === 401) {
      throw e;
    }
    return { error: e };
  }
}

export async function dashboard(ctx) {
  const [connector, health, latest, integration] = await Promise.all([
    attempt(() => api.get('/api/connector')),
    attempt(() => api.get('/api/health', { accept: [503] })),
    attempt(() => api.get('/api/operations?limit=1')),
    attempt(() => api.get('/api/integration')),
  ]);

  const sync = syncPanel(ctx, () => ctx.later(() => ctx.reload(), 1500));

  const connectorCard = section('Connector',
    connector.value
      ? h('dl', { class: 'facts', id: 'connector-facts' },
        h('dt', null, 'Provider'), h('dd', null, providerName(connector.value.provider)),
        h('dt', null, 'Account'), h('dd', null, connector.value.account || '—'),
        h('dt', null, 'Connection'), h('dd', { id: 'connector-state' }, badge(connector.value.ok ? 'ok' : 'failed'), ' ', connector.value.message || ''))
      : h('p', { id: 'connector-state' }, badge('not connected', 'warn'), ' ', connector.error.message,
        ' ', h('a', { href: '#/providers' }, 'Provider settings')),
    integration.value && integration.value.selected
      ? h('p', { class: 'muted' }, 'Integration in use: ', providerName(integration.value.selected))
      : null);

  let healthCard;
  if (health.value) {
    const hv = health.value;
    const store = hv.store || {};
    healthCard = section('Health',
      h('dl', { class: 'facts' },
        h('dt', null, 'Server'), h('dd', { id: 'health-state' }, badge(hv.status), ' version ', hv.version || '?'),
        h('dt', null, 'Patron store'), h('dd', null, store.open ? badge('ok') : badge('failed'), ' ',
          store.open ? number(store.patrons) + ' patrons, ' + number(store.sites) + ' sites' : (store.detail || ''))),
      hv.problems && hv.problems.length
        ? h('ul', { class: 'problems' }, hv.problems.map((p) => h('li', null, p)))
        : h('p', { class: 'muted' }, 'All bundles are active.'));
  } else {
    healthCard = section('Health', h('p', null, badge('error'), ' ', health.error.message));
  }

  let latestCard;
  const op = latest.value && latest.value.items && latest.value.items[0];
  if (latest.error) {
    latestCard = section('Latest operation', h('p', null, badge('error'), ' ', latest.error.message));
  } else if (!op) {
    latestCard = section('Latest operation', h('p', { class: 'muted' }, 'No sync has run yet. Map your sites, then use Sync Now or Preview.'));
  } else {
    latestCard = section('Latest operation',
      h('dl', { class: 'facts', id: 'latest-operation' },
        h('dt', null, 'Operation'), h('dd', null, h('a', { href: '#/operations/' + op.id }, '#' + op.id), ' ',
          op.kind, op.preview ? ' (preview)' : '', ' ', badge(op.status)),
        h('dt', null, 'Requested'), h('dd', null, when(op.created)),
        h('dt', null, 'Finished'), h('dd', null, when(op.finished)),
        h('dt', null, 'Result'), h('dd', null, countSummary(op))),
      op.message ? h('p', { class: 'op-message' }, op.message) : null,
      h('div', { class: 'toolbar' }, opActions(ctx, op, { undoable: false })));
  }

  if (op && WAITING.has(op.status)) {
    sync.watch(op);
  }

  return h('div', null,
    h('h1', null, 'Dashboard'),
    h('div', { class: 'cards' }, connectorCard, healthCard, latestCard),
    section('Sync', sync.el));
}
