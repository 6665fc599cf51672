// Sync settings: record types, optional mappings per type, the Community ID display name, the Daily
// Operations time, and the engine's other settings (GET/PUT /api/settings/sync).

import * as api from '../api.js';
import { h, fill, badge, field, setFieldError, section, notify, TYPES } from '../ui.js';

const MAPPINGS = [
  ['barcode', 'Barcode (1000)'],
  ['communityId', 'Community ID (1001)'],
  ['location', 'Location (1004)'],
];

// What the providers offer (SPEC §4.3); free text is accepted too (e.g. another userIds type).
const SUGGEST = {
  barcode: {
    student: ['student_number', 'sis_id', 'state_id', 'identifier', 'username', 'userIds:studentNumber'],
    teacher: ['teacher_number', 'sis_id', 'state_id', 'identifier', 'username'],
    staff: ['staff_id', 'identifier', 'username'],
    district_admin: ['staff_id', 'identifier', 'username'],
  },
  location: { student: ['code', 'location', 'teacher'], teacher: ['code', 'location'], staff: [], district_admin: [] },
};
SUGGEST.communityId = SUGGEST.barcode;

const KNOWN = new Set(['types', 'communityIdName', 'dailyTime', ...MAPPINGS.map(([k]) => k)]);

// The engine's other settings (bundles/org.rollbook.sync/README.md); empty means the default.
const OTHER = [
  ['studentPolicy', 'Policy of new students', 'Default: Student'],
  ['teacherPolicy', 'Policy of new teachers', 'Default: Teacher'],
  ['staffPolicy', 'Policy of new staff', 'Default: Staff'],
  ['districtAdminPolicy', 'Policy of new district admins', 'Default: Staff'],
  ['defaultSite', 'Site of district admins', 'A site code; empty: none'],
  ['erasable', 'Fields a blank erases', 'Per type, e.g. student=middleName,phone;teacher=phone'],
  ['holdCreates', 'Hold when creating more than', 'A count (500) or a share (10%); empty: never'],
  ['holdTransfers', 'Hold when transferring more than', 'A count or a share; default 10%'],
  ['holdMinimum', 'Shares count from', 'Changes per site / type before a share applies; default 20'],
  ['fullSyncEveryDays', 'Full sync every (days)', 'Daily Operations run a full sync when the last is older; default 7'],
  ['retentionDays', 'Keep operations (days)', 'Older operations and their logs are deleted; default 90'],
  ['batchSize', 'Records per transaction', 'Default 1000'],
  ['barcodeStart', 'Barcode sequence start', 'For new patrons without a mapped barcode; 0: off'],
  ['barcodePrefix', 'Barcode prefix', 'Put before sequence numbers'],
];
const NUMERIC = new Set(['holdMinimum', 'fullSyncEveryDays', 'retentionDays', 'batchSize', 'barcodeStart']);

/** "student=sis_id;teacher=teacher_number" or {student: "sis_id"} → {student: "sis_id", …}. */
export function parseMapping(value) {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return { ...value };
  }
  const out = {};
  for (const part of String(value || '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) {
      out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
    }
  }
  return out;
}

/** Back into the shape the server sent (a string unless it sent an object). */
export function formatMapping(map, original) {
  const entries = Object.entries(map).filter(([, v]) => v);
  if (original && typeof original === 'object' && !Array.isArray(original)) {
    return Object.fromEntries(entries);
  }
  return entries.map(([k, v]) => k + '=' + v).join(';');
}

function parseTypes(value) {
  if (Array.isArray(value)) {
    return value.map(String);
  }
  if (value === undefined || value === null || value === '') {
    return TYPES.map(([t]) => t);
  }
  return String(value).split(',').map((s) => s.trim()).filter(Boolean);
}

export async function syncSettings(ctx) {
  let settings;
  try {
    settings = await api.get('/api/settings/sync');
  } catch (e) {
    if (e.status === 401) {
      throw e;
    }
    return h('div', null, h('h1', null, 'Sync settings'),
      h('p', { class: 'form-status' }, badge('error'), ' The sync settings cannot be read: ', e.message));
  }
  settings = settings && settings.settings ? settings.settings : (settings || {});
  const errors = {}; // settings key → {input, error}
  const status = h('div', { class: 'form-status', id: 'sync-settings-status', attrs: { 'aria-live': 'polite' } });

  // record types
  const enabled = new Set(parseTypes(settings.types));
  const typeBoxes = TYPES.map(([t, label]) => {
    const box = h('input', { type: 'checkbox', id: 'type-' + t, name: 'types', value: t, checked: enabled.has(t) });
    return { t, box, row: h('label', { class: 'check', for: 'type-' + t }, box, ' ', label) };
  });
  const typesError = h('div', { class: 'field-error', hidden: true, attrs: { 'aria-live': 'polite' } });
  errors.types = { input: typeBoxes[0].box, error: typesError };
  const typesFieldset = h('fieldset', { class: 'types' }, h('legend', null, 'Record types to sync'),
    typeBoxes.map((b) => b.row), typesError);

  // optional mappings, per type
  const lists = [];
  const mappingInputs = {};
  for (const [key] of MAPPINGS) {
    const current = parseMapping(settings[key]);
    mappingInputs[key] = {};
    for (const [t] of TYPES) {
      const listId = 'suggest-' + key + '-' + t;
      lists.push(h('datalist', { id: listId }, (SUGGEST[key][t] || []).map((v) => h('option', { value: v }))));
      mappingInputs[key][t] = h('input', { type: 'text', id: 'map-' + key + '-' + t, value: current[t] || '', spellcheck: false, autocomplete: 'off',
        placeholder: 'not mapped', attrs: { list: listId, 'aria-label': key + ' mapping for ' + t } });
    }
    // keep mappings for types this console does not list
    mappingInputs[key].extra = Object.fromEntries(Object.entries(current).filter(([t]) => !TYPES.some(([x]) => x === t)));
  }
  const mappingErrors = Object.fromEntries(MAPPINGS.map(([k]) => [k, h('div', { class: 'field-error', hidden: true, attrs: { 'aria-live': 'polite' } })]));
  for (const [k] of MAPPINGS) {
    errors[k] = { input: mappingInputs[k].student, error: mappingErrors[k] };
  }
  const mappingTable = h('div', { class: 'table-wrap' }, h('table', { class: 'grid compact', attrs: { 'aria-label': 'Optional mappings per record type' } },
    h('thead', null, h('tr', null, h('th', { attrs: { scope: 'col' } }, 'Record type'), MAPPINGS.map(([, label]) => h('th', { attrs: { scope: 'col' } }, label)))),
    h('tbody', null, TYPES.map(([t, label]) => h('tr', null, h('th', { attrs: { scope: 'row' } }, label),
      MAPPINGS.map(([k]) => h('td', null, mappingInputs[k][t])))))));

  const communityIdName = field('Community ID display name', h('input', { type: 'text', id: 'communityIdName', value: settings.communityIdName || '', placeholder: 'Community ID' }),
    'What your library calls field 1001 (e.g. "Student ID").');
  errors.communityIdName = communityIdName;
  const dailyTime = field('Daily Operations time', h('input', { type: 'time', id: 'dailyTime', value: settings.dailyTime || '' }),
    'Each day at this time (server local time) the enabled record types sync. Empty: no Daily Operations.');
  errors.dailyTime = dailyTime;

  // the rest, as plain values: the known ones, then any other the server shows
  const advanced = [];
  const others = [...OTHER, ...Object.keys(settings).filter((k) => !KNOWN.has(k) && !OTHER.some(([o]) => o === k)).map((k) => [k, k, null])];
  for (const [key, label, hint] of others) {
    const value = settings[key];
    if (value !== undefined && value !== null && typeof value === 'object') {
      continue;
    }
    const input = typeof value === 'boolean'
      ? h('input', { type: 'checkbox', id: 'adv-' + key, checked: value })
      : h('input', { type: 'text', id: 'adv-' + key, value: value === undefined || value === null ? '' : String(value), spellcheck: false,
        autocomplete: 'off', inputMode: NUMERIC.has(key) ? 'numeric' : undefined });
    const f = field(label, input, hint);
    errors[key] = f;
    advanced.push({ key, value, f });
  }

  const save = h('button', { type: 'submit', class: 'btn btn-primary', id: 'sync-settings-save' }, 'Save');
  const form = h('form', { class: 'settings', id: 'sync-settings', attrs: { novalidate: true }, on: { submit: async (event) => {
    event.preventDefault();
    Object.values(errors).forEach((f) => setFieldError(f, null));
    const body = {};
    const types = typeBoxes.filter((b) => b.box.checked).map((b) => b.t);
    if (types.length === 0) {
      setFieldError(errors.types, 'Choose at least one record type (to stop syncing, turn off Daily Operations instead).');
      typeBoxes[0].box.focus();
      return;
    }
    body.types = Array.isArray(settings.types) ? types : types.join(',');
    for (const [k] of MAPPINGS) {
      const map = { ...mappingInputs[k].extra };
      for (const [t] of TYPES) {
        map[t] = mappingInputs[k][t].value.trim();
      }
      body[k] = formatMapping(map, settings[k]);
    }
    body.communityIdName = communityIdName.input.value.trim();
    body.dailyTime = dailyTime.input.value.trim();
    for (const { key, value, f } of advanced) {
      if (typeof value === 'boolean') {
        body[key] = f.input.checked;
      } else if ((typeof value === 'number' || NUMERIC.has(key)) && /^-?\d+$/.test(f.input.value.trim())) {
        body[key] = Number(f.input.value.trim());
      } else {
        body[key] = f.input.value.trim();
      }
    }
    save.disabled = true;
    fill(status, 'Saving…');
    try {
      const answer = await api.put('/api/settings/sync', body);
      const check = answer && answer.check;
      fill(status, badge('ok'), ' Saved.', check ? [' ', badge(check.ok ? 'ok' : 'failed'), ' ', check.message || ''] : null);
      notify('Sync settings saved.', 'ok');
    } catch (e) {
      if (e.status === 401) {
        return;
      }
      const f = e.field && errors[e.field];
      if (f) {
        setFieldError(f, e.message);
        const folded = f.input.closest('details');
        if (folded) {
          folded.open = true;
        }
        f.input.focus();
      }
      fill(status, badge('error'), ' Not saved: ', e.message);
    } finally {
      save.disabled = false;
    }
  } } },
  section('What syncs', typesFieldset),
  section('Optional mappings',
    h('p', { class: 'hint' }, 'Which roster value fills (and matches on) Barcode, Community ID and Location, per record type. ',
      'Clever: student_number / sis_id / state_id, teacher_number, staff_id. ClassLink: identifier, username, or userIds:<type>. Location (ClassLink homeroom): code, location or teacher. Empty: not mapped (neither written nor matched).'),
    mappingTable, MAPPINGS.map(([k]) => mappingErrors[k]), lists),
  section('Terminology and schedule', communityIdName.row, dailyTime.row),
  section('Other settings', h('details', { id: 'sync-advanced' }, h('summary', null, 'Safety hold, policies, barcode sequence, retention …'),
    h('div', { class: 'advanced' }, advanced.map((a) => a.f.row)))),
  h('div', { class: 'toolbar sticky-save' }, save, status));

  return h('div', null, h('h1', null, 'Sync settings'), form);
}
