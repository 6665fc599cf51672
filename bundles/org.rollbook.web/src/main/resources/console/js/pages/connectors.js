// Installed connectors: the roster connectors the integration switch knows, and the connector bundles of
// the deployment API (install or update by upload, remove, jars the deploy folder refused).

import * as api from '../api.js';
import { h, badge, table, section, providerName, button, field, act, notify } from '../ui.js';

const SOURCE = { 'built-in': 'built-in', upload: 'uploaded', 'deploy folder': 'deploy folder' };

export async function connectors(ctx) {
  const integration = await api.get('/api/integration');
  const list = integration.connectors || [];
  let deployed = null;
  try {
    deployed = await api.get('/api/connectors');
  } catch (e) {
    if (e.status === 401) {
      throw e;
    }
    // 404: this server has no deployment API; the section stays hidden. Other errors show in it.
    deployed = e.status === 404 ? null : { error: e };
  }
  let deployedSection = null;
  if (deployed) {
    const file = h('input', { type: 'file', id: 'connector-jar', attrs: { accept: '.jar,application/java-archive' } });
    const install = button('Install or update', () => act(install, 'Installing the connector', async () => {
      const jar = file.files && file.files[0];
      if (!jar) {
        notify('Choose a connector jar first.', 'error');
        return;
      }
      const r = await api.upload('/api/connectors' + api.query({ name: jar.name }), jar);
      notify(r.message || (r.symbolicName + ' ' + r.version + ' ' + r.action + '.'), 'ok');
      ctx.reload();
    }), { id: 'connector-install' });
    const items = deployed.items || [];
    deployedSection = h('section', { class: 'panel', id: 'connector-bundles' },
      h('h2', null, 'Connector bundles'),
      h('p', { class: 'hint' }, 'Connector bundles on this server. Install or update one while the server runs (a jar, or drop it into the '
        + 'deploy/ folder); the next sync uses it. A jar that is not a Rollbook connector is refused.'),
      deployed.error
        ? h('p', { class: 'form-status' }, badge('error'), ' ', deployed.error.message)
        : table([
          { label: 'Bundle', class: 'mono', cell: (b) => b.symbolicName },
          { label: 'Version', class: 'mono', cell: (b) => b.version },
          { label: 'State', cell: (b) => badge(b.state) },
          { label: 'Provides', cell: (b) => (b.providers || []).map(providerName).join(', ') || '—' },
          { label: 'From', cell: (b) => (SOURCE[b.source] || b.source) + (b.location ? ' · ' + b.location : '') },
          { label: 'In use', cell: (b) => (b.inUse ? badge('in use') : badge('no', 'muted')) },
          { label: '', cell: (b) => (b.source === 'built-in' ? '' : button('Remove', (ev) =>
            act(ev.target, 'Removing ' + b.symbolicName, async () => {
              if (!confirm('Remove ' + b.symbolicName + ' ' + b.version + '?' + (b.inUse ? ' It is the connector in use.' : ''))) {
                return;
              }
              const r = await api.del('/api/connectors/' + api.seg(b.symbolicName));
              notify(r.message || (b.symbolicName + ' removed.'), 'ok');
              ctx.reload();
            }))) },
        ], items, { label: 'Connector bundles', empty: 'No connector bundles.' }),
      h('div', { class: 'form-row' }, field('Connector jar', file).row, install),
      (deployed.refused || []).length === 0 ? null : h('div', null,
        h('h3', null, 'Refused in the deploy folder'),
        table([
          { label: 'File', class: 'mono', cell: (r) => r.file },
          { label: 'Why', cell: (r) => r.reason },
          { label: 'When', cell: (r) => r.at },
        ], deployed.refused, { label: 'Refused jars' })));
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
