// DOM helpers. Everything that may come from a roster (names, emails, messages) goes in as text
// nodes or through textContent; nothing here ever parses a string as HTML.

const PROPS = new Set(['id', 'type', 'name', 'value', 'checked', 'disabled', 'placeholder', 'htmlFor', 'title',
  'hidden', 'required', 'autocomplete', 'min', 'max', 'step', 'size', 'selected', 'readOnly', 'colSpan',
  'maxLength', 'pattern', 'inputMode', 'spellcheck', 'download', 'rel', 'target', 'open']);

/**
 * Creates an element. props: class (string), any of PROPS, href (only '#…', '/…' or '?…'), on: {event: fn},
 * attrs: {name: value} (aria-*, data-*, role, list), style is not supported (CSP forbids inline styles).
 * children: strings (text), numbers, Nodes, arrays of these; null/undefined/false are skipped.
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  if (props) {
    for (const [key, value] of Object.entries(props)) {
      if (value === undefined || value === null) {
        continue;
      }
      if (key === 'class') {
        el.className = value;
      } else if (key === 'on') {
        for (const [event, fn] of Object.entries(value)) {
          el.addEventListener(event, fn);
        }
      } else if (key === 'attrs') {
        for (const [name, v] of Object.entries(value)) {
          if (v !== undefined && v !== null && v !== false) {
            el.setAttribute(name, v === true ? '' : String(v));
          }
        }
      } else if (key === 'href') {
        el.setAttribute('href', safeHref(value));
      } else if (key === 'for') {
        el.htmlFor = value;
      } else if (PROPS.has(key)) {
        el[key] = value;
      } else {
        throw new Error('h(): unsupported property ' + key);
      }
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) {
      continue;
    }
    if (Array.isArray(c)) {
      append(el, c);
    } else if (c instanceof Node) {
      el.appendChild(c);
    } else {
      el.appendChild(document.createTextNode(String(c)));
    }
  }
}

/** Only links into the console or the API of this server. */
function safeHref(value) {
  const s = String(value);
  return /^(#|\/(?!\/)|\?)/.test(s) ? s : '#';
}

/** Replaces an element's content. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

const STATUS_CLASS = {
  completed: 'ok', ok: 'ok', active: 'ok', linked: 'ok', created: 'ok', 'in use': 'ok',
  running: 'info', queued: 'muted', updated: 'info', unlinked: 'info', unmatched: 'info',
  held: 'warn', disputed: 'warn', degraded: 'warn', inactive: 'muted', other: 'muted', transferred: 'warn',
  failed: 'bad', interrupted: 'bad', error: 'bad',
  cancelled: 'muted', skipped: 'muted', none: 'muted', unchanged: 'muted', absent: 'warn', preview: 'info',
};

/** A status badge: a short word with a colour that repeats its meaning (the word is what counts). */
export function badge(text, kind) {
  const t = String(text === null || text === undefined ? '—' : text);
  return h('span', { class: 'badge badge-' + (kind || STATUS_CLASS[t.toLowerCase()] || 'muted') }, t);
}

/** A table: columns [{label, cell(row) → node|string, class}], rows; empty → a row saying so. */
export function table(columns, rows, options = {}) {
  const head = h('thead', null, h('tr', null, columns.map((c) => h('th', { attrs: { scope: 'col' }, class: c.class }, c.label))));
  const body = h('tbody');
  if (!rows || rows.length === 0) {
    body.appendChild(h('tr', null, h('td', { colSpan: columns.length, class: 'empty' }, options.empty || 'Nothing to show.')));
  } else {
    for (const row of rows) {
      const tr = h('tr', options.rowProps ? options.rowProps(row) : null,
        columns.map((c) => h('td', { class: c.class }, c.cell(row))));
      body.appendChild(tr);
    }
  }
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'grid' + (options.class ? ' ' + options.class : ''), attrs: { 'aria-label': options.label } },
      options.caption ? h('caption', null, options.caption) : null, head, body));
}

/** A labelled form control; returns {row, input, error} so callers can show a field's error. */
export function field(label, input, hint) {
  const id = input.id || ('f-' + Math.random().toString(36).slice(2, 10));
  input.id = id;
  const error = h('div', { class: 'field-error', id: id + '-error', hidden: true, attrs: { 'aria-live': 'polite' } });
  input.setAttribute('aria-describedby', id + '-error' + (hint ? ' ' + id + '-hint' : ''));
  const row = h('div', { class: 'field' },
    h('label', { for: id }, label),
    input,
    hint ? h('div', { class: 'hint', id: id + '-hint' }, hint) : null,
    error);
  return { row, input, error };
}

export function setFieldError(f, message) {
  if (message) {
    f.input.setAttribute('aria-invalid', 'true');
    f.error.textContent = message;
    f.error.hidden = false;
  } else {
    f.input.removeAttribute('aria-invalid');
    f.error.textContent = '';
    f.error.hidden = true;
  }
}

export function button(label, onClick, props = {}) {
  return h('button', Object.assign({ type: 'button', class: 'btn', on: { click: onClick } }, props), label);
}

/** A select: options [[value, label], …]. */
export function select(options, value, props = {}) {
  return h('select', props, options.map(([v, label]) => h('option', { value: v, selected: String(v) === String(value ?? '') }, label)));
}

/** A heading plus optional content, as one section. */
export function section(title, ...children) {
  return h('section', { class: 'panel' }, h('h2', null, title), children);
}

// ---- the message area -------------------------------------------------------------------------

let messages = null;

export function bindMessages(el) {
  messages = el;
}

/** Shows a message at the top of the page; kind: error, ok or info. Errors stay until dismissed or the page changes. */
export function notify(text, kind = 'info') {
  if (!messages) {
    return;
  }
  const msg = h('div', { class: 'msg msg-' + kind, attrs: { role: kind === 'error' ? 'alert' : 'status' } },
    h('span', { class: 'msg-text' }, text),
    h('button', { type: 'button', class: 'msg-close', attrs: { 'aria-label': 'Dismiss message' }, on: { click: () => msg.remove() } }, '×'));
  messages.appendChild(msg);
  if (kind !== 'error') {
    setTimeout(() => msg.remove(), 8000);
  }
  return msg;
}

export function clearMessages() {
  if (messages) {
    messages.replaceChildren();
  }
}

/** Shows an API failure (anything thrown) in the message area, with what was being done. */
export function showError(doing, e) {
  if (e && e.status === 401) {
    return; // the sign-in page takes over and says so
  }
  notify((doing ? doing + ': ' : '') + (e && e.message ? e.message : String(e)), 'error');
}

/** Runs an async action from a button: disables it meanwhile, reports failures. */
export async function act(btn, doing, fn) {
  if (btn) {
    btn.disabled = true;
  }
  try {
    return await fn();
  } catch (e) {
    showError(doing, e);
    return undefined;
  } finally {
    if (btn && btn.isConnected) {
      btn.disabled = false;
    }
  }
}

// ---- formatting -------------------------------------------------------------------------------

export function when(iso) {
  if (!iso) {
    return '—';
  }
  const d = new Date(iso);
  return isNaN(d) ? String(iso) : d.toLocaleString();
}

export function number(n) {
  return n === null || n === undefined ? '—' : Number(n).toLocaleString();
}

export const TYPES = [['student', 'Students'], ['teacher', 'Teachers'], ['staff', 'Staff'], ['district_admin', 'District admins']];
export const TYPE_LABEL = Object.fromEntries([['student', 'Student'], ['teacher', 'Teacher'], ['staff', 'Staff'], ['district_admin', 'District admin']]);
export const SITUATIONS = ['linked', 'unlinked', 'unmatched', 'disputed', 'skipped', 'absent'];
export const OUTCOMES = ['created', 'updated', 'unchanged', 'none', 'failed'];
export const PROVIDERS = { clever: 'Clever', classlink: 'ClassLink' };

export function providerName(p) {
  return PROVIDERS[p] || (p ? String(p) : 'none');
}

/** The patron fields of SPEC §2: JSON key → [number, label]. */
export const FIELDS = [
  ['guid', 1200, 'GUID'], ['barcode', 1000, 'Barcode'], ['communityId', 1001, 'Community ID'],
  ['firstName', 1007, 'First name'], ['middleName', 1008, 'Middle name'], ['lastName', 1006, 'Last name'],
  ['birthdate', 1045, 'Birthdate'], ['sex', 1032, 'Sex'], ['address', 1011, 'Address'], ['city', 1012, 'City'],
  ['state', 1013, 'State'], ['postalCode', 1014, 'Postal code'], ['phone', 1017, 'Phone'], ['email', 1019, 'Email'],
  ['additionalContact', 1049, 'Additional contact'], ['otherEmails', 1054, 'Other emails'], ['location', 1004, 'Location'],
  ['level', 1010, 'Level'], ['username', 1052, 'Username'], ['site', 1050, 'Site'], ['status', 1026, 'Status'],
];

/** "Last, First Middle" from a patron's fields. */
export function patronName(p) {
  const f = (p && p.fields) || {};
  const given = [f.firstName, f.middleName].filter(Boolean).join(' ');
  const name = [f.lastName, given].filter(Boolean).join(', ');
  return name || '(no name)';
}
