// Several pending cases selected in the queue, approved or rejected together with one reason (POST /transactions/decisions).
import { request } from './api.js';
import { h, problemBox, replace, table } from './dom.js';

const OUTCOME_LABELS = {
  DECIDED: 'Decided',
  AWAITING_SECOND_APPROVAL: 'Awaits a second approval',
  CONFLICT: 'Conflict',
  NOT_FOUND: 'Not found',
  FORBIDDEN: 'Forbidden',
};
const MAX_ITEMS = 100;

/**
 * The selection of one page: a checkbox per pending case, one for all of them, and the bar that
 * decides the selected ones. `done(results)` is called with the answer's summary to show.
 */
export function bulkSelection(items, done) {
  const selected = new Set();
  const pending = items.filter((item) => item.status === 'PENDING_EXTERNAL_APPROVAL');
  const boxes = new Map();
  const count = h('span', { id: 'bulk-count', 'aria-live': 'polite' }, 'No case selected');
  const reason = h('textarea', { id: 'bulk-reason', name: 'reason', rows: 2, maxlength: 1000, required: true });
  const message = h('div', { class: 'form-message' });
  const approve = h('button', { type: 'button', class: 'approve', disabled: true }, 'Approve selected');
  const reject = h('button', { type: 'button', class: 'reject', disabled: true }, 'Reject selected');
  const all = h('input', { type: 'checkbox', id: 'select-all', 'aria-label': 'Select every pending case on this page', disabled: pending.length === 0 });

  const update = () => {
    count.textContent = selected.size === 0 ? 'No case selected' : `${selected.size} case${selected.size === 1 ? '' : 's'} selected`;
    approve.disabled = reject.disabled = selected.size === 0;
    all.checked = pending.length > 0 && selected.size === pending.length;
    all.indeterminate = selected.size > 0 && selected.size < pending.length;
  };
  const toggle = (id, on) => {
    if (on) selected.add(id);
    else selected.delete(id);
    const box = boxes.get(id);
    if (box) box.checked = on;
  };
  all.addEventListener('change', () => {
    for (const item of pending) toggle(item.transactionId, all.checked);
    update();
  });

  const decide = (status) => async () => {
    const text = reason.value.trim();
    if (!text) {
      reason.setAttribute('aria-invalid', 'true');
      replace(message, problemBox({ problem: { title: 'A reason is required', detail: 'Say why, for every selected case: it is recorded with each decision and sent to Toqio.', errors: [] } }));
      reason.focus();
      return;
    }
    approve.disabled = reject.disabled = true;
    replace(message, h('p', { class: 'muted' }, `Deciding ${selected.size} case${selected.size === 1 ? '' : 's'}…`));
    try {
      const items = [...selected].slice(0, MAX_ITEMS).map((transactionId) => ({ transactionId, status, reason: text }));
      const { text: answer } = await request('POST', '/transactions/decisions', { body: { items } });
      await done(resultsOf(JSON.parse(answer).results, status));
    } catch (error) {
      if (error.status === 401) return;
      replace(message, problemBox(error));
      update();
    }
  };
  approve.addEventListener('click', decide('APPROVED'));
  reject.addEventListener('click', decide('REJECTED'));

  return {
    header: h('th', { scope: 'col', class: 'select' }, all),
    cell(item) {
      if (item.status !== 'PENDING_EXTERNAL_APPROVAL') return h('td', { class: 'select' });
      const box = h('input', { type: 'checkbox', name: 'select', value: item.transactionId, 'aria-label': `Select ${item.transactionId}` });
      box.addEventListener('change', () => {
        toggle(item.transactionId, box.checked);
        update();
      });
      boxes.set(item.transactionId, box);
      return h('td', { class: 'select' }, box);
    },
    bar: h(
      'form',
      { class: 'bulk', 'aria-label': 'Decide the selected cases', method: 'post', onsubmit: (event) => event.preventDefault() },
      h('div', { class: 'field' }, h('label', { for: 'bulk-reason' }, 'Reason for the selected cases'), reason),
      h('div', { class: 'actions' }, approve, reject, count),
      message,
    ),
  };
}

/** What happened to each case of a bulk decision, in words and as a table. */
function resultsOf(results, status) {
  const counts = new Map();
  for (const result of results) counts.set(result.outcome, (counts.get(result.outcome) ?? 0) + 1);
  const summary = [...counts].map(([outcome, n]) => `${n} ${OUTCOME_LABELS[outcome]?.toLowerCase() ?? outcome}`).join(', ');
  return h(
    'section',
    { class: 'bulk-results', id: 'bulk-results', role: 'status', tabindex: '-1', 'aria-labelledby': 'h-bulk-results' },
    h('h2', { id: 'h-bulk-results' }, `${status === 'APPROVED' ? 'Approved' : 'Rejected'} ${results.length} selected: ${summary}`),
    table(
      null,
      ['Transaction', 'Outcome', 'Detail'],
      results.map((result) =>
        h(
          'tr',
          { 'data-transaction-id': result.transactionId, 'data-outcome': result.outcome },
          h('td', { class: 'id' }, h('a', { href: `#/transactions/${encodeURIComponent(result.transactionId)}` }, result.transactionId)),
          h('td', {}, h('span', { class: `badge badge-outcome-${result.outcome.toLowerCase().replace(/_/g, '-')}` }, OUTCOME_LABELS[result.outcome] ?? result.outcome)),
          h('td', {}, result.detail),
        ),
      ),
    ),
  );
}
