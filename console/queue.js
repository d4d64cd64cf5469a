// The review queue: held transactions oldest first, filtered and searched, a page at a time, with pending cases decided in bulk.
import { getJson } from './api.js';
import { assigneeBadge } from './claims.js';
import { age, badge, h, money, problemBox, replace, table, time } from './dom.js';
import { can, principal } from './principal.js';
import { bulkSelection } from './queue-bulk.js';
import { searchFields, searchOf, SEARCH_KEYS } from './queue-search.js';

export const PAGE_SIZE = 50;

const STATUS_OPTIONS = [
  ['PENDING_EXTERNAL_APPROVAL', 'Pending review'],
  ['APPROVED', 'Approved'],
  ['REJECTED', 'Rejected'],
  ['ALL', 'Any status'],
];
const DIRECTION_OPTIONS = [
  ['', 'Both directions'],
  ['OUTBOUND', 'Outbound (payments from Toqio)'],
  ['INBOUND', 'Inbound (alerts from payment providers)'],
];
const DIRECTION_LABELS = { OUTBOUND: 'Outbound', INBOUND: 'Inbound' };
const ASSIGNEE_OPTIONS = [
  ['', 'Anyone'],
  ['me', 'Claimed by me'],
  ['none', 'Unclaimed'],
];

/** Filters, search and position as they appear in the address: `#/queue?status=…&direction=…&q=…&cursor=…`. */
export function queueParams(search) {
  const params = new URLSearchParams(search);
  const status = params.get('status');
  return {
    status: STATUS_OPTIONS.some(([value]) => value === status) ? status : 'PENDING_EXTERNAL_APPROVAL',
    direction: DIRECTION_OPTIONS.some(([value]) => value === params.get('direction')) ? params.get('direction') : '',
    assignee: ASSIGNEE_OPTIONS.some(([value]) => value === params.get('assignee')) ? params.get('assignee') : '',
    search: searchOf(params),
    cursor: params.get('cursor') || '',
  };
}

export function queueHash({ status, direction, assignee, search = {}, cursor }) {
  const params = new URLSearchParams();
  params.set('status', status);
  if (direction) params.set('direction', direction);
  if (assignee) params.set('assignee', assignee);
  for (const key of SEARCH_KEYS) if (search[key]) params.set(key, search[key]);
  if (cursor) params.set('cursor', cursor);
  return `#/queue?${params}`;
}

/**
 * `view.trail` holds the cursors of the pages before this one (kept in history.state, so that
 * the browser's back button and "Previous page" agree).
 */
export async function renderQueue(view, params, flash = null) {
  const trail = Array.isArray(history.state?.trail) ? history.state.trail : [];
  const heading = h('h1', { tabindex: '-1' }, 'Review queue');
  const results = h('div', { class: 'results', 'aria-busy': 'true' }, h('p', { class: 'muted' }, 'Loading the queue…'));
  const search = searchFields(params.search);
  replace(view.main, heading, filtersForm(view, params, search), flash, results);
  view.focus(flash ?? heading);

  const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (params.status !== 'ALL') query.set('status', params.status);
  if (params.direction) query.set('direction', params.direction);
  if (params.assignee) query.set('assignee', params.assignee);
  for (const [key, value] of Object.entries(params.search)) query.set(key, value);
  if (params.cursor) query.set('cursor', params.cursor);
  let page;
  let me = null;
  try {
    // Who is asking decides whether cases can be selected; a failure to say so only hides the selection.
    [page, me] = await Promise.all([getJson(`/transactions?${query}`), principal().catch(() => null)]);
  } catch (error) {
    if (!view.current()) return;
    search.markInvalid(error.problem?.errors);
    replace(results, problemBox(error));
    results.removeAttribute('aria-busy');
    return;
  }
  if (!view.current()) return;

  const now = Date.now();
  const pageNumber = params.cursor && trail.length === 0 ? null : trail.length + 1;
  const description = page.items.length === 0
    ? `No held transactions match these filters${page.nextCursor ? ' in this part of the queue; the next pages look further' : ''}.`
    : `${page.items.length} case${page.items.length === 1 ? '' : 's'}${pageNumber ? ` on page ${pageNumber}` : ''}, oldest first${page.nextCursor ? '; more on the next pages' : ''}.`;
  const selection = can(me, 'analyst') && page.items.some((item) => item.status === 'PENDING_EXTERNAL_APPROVAL')
    ? bulkSelection(page.items, (done) => renderQueue(view, params, done))
    : null;
  const rows = table(
    null,
    ['Held for', 'Transaction', 'Direction', 'Amount', 'Beneficiary', 'Reasons', 'State'],
    page.items.map((item) => queueRow(item, now, selection)),
    { className: 'data queue' },
  );
  if (selection) rows.querySelector('thead tr').prepend(selection.header);
  replace(
    results,
    h('p', { class: 'summary', id: 'queue-summary' }, description),
    page.items.length === 0 ? null : [selection?.bar, rows],
    pager(view, params, trail, page.nextCursor, pageNumber),
  );
  results.removeAttribute('aria-busy');
  view.announce(description);
  performance.mark('tm-console:queue-rendered');
}

function queueRow(item, now, selection) {
  const beneficiary = item.beneficiary && typeof item.beneficiary === 'object' ? item.beneficiary : null;
  return h(
    'tr',
    { 'data-transaction-id': item.transactionId, class: item.overdue ? 'overdue' : null },
    selection ? selection.cell(item) : null,
    // A decided case was held until its decision, not until now.
    h(
      'td',
      { class: 'age' },
      item.decidedAt
        ? h('span', { title: `Held from ${item.pendingSince} until ${item.decidedAt}` }, age(item.pendingSince, new Date(item.decidedAt).getTime()))
        : h('span', { title: `Held since ${item.pendingSince}` }, age(item.pendingSince, now)),
    ),
    h('td', { class: 'id' }, h('a', { href: `#/transactions/${encodeURIComponent(item.transactionId)}` }, item.transactionId)),
    h('td', { class: 'direction' }, DIRECTION_LABELS[item.direction] ?? item.direction),
    h('td', { class: 'num' }, money(item.amount, item.currency)),
    h('td', {}, beneficiary ? [String(beneficiary.name ?? '—'), beneficiary.country ? h('span', { class: 'muted' }, ` · ${beneficiary.country}`) : null] : h('span', { class: 'muted' }, '—')),
    h('td', { class: 'reasons-cell' }, (item.reasons ?? []).map((reason) => h('div', {}, String(reason)))),
    h(
      'td',
      { class: 'state' },
      badge(item.status),
      item.assignee ? [' ', assigneeBadge(item)] : null,
      item.overdue ? [' ', h('span', { class: 'badge badge-overdue', title: item.dueAt ? `Due ${item.dueAt}` : null }, 'Overdue')] : null,
      item.firstApproval ? [' ', h('span', { class: 'badge badge-four-eyes', title: `Approved first at ${item.firstApproval.at}` }, `1st approval: ${item.firstApproval.by}`)] : null,
      item.decidedAt ? [' ', h('span', { class: 'muted small' }, 'decided ', time(item.decidedAt))] : null,
    ),
  );
}

function filtersForm(view, params, search) {
  const status = select('filter-status', 'Status', STATUS_OPTIONS, params.status);
  const direction = select('filter-direction', 'Direction', DIRECTION_OPTIONS, params.direction);
  const assignee = select('filter-assignee', 'Assignee', ASSIGNEE_OPTIONS, params.assignee);
  const apply = () =>
    view.navigate(queueHash({ status: status.select.value, direction: direction.select.value, assignee: assignee.select.value, search: search.read() }), { trail: [] });
  for (const control of [status, direction, assignee]) control.select.addEventListener('change', apply);
  return h(
    'form',
    {
      class: 'filters',
      role: 'search',
      'aria-label': 'Filter the queue',
      method: 'post',
      onsubmit: (event) => {
        event.preventDefault();
        apply();
      },
    },
    status.field,
    direction.field,
    assignee.field,
    search.fields,
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit' }, 'Show'),
      h('button', { type: 'button', class: 'secondary', onclick: () => view.navigate(queueHash({ status: status.select.value, direction: '', assignee: '' }), { trail: [] }) }, 'Clear search'),
      h('button', { type: 'button', class: 'secondary', onclick: () => view.refresh() }, 'Reload'),
    ),
  );
}

function select(id, label, options, value) {
  const element = h('select', { id, name: id }, options.map(([optionValue, text]) => h('option', { value: optionValue, selected: optionValue === value }, text)));
  return { select: element, field: h('div', { class: 'field' }, h('label', { for: id }, label), element) };
}

function pager(view, params, trail, nextCursor, pageNumber) {
  const filters = { status: params.status, direction: params.direction, assignee: params.assignee, search: params.search };
  return h(
    'nav',
    { class: 'pager', 'aria-label': 'Queue pages' },
    h('button', { type: 'button', class: 'secondary', disabled: !params.cursor, onclick: () => view.navigate(queueHash(filters), { trail: [] }) }, 'First page'),
    h(
      'button',
      {
        type: 'button',
        class: 'secondary',
        disabled: trail.length === 0,
        onclick: () => view.navigate(queueHash({ ...filters, cursor: trail[trail.length - 1] }), { trail: trail.slice(0, -1) }),
      },
      'Previous page',
    ),
    pageNumber ? h('span', { class: 'page-number' }, `Page ${pageNumber}`) : null,
    h(
      'button',
      { type: 'button', disabled: !nextCursor, onclick: () => view.navigate(queueHash({ ...filters, cursor: nextCursor }), { trail: [...trail, params.cursor] }) },
      'Next page',
    ),
  );
}
