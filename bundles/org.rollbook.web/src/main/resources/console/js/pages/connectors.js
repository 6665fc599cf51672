// Installed connectors: the roster connectors the integration switch knows, and (once the server offers
// it) the connector bundles of the deployment API.

import * as api from '../api.js';
import { h, badge, table, section, providerName } from '../ui.js';

function scalarColumns(items) {
  const keys = [];
  for (const item of items) {
    for (const [k, v] of Object.entries(item || {})) {
      if (!keys.includes(k) && (v === null || typeof v !== 'object')) {
        keys.push(k);
      }
    }
  }
  return keys.map((k) => ({ label: k, cell: (item) => (item[k] === null || item[k] === undefined ? '—' : k === 'state' || k === 'status' ? badge(String(item[k])) : String(item[k])) }));
}

export async function connectors() {
  const integration = await api.get('/api/integration');
  const list = integration.connectors || [];
  let deployed = null;
  try {
    deployed = await api.get('/api/connectors');
  } catch (e) {
    if (e.status === 401) {
      throw e;
    }
    // 404: this server has no deployment API (yet); the section stays hidden. Other errors show in it.
    deployed = e.status === 404 ? null : { error: e };
  }
  let deployedSection = null;
  if (deployed) {
    const items = Array.isArray(deployed) ? deployed : (deployed.items || deployed.connectors || []);
    deployedSection = h('section', { class: 'panel', id: 'connector-bundles' },
      h('h2', null, 'Connector bundles'),
      h('p', { class: 'hint' }, 'Connector bundles deployed on this server; they can be installed, updated or removed while it runs.'),
      deployed.error
        ? h('p', { class: 'form-status' }, badge('error'), ' ', deployed.error.message)
        : table(scalarColumns(items), items, { label: 'Connector bundles', empty: 'No connector bundles.' }));
  }
  return h('div', null,
    h('h1', null, 'Connectors'),
    section('Installed connectors',
      h('p', { class: 'hint' }, 'The roster connectors that are configured and running. One of them is the integration in use.'),
      table([
        { label: 'Provider', cell: (c) => providerName(c.provider) },
        { label: 'Account', class: 'mono', cell: (c) => c.account || '—' },
        { label: 'Integration', class: 'mono', cell: (c) => c.integration || '—' },
        { label: 'In use', cell: (c) => (c.provider === integration.selected ? badge('in use') : badge('no', 'muted')) },
      ], list, { label: 'Installed connectors', empty: 'No connector is configured: see Provider settings.' })),
    deployedSection);
}
