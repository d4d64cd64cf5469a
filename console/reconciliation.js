// Reconciliation: each transaction's decision beside what payment providers reported, for a chosen range, a page at a time.
import { getJson } from './api.js';
import { badge, h, loadInto, loadingBox, money, replace, table, time } from './dom.js';

export const RECONCILIATION_PAGE_SIZE = 100;

const CLASS_LABELS = {
  APPROVED_NOT_SETTLED: 'Approved, not settled',
  MOVED_UNSCREENED: 'Moved, never screened',
  MOVED_NOT_APPROVED: 'Moved, not approved',
  MISMATCH: 'Amount or currency mismatch',
  FAILED_AFTER_APPROVAL: 'Failed after approval',
  REFUNDED: 'Refunded',
};
const TOTAL_COLUMNS = [
  ['transactions', 'Transactions'],
  ['approved', 'Approved'],
  ['rejected', 'Rejected'],
  ['pending', 'Pending'],
  ['settled', 'Settled'],
  ['received', 'Received'],
  ['failed', 'Failed'],
  ['refunded', 'Refunded'],
  ['movedUnscreened', 'Moved unscreened'],
];

const DAY_MS = 86_400_000;

/** Range and position as they appear in the address: `#/reconciliation?from=YYYY-MM-DD&to=YYYY-MM-DD&cursor=…`. */
export function reconciliationParams(search) {
  const params = new URLSearchParams(search);
  const today = new Date().toISOString().slice(0, 10);
  const date = (value, fallback) => (/^\d{4}-\d{2}-\d{2}$/.test(value ?? '') ? value : fallback);
  return {
    from: date(params.get('from'), new Date(Date.now() - 7 * DAY_MS).toISOString().slice(0, 10)),
    to: date(params.get('to'), today),
    cursor: params.get('cursor') || '',
  };
}

export function reconciliationHash({ from, to, cursor }) {
  const params = new URLSearchParams({ from, to });
  if (cursor) params.set('cursor', cursor);
  return `#/reconciliation?${params}`;
}

/** `to` is a day shown inclusive; the API takes the day after it as its exclusive end. */
function apiRange(params) {
  const end = new Date(`${params.to}T00:00:00Z`);
  return { from: params.from, to: new Date(end.getTime() + DAY_MS).toISOString().slice(0, 10) };
}

export async function renderReconciliation(view, params) {
  const heading = h('h1', { tabindex: '-1' }, 'Reconciliation');
  const results = loadingBox('Reconciling…');
  replace(view.main, heading, rangeForm(view, params), results);
  view.focus(heading);

  const query = new URLSearchParams({ ...apiRange(params), limit: String(RECONCILIATION_PAGE_SIZE) });
  if (params.cursor) query.set('cursor', params.cursor);
  const page = await loadInto(view, results, () => getJson(`/reconciliation?${query}`));
  if (!page) return;
  const description =
    page.items.length === 0
      ? 'Nothing to reconcile in this range: every decision agrees with what providers reported.'
      : `${page.items.length} row${page.items.length === 1 ? '' : 's'} to look at, oldest first${page.nextCursor ? '; more on the next page' : ''}.`;
  replace(
    results,
    page.counts ? summarySection(page) : null,
    h('p', { class: 'summary', id: 'reconciliation-summary' }, description),
    page.items.length === 0 ? null : table(null, ['When', 'Transaction', 'Decision', 'Screened', 'Provider reported', 'Refunded', 'Classes'], page.items.map(row), { className: 'data reconciliation' }),
    h(
      'nav',
      { class: 'pager', 'aria-label': 'Reconciliation pages' },
      h('button', { type: 'button', class: 'secondary', disabled: !params.cursor, onclick: () => view.navigate(reconciliationHash({ from: params.from, to: params.to })) }, 'First page'),
      h('button', { type: 'button', disabled: !page.nextCursor, onclick: () => view.navigate(reconciliationHash({ ...params, cursor: page.nextCursor })) }, 'Next page'),
    ),
  );
  view.announce(description);
}

function summarySection(page) {
  const counts = Object.entries(CLASS_LABELS).map(([name, label]) =>
    h('li', { 'data-class': name, class: page.counts[name] > 0 ? 'attention' : null }, h('span', { class: 'count' }, String(page.counts[name] ?? 0)), ' ', label),
  );
  return h(
    'section',
    { 'aria-labelledby': 'h-reconciliation-totals' },
    h('h2', { id: 'h-reconciliation-totals' }, 'Over the whole range'),
    h('ul', { class: 'class-counts' }, counts),
    page.totals.length === 0
      ? h('p', { class: 'muted' }, 'No transactions in this range.')
      : table(
          'Totals per currency (exact)',
          ['Currency', ...TOTAL_COLUMNS.map(([, label]) => label)],
          page.totals.map((total) => h('tr', { 'data-currency': total.currency }, h('th', { scope: 'row' }, total.currency), TOTAL_COLUMNS.map(([key]) => h('td', { class: 'num' }, String(total[key]))))),
          { className: 'data totals' },
        ),
  );
}

function row(item) {
  const id = item.transactionId
    ? h('a', { href: `#/transactions/${encodeURIComponent(item.transactionId)}` }, item.transactionId)
    : h('span', {}, h('span', { class: 'muted' }, 'no transaction · '), `${item.provider} ${item.paymentKey}`);
  const reported = item.paymentProgress
    ? [h('span', { class: 'progress' }, item.paymentProgress), ' ', money(item.providerAmount, item.providerCurrency), item.providerStatus ? h('span', { class: 'muted small' }, ` (${item.provider}: ${item.providerStatus})`) : null]
    : h('span', { class: 'muted' }, 'nothing reported');
  return h(
    'tr',
    { 'data-key': item.transactionId ?? `${item.provider}|${item.paymentKey}` },
    h('td', {}, time(item.at)),
    h('td', { class: 'id' }, id),
    h('td', {}, item.decision ? badge(item.decision) : h('span', { class: 'muted' }, '—')),
    h('td', { class: 'num' }, money(item.amount, item.currency)),
    h('td', {}, reported, (item.disagreements ?? []).map((text) => h('div', { class: 'disagreement' }, String(text)))),
    h('td', { class: 'num' }, money(item.refundedAmount, item.currency)),
    h('td', { class: 'classes' }, item.classes.map((name) => h('span', { class: `badge badge-class`, 'data-class': name }, CLASS_LABELS[name] ?? name))),
  );
}

function rangeForm(view, params) {
  const from = h('input', { id: 'range-from', name: 'from', type: 'date', value: params.from, required: true });
  const to = h('input', { id: 'range-to', name: 'to', type: 'date', value: params.to, required: true });
  return h(
    'form',
    {
      class: 'filters',
      role: 'search',
      'aria-label': 'Choose the range',
      method: 'post',
      onsubmit: (event) => {
        event.preventDefault();
        view.navigate(reconciliationHash({ from: from.value, to: to.value }));
      },
    },
    h('div', { class: 'field' }, h('label', { for: 'range-from' }, 'From (UTC day)'), from),
    h('div', { class: 'field' }, h('label', { for: 'range-to' }, 'To (UTC day, included)'), to),
    h('button', { type: 'submit' }, 'Reconcile'),
    h('button', { type: 'button', class: 'secondary', onclick: () => view.refresh() }, 'Reload'),
  );
}
