// Operations Management: the runs, their counts and logs (filtered, paged, downloadable), held runs
// (approve / reject), cancel, undo of the last applied run, and the dispute list.

import * as api from '../api.js';
import { h, fill, badge, table, button, select, section, act, notify, when, number, SITUATIONS, OUTCOMES, TYPES, TYPE_LABEL } from '../ui.js';
import { syncPanel, describe, WAITING } from '../syncnow.js';

const PAGE = 25;
const LOG_PAGE = 50;

/** "12 created · 3 updated · 2 disputed" from an operation's counts. */
export function countSummary(op) {
  const by = {};
  for (const c of op.counts || []) {
    const key = c.situation === 'disputed' || c.situation === 'skipped' ? c.situation
      : c.situation === 'absent' ? 'transferred' : c.outcome;
    by[key] = (by[key] || 0) + Number(c.records || 0);
  }
  const order = ['created', 'updated', 'transferred', 'unchanged', 'disputed', 'skipped', 'failed', 'none'];
  const parts = order.filter((k) => by[k]).map((k) => number(by[k]) + ' ' + (k === 'none' ? 'not written' : k));
  return parts.length ? parts.join(' · ') : 'no records';
}

/** The buttons that act on a run in its state; each reloads the page when done. */
export function opActions(ctx, op, { undoable }) {
  const out = [];
  const run = (label, action, doing, confirmText, cls) => {
    const b = button(label, () => {
      if (confirmText && !window.confirm(confirmText)) {
        return;
      }
      act(b, doing, async () => {
        const after = await api.post('/api/operations/' + op.id + '/' + action);
        notify(doing + ': operation ' + after.id + ' is ' + after.status + '.', 'ok');
        ctx.later(() => ctx.reload(), 300);
      });
    }, { class: 'btn btn-small' + (cls ? ' ' + cls : ''), attrs: { 'data-action': action, 'data-operation': op.id } });
    out.push(b);
  };
  if (WAITING.has(op.status)) {
    run('Cancel', 'cancel', 'Cancelling operation ' + op.id, 'Cancel operation ' + op.id + '?');
  }
  if (op.status === 'held') {
    run('Approve', 'approve', 'Approving operation ' + op.id, null, 'btn-primary');
    run('Reject', 'reject', 'Rejecting operation ' + op.id, 'Reject held operation ' + op.id + '? Nothing it planned will be written.');
  }
  if (undoable) {
    run('Undo', 'undo', 'Undoing operation ' + op.id,
      'Undo operation ' + op.id + '? The changes it made to patrons are reverted by a new operation.', 'btn-danger');
  }
  return out;
}

/** The id of the run Undo applies to: the newest applied (completed, not a preview) run, unless it is an undo. */
function undoableId(items) {
  const applied = items.find((op) => op.status === 'completed' && !op.preview);
  return applied && applied.kind !== 'undo' && !items.some((o) => o.undoOf === applied.id) ? applied.id : null;
}

function progressText(op) {
  const expected = Number(op.expected || 0);
  return number(op.processed) + (expected > 0 ? ' / ' + number(expected) : '');
}

export async function operations(ctx, { params }) {
  const offset = Math.max(0, parseInt(params.get('offset') || '0', 10) || 0);
  const holder = h('div', { id: 'operations-table' });

  async function load() {
    const data = await api.get('/api/operations' + api.query({ offset, limit: PAGE }));
    if (!ctx.alive) {
      return;
    }
    const items = data.items || [];
    const undoId = offset === 0 ? undoableId(items) : null;
    fill(holder,
      table([
        { label: 'Operation', cell: (op) => h('a', { href: '#/operations/' + op.id }, '#' + op.id) },
        { label: 'Kind', cell: (op) => [op.kind, op.preview ? ' ' : null, op.preview ? badge('preview') : null] },
        { label: 'Trigger', cell: (op) => op.trigger || '—' },
        { label: 'Status', cell: (op) => badge(op.status) },
        { label: 'Requested', cell: (op) => when(op.created) },
        { label: 'Finished', cell: (op) => when(op.finished) },
        { label: 'Records', class: 'num', cell: (op) => progressText(op) },
        { label: 'Result', cell: (op) => [countSummary(op), op.message && (op.status !== 'completed' || op.preview) ? h('div', { class: 'op-message small' }, op.message) : null] },
        { label: 'Actions', cell: (op) => h('div', { class: 'actions' }, opActions(ctx, op, { undoable: op.id === undoId })) },
      ], items, { label: 'Operations', empty: 'No operations yet.', rowProps: (op) => ({ attrs: { 'data-operation': op.id, 'data-status': op.status } }) }),
      h('div', { class: 'pager' },
        offset > 0 ? h('a', { class: 'btn btn-small', href: '#/operations?offset=' + Math.max(0, offset - PAGE) }, '← Newer') : null,
        h('span', { class: 'muted' }, items.length ? 'Operations ' + (offset + 1) + '–' + (offset + items.length) : ''),
        items.length === PAGE ? h('a', { class: 'btn btn-small', href: '#/operations?offset=' + (offset + PAGE) }, 'Older →') : null));
    if (items.some((op) => WAITING.has(op.status))) {
      ctx.later(() => load().catch(() => {}), 2000);
    }
  }
  await load();
  const sync = syncPanel(ctx, () => load().catch(() => {}));
  return h('div', null,
    h('h1', null, 'Operations'),
    section('Run a sync', sync.el),
    section('All operations', h('p', { class: 'hint' }, 'Newest first. Open an operation to see its counts and log. ',
      h('a', { href: '#/disputes' }, 'Disputed records of the last applied run')), holder));
}

// ---- one operation ----------------------------------------------------------------------------

function pivot(counts, rowKey, rowLabels) {
  const rows = new Map();
  for (const c of counts) {
    const r = c[rowKey] ?? '—';
    if (!rows.has(r)) {
      rows.set(r, { key: r });
    }
    const row = rows.get(r);
    row[c.outcome] = (row[c.outcome] || 0) + Number(c.records || 0);
    row.total = (row.total || 0) + Number(c.records || 0);
  }
  const order = rowLabels ? rowLabels.map(([k]) => k) : [...rows.keys()].sort();
  const list = order.filter((k) => rows.has(k)).map((k) => rows.get(k));
  const labels = Object.fromEntries(rowLabels || []);
  const outcomes = OUTCOMES.filter((o) => list.some((r) => r[o]));
  return table([
    { label: rowKey === 'situation' ? 'Situation' : rowKey === 'type' ? 'Record type' : 'Site',
      cell: (r) => (rowKey === 'situation' ? badge(r.key) : labels[r.key] || r.key) },
    ...outcomes.map((o) => ({ label: o === 'none' ? 'not written' : o, class: 'num', cell: (r) => number(r[o] || 0) })),
    { label: 'Total', class: 'num', cell: (r) => number(r.total) },
  ], list, { empty: 'No records.', class: 'compact' });
}

function changeList(changes) {
  if (!changes || changes.length === 0) {
    return null;
  }
  const list = h('ul', { class: 'changes' }, changes.map((c) => h('li', null,
    h('span', { class: 'field-name' }, c.field), ' ',
    h('span', { class: 'before' }, c.before === null || c.before === undefined || c.before === '' ? '∅' : c.before),
    ' → ',
    h('span', { class: 'after' }, c.after === null || c.after === undefined || c.after === '' ? '∅' : c.after))));
  // a created patron lists every field: keep long lists folded
  return changes.length > 4 ? h('details', { class: 'changes' }, h('summary', null, changes.length + ' fields changed'), list) : list;
}

function patronLink(id) {
  return id ? h('a', { href: '#/patrons/' + encodeURIComponent(id) }, '#' + id) : '—';
}

/** The columns of a log table (also used by the dispute list). */
export function logColumns() {
  return [
    { label: '#', class: 'num', cell: (e) => e.seq },
    { label: 'Situation', cell: (e) => badge(e.situation) },
    { label: 'Outcome', cell: (e) => badge(e.outcome) },
    { label: 'Type', cell: (e) => TYPE_LABEL[e.type] || e.type },
    { label: 'Site', cell: (e) => e.site || '—' },
    { label: 'GUID', class: 'mono', cell: (e) => e.guid || '—' },
    { label: 'Patron', cell: (e) => patronLink(e.patron) },
    { label: 'Key', cell: (e) => [e.key || '—', e.blankKeys && e.blankKeys.length ? h('div', { class: 'small muted' }, 'blank: ' + e.blankKeys.join(', ')) : null] },
    { label: 'Reason / changes', class: 'wide', cell: (e) => [
      e.reason ? h('div', null, e.reason) : null,
      e.candidates && e.candidates.length ? h('div', null, 'Candidates: ', e.candidates.map((c, i) => [i ? ', ' : null, patronLink(c)])) : null,
      changeList(e.changes)] },
  ];
}

export async function operationDetail(ctx, { id, params }) {
  const filters = {
    situation: params.get('situation') || '',
    outcome: params.get('outcome') || '',
    type: params.get('type') || '',
    site: params.get('site') || '',
  };
  const offset = Math.max(0, parseInt(params.get('offset') || '0', 10) || 0);
  const [op, log, list] = await Promise.all([
    api.get('/api/operations/' + api.seg(id)),
    api.get('/api/operations/' + api.seg(id) + '/log' + api.query({ ...filters, offset, limit: LOG_PAGE })),
    api.get('/api/operations?limit=10').catch(() => ({ items: [] })),
  ]);
  const undoId = undoableId(list.items || []);

  const sync = syncPanel(ctx, () => ctx.later(() => ctx.reload(), 300));
  if (WAITING.has(op.status)) {
    sync.watch(op);
  }

  const sites = [...new Set((op.counts || []).map((c) => c.site).filter(Boolean))].sort();
  const hashFor = (f, off) => '#/operations/' + op.id + api.query({ ...f, offset: off || undefined });
  const change = (key) => (event) => ctx.go(hashFor({ ...filters, [key]: event.target.value }, 0));
  const filterRow = h('form', { class: 'filters', id: 'log-filters', attrs: { 'aria-label': 'Log filters' }, on: { submit: (e) => e.preventDefault() } },
    h('label', null, 'Situation ', select([['', 'all'], ...SITUATIONS.map((s) => [s, s])], filters.situation, { id: 'log-situation', on: { change: change('situation') } })),
    h('label', null, 'Outcome ', select([['', 'all'], ...OUTCOMES.map((s) => [s, s])], filters.outcome, { id: 'log-outcome', on: { change: change('outcome') } })),
    h('label', null, 'Type ', select([['', 'all'], ...TYPES], filters.type, { id: 'log-type', on: { change: change('type') } })),
    h('label', null, 'Site ', select([['', 'all'], ...sites.map((s) => [s, s]), ...(filters.site && !sites.includes(filters.site) ? [[filters.site, filters.site]] : [])], filters.site, { id: 'log-site', on: { change: change('site') } })),
    Object.values(filters).some(Boolean) ? h('a', { class: 'btn btn-small', href: '#/operations/' + op.id }, 'Clear filters') : null);

  const items = log.items || [];
  const total = Number(log.total || 0);
  const downloads = h('div', { class: 'downloads' }, 'Download this log (with the filters): ',
    h('a', { id: 'log-download-txt', class: 'btn btn-small', href: '/api/operations/' + op.id + '/log.txt' + api.query(filters), download: 'rollbook-operation-' + op.id + '-log.txt' }, 'Text'),
    ' ',
    h('a', { id: 'log-download-csv', class: 'btn btn-small', href: '/api/operations/' + op.id + '/log.csv' + api.query(filters), download: 'rollbook-operation-' + op.id + '-log.csv' }, 'CSV'));

  return h('div', null,
    h('p', { class: 'crumbs' }, h('a', { href: '#/operations' }, 'Operations'), ' / #' + op.id),
    h('h1', null, 'Operation ' + op.id),
    section('Summary',
      h('dl', { class: 'facts', id: 'operation-facts' },
        h('dt', null, 'Status'), h('dd', { id: 'operation-status' }, badge(op.status)),
        h('dt', null, 'Kind'), h('dd', null, describe(op), op.undoOf ? [' of ', h('a', { href: '#/operations/' + op.undoOf }, '#' + op.undoOf)] : null),
        h('dt', null, 'Integration'), h('dd', null, op.integration || '—'),
        h('dt', null, 'Record types'), h('dd', null, (op.types || []).map((t) => TYPE_LABEL[t] || t).join(', ') || '—'),
        h('dt', null, 'Requested'), h('dd', null, when(op.created)),
        h('dt', null, 'Started'), h('dd', null, when(op.started)),
        h('dt', null, 'Finished'), h('dd', null, when(op.finished)),
        h('dt', null, 'Records'), h('dd', null, progressText(op)),
        h('dt', null, 'Result'), h('dd', null, countSummary(op))),
      op.message ? h('p', { class: 'op-message' }, op.message) : null,
      WAITING.has(op.status) ? sync.el.querySelector('.sync-box') : null,
      h('div', { class: 'toolbar' }, opActions(ctx, op, { undoable: op.id === undoId }))),
    section('Counts',
      h('div', { class: 'count-grid' },
        h('div', null, h('h3', null, 'By situation'), pivot(op.counts || [], 'situation', SITUATIONS.map((s) => [s, s]))),
        h('div', null, h('h3', null, 'By record type'), pivot(op.counts || [], 'type', TYPES)),
        h('div', null, h('h3', null, 'By site'), pivot(op.counts || [], 'site')))),
    section('Log',
      filterRow,
      downloads,
      table(logColumns(), items, { label: 'Operation log', empty: 'No log entries match.', class: 'log' }),
      h('div', { class: 'pager' },
        offset > 0 ? h('a', { class: 'btn btn-small', href: hashFor(filters, Math.max(0, offset - LOG_PAGE)) }, '← Previous') : null,
        h('span', { class: 'muted', id: 'log-range' }, total ? 'Entries ' + number(offset + 1) + '–' + number(offset + items.length) + ' of ' + number(total) : ''),
        offset + items.length < total ? h('a', { class: 'btn btn-small', id: 'log-next', href: hashFor(filters, offset + LOG_PAGE) }, 'Next →') : null)));
}

// ---- disputes ---------------------------------------------------------------------------------

export async function disputes() {
  const data = await api.get('/api/disputes');
  const items = data.items || [];
  const columns = logColumns().filter((c) => c.label !== 'Outcome' && c.label !== 'Situation' && c.label !== 'Patron');
  return h('div', null,
    h('h1', null, 'Disputes'),
    section('Disputed records of the last applied run',
      h('p', { class: 'hint' }, 'Two patrons match one key, or two keys point at different patrons: nothing was changed. ',
        'Fix the patrons (or the roster), then sync again.'),
      table(columns, items, { label: 'Disputed records', empty: 'No disputes in the last applied run.' })));
}
