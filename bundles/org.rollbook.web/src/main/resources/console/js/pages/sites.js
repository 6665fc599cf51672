// Site mapping: Rollbook sites on the left, the provider's schools on the right; Match, clear, add, delete.

import * as api from '../api.js';
import { h, fill, badge, table, button, field, setFieldError, section, act, notify, select } from '../ui.js';

export async function sites(ctx) {
  const [siteData, schoolResult] = await Promise.all([
    api.get('/api/sites'),
    api.get('/api/schools').then((v) => ({ value: v }), (e) => {
      if (e.status === 401) {
        throw e;
      }
      return { error: e };
    }),
  ]);
  const siteList = siteData.items || [];
  const schools = (schoolResult.value && schoolResult.value.items) || [];
  const schoolById = new Map(schools.map((s) => [s.id, s]));
  const sitesBySchool = new Map();
  for (const s of siteList) {
    if (s.providerId) {
      sitesBySchool.set(s.providerId, [...(sitesBySchool.get(s.providerId) || []), s.code]);
    }
  }

  let chosenSite = null;
  let chosenSchool = null;
  const selection = h('span', { id: 'match-selection', class: 'muted' });
  const match = button('Match', () => act(match, 'Matching', async () => {
    const site = siteList.find((s) => s.code === chosenSite);
    const school = schoolById.get(chosenSchool);
    await api.put('/api/sites/' + api.seg(site.code), { name: site.name, providerId: school.id });
    notify('Site ' + site.code + ' is matched to ' + (school.name || school.id) + '.', 'ok');
    ctx.reload();
  }), { id: 'match', class: 'btn btn-primary', disabled: true });
  const update = () => {
    const site = siteList.find((s) => s.code === chosenSite);
    const school = schoolById.get(chosenSchool);
    match.disabled = !(site && school);
    selection.textContent = (site ? 'Site ' + site.code : 'Choose a site') + ' ↔ ' + (school ? (school.name || school.id) : 'choose a school');
  };
  update();

  const schoolName = (id) => {
    if (!id) {
      return h('span', { class: 'muted' }, 'not mapped');
    }
    const school = schoolById.get(id);
    return school ? [school.name || id, h('div', { class: 'small mono muted' }, id)] : h('span', { class: 'mono' }, id);
  };

  const siteTable = table([
    { label: 'Select', cell: (s) => h('input', { type: 'radio', name: 'site', value: s.code, attrs: { 'aria-label': 'Select site ' + s.code },
      on: { change: () => { chosenSite = s.code; update(); } } }) },
    { label: 'Code', class: 'mono nowrap', cell: (s) => s.code },
    { label: 'Name', cell: (s) => s.name || '—' },
    { label: 'Mapped school', cell: (s) => schoolName(s.providerId) },
    { label: 'Actions', cell: (s) => h('div', { class: 'actions' },
      s.providerId ? button('Clear', (event) => act(event.currentTarget, 'Clearing the mapping of ' + s.code, async () => {
        await api.put('/api/sites/' + api.seg(s.code), { name: s.name, providerId: null });
        notify('Site ' + s.code + ' is no longer mapped.', 'ok');
        ctx.reload();
      }), { class: 'btn btn-small', attrs: { 'data-clear': s.code } }) : null,
      button('Delete', (event) => {
        if (!window.confirm('Delete site ' + s.code + '? Patrons keep their site code.')) {
          return;
        }
        act(event.currentTarget, 'Deleting site ' + s.code, async () => {
          await api.del('/api/sites/' + api.seg(s.code));
          notify('Site ' + s.code + ' deleted.', 'ok');
          ctx.reload();
        });
      }, { class: 'btn btn-small btn-quiet' })) },
  ], siteList, { label: 'Rollbook sites', empty: 'No sites yet: add one below.', rowProps: (s) => ({ attrs: { 'data-site': s.code } }) });

  const schoolPanel = schoolResult.error
    ? h('p', { class: 'form-status' }, badge('error'), ' The provider\'s schools cannot be read: ', schoolResult.error.message)
    : table([
      { label: 'Select', cell: (s) => h('input', { type: 'radio', name: 'school', value: s.id, attrs: { 'aria-label': 'Select school ' + (s.name || s.id) },
        on: { change: () => { chosenSchool = s.id; update(); } } }) },
      { label: 'School', cell: (s) => [s.name || '—', h('div', { class: 'small mono muted' }, s.id)] },
      { label: 'Number', cell: (s) => s.number || '—' },
      { label: 'Mapped to', cell: (s) => (sitesBySchool.get(s.id) || []).join(', ') || h('span', { class: 'muted' }, '—') },
    ], schools, { label: 'Provider schools', empty: 'The provider lists no schools.', rowProps: (s) => ({ attrs: { 'data-school': s.id } }) });

  // add a site (optionally mapped at once)
  const code = field('Site code', h('input', { id: 'new-site-code', type: 'text', autocomplete: 'off', spellcheck: false, maxLength: 64 }), 'Used in patron field 1050, e.g. MAIN.');
  const name = field('Name', h('input', { id: 'new-site-name', type: 'text', autocomplete: 'off' }));
  const school = field('School (optional)', select([['', '— not mapped —'], ...schools.map((s) => [s.id, s.name || s.id])], '', { id: 'new-site-school' }));
  const add = h('form', { class: 'settings inline-form', id: 'add-site', attrs: { 'aria-label': 'Add a site', novalidate: true }, on: { submit: (event) => {
    event.preventDefault();
    setFieldError(code, null);
    const c = code.input.value.trim();
    if (!c || c.includes('/')) {
      setFieldError(code, 'Enter a site code (no "/").');
      code.input.focus();
      return;
    }
    if (siteList.some((s) => s.code === c) && !window.confirm('Site ' + c + ' exists. Replace its name and mapping?')) {
      return;
    }
    act(event.submitter, 'Adding site ' + c, async () => {
      await api.put('/api/sites/' + api.seg(c), { name: name.input.value.trim() || null, providerId: school.input.value || null });
      notify('Site ' + c + ' saved.', 'ok');
      ctx.reload();
    });
  } } }, code.row, name.row, school.row, h('div', { class: 'toolbar' }, h('button', { type: 'submit', class: 'btn', id: 'add-site-submit' }, 'Add site')));

  return h('div', null,
    h('h1', null, 'Site mapping'),
    h('p', { class: 'lead' }, 'Each library site is matched to the provider\'s school whose people belong to it. Records of schools not matched to a site are skipped.'),
    h('div', { class: 'match-bar panel' }, selection, match),
    h('div', { class: 'two-col' },
      section('Rollbook sites', siteTable),
      section('Provider schools', schoolPanel)),
    section('Add a site', add));
}
