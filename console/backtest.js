// One backtest: its progress while it runs, then answered against candidate statuses, the rules that fired and the transactions that would change.
import { getJson } from './api.js';
import { badge, facts, h, problemBox, replace, table, time } from './dom.js';

const STATUSES = ['APPROVED', 'PENDING_EXTERNAL_APPROVAL', 'REJECTED'];
const POLL_MS = 1000;

export async function renderBacktest(view, id) {
  const heading = h('h1', { tabindex: '-1' }, 'Backtest');
  const results = h('div', { class: 'results', 'aria-busy': 'true', 'aria-live': 'polite' }, h('p', { class: 'muted' }, 'Loading…'));
  replace(view.main, h('p', {}, h('a', { href: '#/rules' }, '← Rules')), heading, results);
  view.focus(heading);
  for (;;) {
    let job;
    try {
      job = await getJson(`/rules/backtest/${encodeURIComponent(id)}`);
    } catch (error) {
      if (view.current()) replace(results, problemBox(error));
      return;
    }
    if (!view.current()) return;
    replace(results, ...describe(job));
    if (job.state === 'DONE' || job.state === 'FAILED') {
      results.removeAttribute('aria-busy');
      view.announce(`Backtest ${job.state === 'DONE' ? 'done' : 'failed'}`);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    if (!view.current()) return;
  }
}

function describe(job) {
  const candidate = job.candidateVersion === null ? 'a rule set given inline' : `version ${job.candidateVersion}`;
  const parts = [
    facts([
      ['State', h('span', { id: 'backtest-state', 'data-state': job.state }, job.state)],
      ['Candidate', candidate],
      ['Transactions received', h('span', {}, time(job.from), ' to ', time(job.to))],
      ['Progress', `${job.processed.toLocaleString('en')} of ${job.total === null ? '…' : job.total.toLocaleString('en')}`],
      ['Requested by', h('span', {}, `${job.requestedBy} `, time(job.requestedAt))],
      ['Finished', job.finishedAt ? time(job.finishedAt) : null],
    ]),
  ];
  if (job.error) parts.push(h('div', { class: 'problem', role: 'alert' }, h('p', { class: 'problem-title' }, 'The backtest failed'), h('p', {}, job.error)));
  if (!job.result) return parts;
  const result = job.result;
  parts.push(
    h('p', { class: 'summary', id: 'backtest-summary' }, `${result.transactions.toLocaleString('en')} transactions screened, ${result.changed.toLocaleString('en')} would change${result.skipped ? `, ${result.skipped} still being screened left out` : ''}.`),
    table(
      'Answered (rows) against the candidate (columns)',
      ['Answered', ...STATUSES.map((status) => `Candidate: ${status === 'PENDING_EXTERNAL_APPROVAL' ? 'Pending review' : status[0] + status.slice(1).toLowerCase()}`)],
      STATUSES.map((answered) => h('tr', { 'data-answered': answered }, h('th', { scope: 'row' }, badge(answered)), STATUSES.map((candidate) => h('td', { class: 'count', 'data-candidate': candidate }, String(result.statuses[answered][candidate]))))),
      { className: 'data backtest-matrix' },
    ),
    h('h2', {}, 'Rules that fired'),
    Object.keys(result.rulesFired).length === 0
      ? h('p', { class: 'muted' }, 'None.')
      : table(null, ['Rule', 'Transactions'], Object.entries(result.rulesFired).map(([rule, count]) => h('tr', { 'data-rule': rule }, h('td', {}, rule), h('td', { class: 'count' }, String(count)))), { className: 'data backtest-rules' }),
    h('h2', {}, 'Transactions that would change'),
    result.samples.length === 0
      ? h('p', { class: 'muted' }, 'None.')
      : table(
          result.changed > result.samples.length ? `The first ${result.samples.length} of ${result.changed}` : null,
          ['Received', 'Transaction', 'Answered', 'Candidate', 'Candidate reasons'],
          result.samples.map((sample) =>
            h(
              'tr',
              { 'data-key': sample.transactionId },
              h('td', {}, time(sample.receivedAt)),
              h('td', {}, h('a', { href: `#/transactions/${encodeURIComponent(sample.transactionId)}` }, sample.transactionId)),
              h('td', {}, badge(sample.answered), sample.answeredVersion ? h('span', { class: 'muted' }, ` v${sample.answeredVersion}`) : null),
              h('td', {}, badge(sample.candidate)),
              h('td', {}, sample.candidateReasons.join('; ')),
            ),
          ),
          { className: 'data backtest-samples' },
        ),
  );
  return parts;
}
