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

/** Entries a page: the most the API gives at once. */
export const LIST_PAGE_SIZE = 1000;

const typesText = (types) => types.map((type) => TYPE_LABELS[type] ?? type).join(', ');
const listPath = (name) => `/lists/${encodeURIComponent(name)}`;

/** A list's page as it appears in the address: `#/lists/<name>`, then `?after=<value>` past the first page. */
export function listHash(name, after = '') {
  return `#/lists/${encodeURIComponent(name)}${after ? `?${new URLSearchParams({ after })}` : ''}`;
}

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

/**
 * One page of a list's entries, those after `after` (the first page when empty). `history.state.trail`
 * holds the `after` of each page before this one, as the queue keeps its cursors.
 */
export async function renderList(view, name, after = '', message = null) {
  const heading = h('h1', { tabindex: '-1' }, name);
  const results = loadingBox();
  replace(view.main, h('p', {}, h('a', { href: '#/lists' }, '← All lists')), heading, message, results);
  view.focus(message ?? heading);
  const query = new URLSearchParams({ limit: String(LIST_PAGE_SIZE) });
  if (after) query.set('after', after);
  const loaded = await loadInto(view, results, () => Promise.all([getJson(`${listPath(name)}?${query}`), principal()]));
  if (!loaded) return;
  const [list, me] = loaded;
  // A change redraws the page it was made on.
  const reload = (flash) => renderList(view, name, after, flash);
  // Only an admin may change a list: others are offered neither the form nor the Remove buttons.
  const mayChange = can(me, 'admin');
  const removalReason = mayChange ? h('input', { id: 'removal-reason', name: 'removal-reason', maxlength: '1000' }) : null;
  replace(
    results,
    h('p', {}, list.description, ' ', h('span', { class: 'muted' }, `Holds: ${typesText(list.types)}. ${list.entryCount} entr${list.entryCount === 1 ? 'y' : 'ies'}.`)),
    mayChange ? addForm(view, list, reload) : h('p', { class: 'muted', id: 'read-only' }, `Your role (${me?.role ?? 'unknown'}) can read this list but not change it: that needs the admin role.`),
    h('h2', {}, 'Entries'),
    list.entries.length === 0
      ? h('p', { class: 'muted' }, after ? 'No entries after the page before.' : 'Nothing is listed.')
      : [
          mayChange ? h('div', { class: 'field' }, h('label', { for: 'removal-reason' }, 'Reason for a removal'), removalReason) : null,
          table(null, ['Value', 'Type', 'Added by', 'When', 'Why', ...(mayChange ? [''] : [])], list.entries.map((entry) => entryRow(view, list, entry, removalReason, reload)), { className: 'data list-entries' }),
        ],
    after || list.nextAfter ? pager(view, name, after, list.nextAfter) : null,
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

function pager(view, name, after, nextAfter) {
  const trail = Array.isArray(history.state?.trail) ? history.state.trail : [];
  const pageNumber = after && trail.length === 0 ? null : trail.length + 1;
  return h(
    'nav',
    { class: 'pager', 'aria-label': 'Entry pages' },
    h('button', { type: 'button', class: 'secondary', disabled: !after, onclick: () => view.navigate(listHash(name), { trail: [] }) }, 'First page'),
    h(
      'button',
      { type: 'button', class: 'secondary', disabled: trail.length === 0, onclick: () => view.navigate(listHash(name, trail[trail.length - 1]), { trail: trail.slice(0, -1) }) },
      'Previous page',
    ),
    pageNumber ? h('span', { class: 'page-number' }, `Page ${pageNumber}`) : null,
    h('button', { type: 'button', disabled: !nextAfter, onclick: () => view.navigate(listHash(name, nextAfter), { trail: [...trail, after] }) }, 'Next page'),
  );
}

function addForm(view, list, reload) {
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
    await reload(notice(`${result.added.length} added${result.alreadyListed.length ? `, ${result.alreadyListed.length} already listed` : ''}.`));
  });
  return form;
}

/** An entry's row; with a Remove button when `removalReason` (the admin's field) is given. */
function entryRow(view, list, entry, removalReason, reload) {
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
    await reload(notice(`${entry.value} removed.`));
  });
  return row;
}
