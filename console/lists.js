// Managed lists: every list with its entries, additions with a reason, removals with a reason, and who changed what.
import { getJson, request } from './api.js';
import { h, loadInto, loadingBox, notice, onClickShowingProblems, onSubmitShowingProblems, replace, table, time } from './dom.js';
import { can, principal } from './principal.js';

const TYPE_LABELS = {
  iban: 'IBAN',
  'account-number': 'Sort code and account number',
  bic: 'BIC',
  name: 'Name',
  'customer-id': 'Customer id',
  'source-account': 'Source account',
  country: 'Country',
};

const typesText = (types) => types.map((type) => TYPE_LABELS[type] ?? type).join(', ');
const listPath = (name) => `/lists/${encodeURIComponent(name)}`;

export async function renderLists(view) {
  const heading = h('h1', { tabindex: '-1' }, 'Managed lists');
  const results = loadingBox();
  replace(view.main, heading, h('p', {}, 'Lists the rules engine matches transactions against. Changes apply to every replica within a second; admins make them, each with a reason.'), results);
  view.focus(heading);
  const lists = await loadInto(view, results, () => getJson('/lists'));
  if (!lists) return;
  replace(
    results,
    lists.length === 0
      ? h('p', { class: 'muted' }, 'The active rule set declares no list.')
      : table(
          null,
          ['List', 'Holds', 'Entries', 'Last change', 'Description'],
          lists.map((list) =>
            h(
              'tr',
              { 'data-list': list.name },
              h('td', {}, h('a', { href: `#/lists/${encodeURIComponent(list.name)}` }, list.name)),
              h('td', {}, typesText(list.types)),
              h('td', { class: 'count' }, String(list.entryCount)),
              h('td', {}, time(list.changedAt)),
              h('td', {}, list.description),
            ),
          ),
          { className: 'data lists' },
        ),
  );
}

export async function renderList(view, name, message = null) {
  const heading = h('h1', { tabindex: '-1' }, name);
  const results = loadingBox();
  replace(view.main, h('p', {}, h('a', { href: '#/lists' }, '← All lists')), heading, message, results);
  view.focus(message ?? heading);
  const loaded = await loadInto(view, results, () => Promise.all([getJson(`${listPath(name)}?limit=1000`), principal()]));
  if (!loaded) return;
  const [list, me] = loaded;
  // Only an admin may change a list: others are offered neither the form nor the Remove buttons.
  const mayChange = can(me, 'admin');
  const removalReason = mayChange ? h('input', { id: 'removal-reason', name: 'removal-reason', maxlength: '1000' }) : null;
  replace(
    results,
    h('p', {}, list.description, ' ', h('span', { class: 'muted' }, `Holds: ${typesText(list.types)}. ${list.entryCount} entr${list.entryCount === 1 ? 'y' : 'ies'}.`)),
    mayChange ? addForm(view, list) : h('p', { class: 'muted', id: 'read-only' }, `Your role (${me?.role ?? 'unknown'}) can read this list but not change it: that needs the admin role.`),
    h('h2', {}, 'Entries'),
    list.entries.length === 0
      ? h('p', { class: 'muted' }, 'Nothing is listed.')
      : [
          mayChange ? h('div', { class: 'field' }, h('label', { for: 'removal-reason' }, 'Reason for a removal'), removalReason) : null,
          table(null, ['Value', 'Type', 'Added by', 'When', 'Why', ...(mayChange ? [''] : [])], list.entries.map((entry) => entryRow(view, list, entry, removalReason)), { className: 'data list-entries' }),
          list.nextAfter ? h('p', { class: 'muted' }, 'Only the first 1,000 entries are shown.') : null,
        ],
    h('h2', {}, 'Latest changes'),
    list.changes.length === 0
      ? h('p', { class: 'muted' }, 'No change yet.')
      : table(
          null,
          ['When', 'Change', 'Value', 'By', 'Why'],
          list.changes.map((change) =>
            h('tr', { 'data-change': change.id }, h('td', {}, time(change.changedAt)), h('td', {}, change.action === 'ADDED' ? 'Added' : 'Removed'), h('td', {}, h('code', {}, change.value)), h('td', {}, change.changedBy), h('td', {}, change.reason)),
          ),
          { className: 'data list-changes' },
        ),
  );
}

function addForm(view, list) {
  const values = h('textarea', { id: 'list-values', name: 'values', rows: '4', required: true, spellcheck: 'false' });
  const reason = h('input', { id: 'list-reason', name: 'reason', required: true, maxlength: '1000' });
  const message = h('div', { class: 'form-message' });
  const submit = h('button', { type: 'submit' }, 'Add to the list');
  const form = h(
    'form',
    { class: 'list-add', method: 'post', 'aria-labelledby': 'h-list-add', novalidate: true },
    h('h2', { id: 'h-list-add' }, 'Add values'),
    h('div', { class: 'field' }, h('label', { for: 'list-values' }, 'Values, one a line (spacing and case do not matter)'), values),
    h('div', { class: 'field' }, h('label', { for: 'list-reason' }, 'Why'), reason),
    h('div', { class: 'actions' }, submit),
    message,
  );
  onSubmitShowingProblems(form, submit, message, async () => {
    const lines = values.value.split('\n').map((line) => line.trim()).filter((line) => line !== '');
    const { text } = await request('POST', `${listPath(list.name)}/entries`, { body: { values: lines, reason: reason.value.trim() } });
    const result = JSON.parse(text);
    if (!view.current()) return;
    view.announce(`${result.added.length} added`);
    await renderList(view, list.name, notice(`${result.added.length} added${result.alreadyListed.length ? `, ${result.alreadyListed.length} already listed` : ''}.`));
  });
  return form;
}

/** An entry's row; with a Remove button when `removalReason` (the admin's field) is given. */
function entryRow(view, list, entry, removalReason) {
  const remove = removalReason ? h('button', { type: 'button', class: 'secondary', 'aria-label': `Remove ${entry.value}` }, 'Remove') : null;
  const row = h(
    'tr',
    { 'data-value': entry.value },
    h('td', {}, h('code', {}, entry.value)),
    h('td', {}, TYPE_LABELS[entry.type] ?? entry.type),
    h('td', {}, entry.addedBy),
    h('td', {}, time(entry.addedAt)),
    h('td', {}, entry.reason),
    remove ? h('td', {}, remove) : null,
  );
  if (!remove) return row;
  onClickShowingProblems(remove, row, 6, async () => {
    await request('DELETE', `${listPath(list.name)}/entries/${encodeURIComponent(entry.value)}`, { body: { reason: removalReason.value.trim() } });
    if (!view.current()) return;
    view.announce(`${entry.value} removed`);
    await renderList(view, list.name, notice(`${entry.value} removed.`));
  });
  return row;
}
