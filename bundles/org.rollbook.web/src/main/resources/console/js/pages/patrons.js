// Patrons: search, and one patron with the provenance of every field.

import * as api from '../api.js';
import { h, badge, table, select, section, when, number, TYPES, TYPE_LABEL, FIELDS, patronName } from '../ui.js';

const PAGE = 50;

export async function patrons(ctx, { params }) {
  const q = params.get('q') || '';
  const type = params.get('type') || '';
  const site = params.get('site') || '';
  const offset = Math.max(0, parseInt(params.get('offset') || '0', 10) || 0);
  const [page, siteData] = await Promise.all([
    api.get('/api/patrons' + api.query({ q, type, site, offset, limit: PAGE })),
    api.get('/api/sites').catch((e) => {
      if (e.status === 401) {
        throw e;
      }
      return { items: [] };
    }),
  ]);
  const sites = (siteData.items || []).map((s) => [s.code, s.code + (s.name ? ' — ' + s.name : '')]);
  const qInput = h('input', { type: 'search', id: 'patron-q', name: 'q', value: q, spellcheck: false, placeholder: 'Last name prefix, barcode, email or GUID' });
  const typeSelect = select([['', 'all types'], ...TYPES], type, { id: 'patron-type', name: 'type' });
  const siteSelect = select([['', 'all sites'], ...sites, ...(site && !sites.some(([c]) => c === site) ? [[site, site]] : [])], site, { id: 'patron-site', name: 'site' });
  const hashFor = (off) => '#/patrons' + api.query({ q: qInput.value.trim(), type: typeSelect.value, site: siteSelect.value, offset: off || undefined });
  const form = h('form', { class: 'filters', id: 'patron-search', attrs: { role: 'search', 'aria-label': 'Search patrons' }, on: { submit: (event) => {
    event.preventDefault();
    ctx.go(hashFor(0));
  } } },
  h('label', { for: 'patron-q' }, 'Search '), qInput,
  h('label', { for: 'patron-type' }, 'Type '), typeSelect,
  h('label', { for: 'patron-site' }, 'Site '), siteSelect,
  h('button', { type: 'submit', class: 'btn btn-primary' }, 'Search'));

  const items = page.items || [];
  const total = Number(page.total || 0);
  const prevHash = '#/patrons' + api.query({ q, type, site, offset: Math.max(0, offset - PAGE) || undefined });
  const nextHash = '#/patrons' + api.query({ q, type, site, offset: offset + PAGE });
  return h('div', null,
    h('h1', null, 'Patrons'),
    section('Search', form,
      table([
        { label: 'Name', class: 'nowrap', cell: (p) => h('a', { href: '#/patrons/' + p.id }, patronName(p)) },
        { label: 'Type', cell: (p) => TYPE_LABEL[p.type] || p.type },
        { label: 'Status', cell: (p) => badge(p.status && p.status.name) },
        { label: 'Barcode', class: 'mono nowrap', cell: (p) => p.fields.barcode || '—' },
        { label: 'Email', cell: (p) => p.fields.email || '—' },
        { label: 'Site', cell: (p) => p.fields.site || '—' },
        { label: 'Level', cell: (p) => p.fields.level || '—' },
        { label: 'Updated', cell: (p) => when(p.updated) },
      ], items, { label: 'Patrons', empty: 'No patrons match.', rowProps: (p) => ({ attrs: { 'data-patron': p.id } }) }),
      h('div', { class: 'pager' },
        offset > 0 ? h('a', { class: 'btn btn-small', href: prevHash }, '← Previous') : null,
        h('span', { class: 'muted', id: 'patron-range' }, total ? 'Patrons ' + number(offset + 1) + '–' + number(offset + items.length) + ' of ' + number(total) : ''),
        offset + items.length < total ? h('a', { class: 'btn btn-small', href: nextHash }, 'Next →') : null)));
}

export async function patronDetail(ctx, { id }) {
  const p = await api.get('/api/patrons/' + api.seg(id));
  let communityIdName = null;
  try {
    const s = await api.get('/api/settings/sync');
    communityIdName = (s && (s.settings || s).communityIdName) || null;
  } catch (e) {
    if (e.status === 401) {
      throw e;
    }
  }
  const fields = p.fields || {};
  const provenance = p.provenance || {};
  const known = new Set(FIELDS.map(([k]) => k));
  const rows = FIELDS.map(([key, no, label]) => ({ key, no, label: key === 'communityId' && communityIdName ? communityIdName : label }))
    .concat(Object.keys(fields).filter((k) => !known.has(k)).map((k) => ({ key: k, no: '', label: k })));
  const local = Object.entries(p.localFields || {});
  return h('div', null,
    h('p', { class: 'crumbs' }, h('a', { href: '#/patrons' }, 'Patrons'), ' / #' + p.id),
    h('h1', { id: 'patron-name' }, patronName(p)),
    section('Patron',
      h('dl', { class: 'facts' },
        h('dt', null, 'Type'), h('dd', null, TYPE_LABEL[p.type] || p.type),
        h('dt', null, 'Status'), h('dd', null, badge(p.status && p.status.name), ' (', p.status && p.status.code, ')'),
        h('dt', null, 'Policy'), h('dd', null, p.policy || '—'),
        h('dt', null, 'Integration'), h('dd', null, p.integration || '—'),
        h('dt', null, 'Created'), h('dd', null, when(p.created)),
        h('dt', null, 'Updated'), h('dd', null, when(p.updated)))),
    section('Fields and provenance',
      h('p', { class: 'hint' }, 'Which operation last wrote each field. Fields without one were entered in the library system, not by a sync.'),
      table([
        { label: 'No.', class: 'num', cell: (r) => r.no },
        { label: 'Field', cell: (r) => r.label },
        { label: 'Value', class: 'wide', cell: (r) => (fields[r.key] === undefined || fields[r.key] === null || fields[r.key] === '' ? h('span', { class: 'muted' }, '—') : fields[r.key]) },
        { label: 'Last written by', cell: (r) => (provenance[r.key] && provenance[r.key].operation
          ? h('a', { href: '#/operations/' + Number(provenance[r.key].operation) }, 'operation #' + provenance[r.key].operation)
          : h('span', { class: 'muted' }, '—')) },
      ], rows, { label: 'Patron fields', class: 'compact', rowProps: (r) => ({ attrs: { 'data-field': r.key } }) })),
    section('Local fields',
      h('p', { class: 'hint' }, 'Kept by the library; a sync never touches them.'),
      table([
        { label: 'Field', cell: ([k]) => k },
        { label: 'Value', class: 'wide', cell: ([, v]) => (v === null || v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v)) },
      ], local, { label: 'Local fields', empty: 'None.', class: 'compact' })));
}
