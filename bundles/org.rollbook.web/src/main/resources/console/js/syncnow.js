// Sync Now / Preview with a live progress bar that follows the run until it is done.

import * as api from './api.js';
import { h, fill, badge, button, notify, act, number } from './ui.js';

const WAITING = new Set(['queued', 'running']);

/** The panel; ctx stops the polling when the page is left; onDone(op) is told when a watched run ends. */
export function syncPanel(ctx, onDone) {
  const status = h('span', { id: 'sync-status' });
  const progress = h('progress', { id: 'sync-progress', max: 1, value: 0, attrs: { 'aria-label': 'Sync progress' } });
  const count = h('span', { id: 'sync-count', class: 'muted' });
  const message = h('p', { id: 'sync-message', class: 'op-message' });
  const title = h('span', { class: 'sync-title' });
  const box = h('div', { class: 'sync-box', id: 'sync-box', hidden: true, attrs: { 'aria-live': 'polite' } },
    h('div', { class: 'sync-head' }, title, status), progress, count, message);
  const full = button('Sync Now', () => start(full, { kind: 'full', preview: false }), { id: 'sync-now', class: 'btn btn-primary' });
  const incremental = button('Incremental sync', () => start(incremental, { kind: 'incremental', preview: false }), { id: 'sync-incremental' });
  const preview = button('Preview', () => start(preview, { kind: 'full', preview: true }), { id: 'sync-preview', title: 'A full sync that changes nothing and reports what it would do' });
  const buttons = [full, incremental, preview];

  async function start(btn, body) {
    const op = await act(btn, body.preview ? 'Starting the preview' : 'Starting the sync', () => api.post('/api/operations', body));
    if (op) {
      notify('Operation ' + op.id + ' queued (' + describe(op) + ').', 'ok');
      watch(op);
    }
  }

  function show(op) {
    box.hidden = false;
    box.dataset.status = op.status;
    fill(title, h('a', { href: '#/operations/' + op.id }, 'Operation ' + op.id), ' · ' + describe(op));
    fill(status, badge(op.status));
    const processed = Number(op.processed || 0);
    const expected = Number(op.expected || 0);
    if (op.status === 'completed') {
      progress.max = Math.max(expected, processed, 1);
      progress.value = progress.max;
    } else if (expected > 0) {
      progress.max = expected;
      progress.value = Math.min(processed, expected);
    } else if (op.status === 'running') {
      progress.removeAttribute('value'); // indeterminate until the total is known
    } else {
      progress.max = 1;
      progress.value = 0;
    }
    const pct = expected > 0 ? ' (' + Math.floor((100 * Math.min(processed, expected)) / expected) + '%)' : '';
    count.textContent = number(processed) + (expected > 0 ? ' of ' + number(expected) : '') + ' records' + pct;
    message.textContent = op.message || '';
    const busy = WAITING.has(op.status);
    buttons.forEach((b) => { b.disabled = busy; });
  }

  /** Follows a run until it is no longer queued or running. */
  function watch(op) {
    show(op);
    if (!WAITING.has(op.status)) {
      return;
    }
    const poll = async () => {
      try {
        const now = await api.get('/api/operations/' + op.id);
        if (!ctx.alive) {
          return;
        }
        show(now);
        if (WAITING.has(now.status)) {
          ctx.later(poll, 500);
        } else {
          if (now.status === 'held') {
            notify('Operation ' + now.id + ' is held for approval: ' + (now.message || 'over a safety threshold') + '.', 'info');
          }
          if (onDone) {
            onDone(now);
          }
        }
      } catch (e) {
        if (ctx.alive && e.status !== 401) {
          message.textContent = 'Cannot read the progress: ' + e.message + ' (retrying)';
          ctx.later(poll, 2000);
        }
      }
    };
    ctx.later(poll, 500);
  }

  const el = h('div', { class: 'sync-panel' },
    h('div', { class: 'toolbar' }, buttons),
    h('p', { class: 'hint' }, 'Sync Now runs a full sync. Preview reports what a full sync would do and changes nothing.'),
    box);
  return { el, watch, show };
}

export function describe(op) {
  return (op.kind || 'sync') + (op.preview ? ' preview' : '') + (op.trigger === 'scheduled' ? ', scheduled' : '');
}

export { WAITING };
