// One transaction in full, and the analyst's decision on it.
import { request } from './api.js';
import { badge, facts, h, money, notice, problemBox, reasonsList, replace, table, time } from './dom.js';
import { attachmentsSection, evidenceButtons, notesSection } from './case-records.js';
import { claimOf, claimPanel, mayDecide } from './claims.js';
import { can, principal, sameAnalyst } from './principal.js';
import { memberSource, prettyJson } from './json-text.js';

const REASON_MAX = 1000;
const DIRECTION_LABELS = { OUTBOUND: 'Outbound: a payment from Toqio', INBOUND: 'Inbound: an alert from a payment provider' };

const detailPath = (id) => `/transactions/${encodeURIComponent(id)}`;

/**
 * The detail is parsed twice: JSON.parse for the fields the API types (amounts there are
 * already strings), and the payload kept as the text the service sent, numbers digit for digit.
 */
function parseDetail(text) {
  return { detail: JSON.parse(text), payloadText: memberSource(text, 'payload') };
}

export async function renderTransaction(view, id, flash = null) {
  const heading = h('h1', { tabindex: '-1' }, 'Transaction ', h('span', { class: 'mono' }, id));
  const body = h('div', { 'aria-busy': 'true' }, h('p', { class: 'muted' }, 'Loading the transaction…'));
  replace(view.main, backLink(view), heading, body);
  if (!flash) view.focus(heading);
  let loaded;
  let me;
  try {
    const [answer, who] = await Promise.all([request('GET', detailPath(id)), principal()]);
    loaded = parseDetail(answer.text);
    me = who;
  } catch (error) {
    if (!view.current()) return;
    replace(body, flash, problemBox(error));
    body.removeAttribute('aria-busy');
    return;
  }
  if (!view.current()) return;
  draw(view, id, loaded, flash, me);
}

function backLink(view) {
  return h('p', { class: 'back' }, h('a', { href: view.lastQueueHash() }, '← Back to the queue'));
}

/** `me` is the signed-in analyst: the page offers only what their role (and the case's claim) lets them do. */
function draw(view, id, { detail, payloadText }, flash, me) {
  const notifications = h('section', { 'aria-labelledby': 'h-notifications' });
  const canRedeliver = can(me, 'admin');
  drawNotifications(view, id, notifications, detail.notifications ?? [], canRedeliver);
  const reload = (next) => renderTransaction(view, id, next);
  const pending = detail.status === 'PENDING_EXTERNAL_APPROVAL';
  replace(
    view.main,
    backLink(view),
    h(
      'div',
      { class: 'title-row' },
      h('h1', { tabindex: '-1', id: 'transaction-heading' }, 'Transaction ', h('span', { class: 'mono' }, detail.transactionId)),
      h('div', { class: 'title-actions' }, evidenceButtons(id), h('button', { type: 'button', class: 'secondary', onclick: () => renderTransaction(view, id) }, 'Reload')),
    ),
    flash,
    summary(detail),
    pending ? claimPanel(id, detail, me, reload) : null,
    pending ? (can(me, 'analyst') ? decisionPanel(view, id, detail, me) : readOnly(me)) : null,
    screening(detail),
    // Only where a challenger ran: an empty section on every transaction would be noise.
    Array.isArray(detail.shadowVerdicts) && detail.shadowVerdicts.length > 0 ? shadowVerdicts(detail.shadowVerdicts) : null,
    history(detail.decisions ?? []),
    notesSection(id, detail.notes ?? [], reload, { canWrite: can(me, 'analyst') }),
    attachmentsSection(id, detail.attachments ?? [], reload, { canWrite: can(me, 'analyst') }),
    notifications,
    Array.isArray(detail.paymentEvents) ? paymentEvents(detail.paymentEvents, detail.payments ?? []) : null,
    payload(payloadText),
  );
  view.main.dataset.status = detail.status;
  view.focus(flash ?? view.main.querySelector('#transaction-heading'));
  watchDeliveries(view, id, notifications, detail.notifications ?? [], canRedeliver);
}

function readOnly(me) {
  return h('p', { class: 'muted', id: 'read-only' }, `Your role (${me?.role ?? 'unknown'}) can read this case but not claim or decide it.`);
}

function summary(detail) {
  const review = detail.review;
  return h(
    'section',
    { class: 'summary-card', 'aria-label': 'Summary' },
    facts([
      ['Status', h('span', { id: 'transaction-status' }, badge(detail.status), review?.overdue ? [' ', h('span', { class: 'badge badge-overdue' }, 'Overdue')] : null)],
      ['Amount', money(detail.amount, detail.currency)],
      ['Direction', DIRECTION_LABELS[detail.direction] ?? detail.direction],
      ['Reasons', reasonsList(detail.reasons)],
      ['Received', time(detail.receivedAt)],
      ['Held since', review ? time(review.pendingSince) : null],
      ['Due by', review?.dueAt ? time(review.dueAt) : null],
      ['Decided', review?.decidedAt ? time(review.decidedAt) : null],
    ]),
  );
}

function decisionPanel(view, id, detail, me) {
  const first = detail.review?.firstApproval;
  const claim = claimOf(detail);
  const heldBack = !mayDecide(detail, me);
  // The second approval of a four-eyes case needs FOUR_EYES_SECOND_ROLE (GET /me says which)
  // and another analyst than any whose approval waits, as the service reads the history.
  const secondBarred = Boolean(first) && !can(me, me?.secondApprovalRole ?? 'analyst');
  const approvedByMe = Boolean(first) && firstApprovers(detail).some((name) => sameAnalyst(name, me?.name));
  const reason = h('textarea', { id: 'decision-reason', name: 'reason', rows: '3', 'aria-describedby': 'decision-reason-help decision-reason-count' });
  const count = h('span', { id: 'decision-reason-count', class: 'muted small', 'aria-live': 'off' }, `0 / ${REASON_MAX}`);
  reason.addEventListener('input', () => {
    count.textContent = `${reason.value.length} / ${REASON_MAX}`;
    count.classList.toggle('over', reason.value.length > REASON_MAX);
  });
  const message = h('div', { class: 'form-message' });
  const why = heldBack ? 'decision-held' : approvedByMe ? 'second-approval-mine' : secondBarred ? 'second-approval-role' : null;
  const approve = h(
    'button',
    { type: 'submit', name: 'status', value: 'APPROVED', class: 'approve', disabled: heldBack || secondBarred || approvedByMe, 'aria-describedby': why },
    first ? 'Approve (second analyst)' : 'Approve',
  );
  const reject = h('button', { type: 'submit', name: 'status', value: 'REJECTED', class: 'reject', disabled: heldBack }, 'Reject');
  const form = h(
    'form',
    { class: 'decision', method: 'post', 'aria-labelledby': 'h-decide', novalidate: true },
    h('h2', { id: 'h-decide' }, 'Decide'),
    first
      ? h(
          'p',
          { class: 'four-eyes', id: 'first-approval' },
          h('span', { class: 'badge badge-four-eyes' }, 'Four eyes'),
          ' Approved first by ',
          h('strong', {}, first.by),
          ' at ',
          time(first.at),
          '. A second, different analyst must approve before Toqio is told; a rejection by anyone is final.',
        )
      : null,
    why === 'second-approval-mine' ? h('p', { class: 'muted', id: 'second-approval-mine' }, 'You gave the first approval: the second must come from a different analyst. You may still reject.') : null,
    why === 'second-approval-role' ? h('p', { class: 'muted', id: 'second-approval-role' }, `The second approval needs the ${me.secondApprovalRole} role; you may still reject.`) : null,
    heldBack ? h('p', { class: 'muted', id: 'decision-held' }, `${claim.assignee} has claimed this case: only they or a supervisor may decide it until the claim ends.`) : null,
    h('div', { class: 'field' }, h('label', { for: 'decision-reason' }, 'Reason (required)'), reason),
    h('p', { id: 'decision-reason-help', class: 'muted small' }, 'Recorded in the history with your name, and sent to Toqio with a final decision. ', count),
    h('div', { class: 'actions' }, approve, reject),
    message,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const status = event.submitter?.value === 'REJECTED' ? 'REJECTED' : 'APPROVED';
    if (reason.value.trim() === '') {
      reason.setAttribute('aria-invalid', 'true');
      replace(message, problemBox({ problem: { title: 'A reason is required', detail: 'Say why you approve or reject: it is recorded in the history and sent to Toqio.', errors: [] } }));
      reason.focus();
      return;
    }
    reason.removeAttribute('aria-invalid');
    void decide(view, id, status, reason.value, { form, message, buttons: [approve, reject] });
  });
  return form;
}

/** The analysts whose approval waits for a second one: the history's analyst approvals not yet final. */
function firstApprovers(detail) {
  return (detail.decisions ?? []).filter((d) => d.source === 'ANALYST' && d.status === 'APPROVED' && !d.final).map((d) => d.decidedBy);
}

async function decide(view, id, status, reason, { form, message, buttons }) {
  for (const button of buttons) button.disabled = true;
  form.setAttribute('aria-busy', 'true');
  replace(message, h('p', { class: 'muted' }, status === 'APPROVED' ? 'Recording the approval…' : 'Recording the rejection…'));
  let answer;
  try {
    answer = await request('POST', `${detailPath(id)}/decision`, { body: { status, reason } });
  } catch (error) {
    if (!view.current()) return;
    if (error.status === 409 || error.status === 404) {
      // Someone else decided first (or this analyst already gave the first approval): say so, and show what is true now.
      await renderTransaction(view, id, problemBox(error, 'The view has been refreshed to show the transaction as it is now.'));
      return;
    }
    form.removeAttribute('aria-busy');
    for (const button of buttons) button.disabled = false;
    const box = problemBox(error);
    replace(message, box);
    box.focus();
    return;
  }
  if (!view.current()) return;
  const flash =
    answer.status === 202
      ? notice('Your approval is recorded. This amount needs four eyes: a second, different analyst must approve before Toqio is told.', 'info')
      : notice(status === 'APPROVED' ? 'Approved. The decision is recorded and Toqio is being notified.' : 'Rejected. The decision is recorded and Toqio is being notified.');
  draw(view, id, parseDetail(answer.text), flash, await principal());
}

function screening(detail) {
  const s = detail.screening ?? {};
  return h(
    'section',
    { 'aria-labelledby': 'h-screening' },
    h('h2', { id: 'h-screening' }, 'Provider verdict'),
    facts([
      ['Provider', s.provider ?? '—'],
      ['Screening', s.outcome ?? '—'],
      ['Verdict', s.providerStatus ? badge(s.providerStatus) : h('span', { class: 'muted' }, 'none (the provider did not answer)')],
      ['Reasons', reasonsList(s.providerReasons)],
      ['Took', s.durationMs === null || s.durationMs === undefined ? null : `${s.durationMs} ms`],
      ['Screened', time(s.screenedAt)],
    ]),
  );
}

function shadowVerdicts(verdicts) {
  return h(
    'section',
    { 'aria-labelledby': 'h-shadow' },
    h('h2', { id: 'h-shadow' }, 'Shadow provider verdicts'),
    verdicts.length === 0
      ? h('p', { class: 'muted' }, 'No shadow provider screened this transaction.')
      : table(
          null,
          ['Provider', 'Verdict', 'Reasons', 'Took', 'Screened'],
          verdicts.map((v) =>
            h(
              'tr',
              {},
              h('td', {}, String(v.provider ?? '—')),
              h('td', {}, v.status ? badge(v.status) : '—'),
              h('td', {}, reasonsList(v.reasons)),
              h('td', { class: 'num' }, v.durationMs === null || v.durationMs === undefined ? '—' : `${v.durationMs} ms`),
              h('td', {}, time(v.screenedAt)),
            ),
          ),
        ),
  );
}

const SOURCE_LABELS = { PROVIDER: 'Provider', FALLBACK: 'Fallback', ANALYST: 'Analyst' };

function history(decisions) {
  return h(
    'section',
    { 'aria-labelledby': 'h-history' },
    h('h2', { id: 'h-history' }, 'Decision history'),
    decisions.length === 0
      ? h('p', { class: 'muted' }, 'No decision recorded yet.')
      : table(
          null,
          ['#', 'When', 'Who', 'Source', 'Decision', 'Why', 'Hash'],
          decisions.map((d) =>
            h(
              'tr',
              {},
              h('td', { class: 'num' }, String(d.sequence)),
              h('td', {}, time(d.decidedAt)),
              h('td', {}, String(d.decidedBy)),
              h('td', {}, SOURCE_LABELS[d.source] ?? String(d.source)),
              h('td', {}, badge(d.status), d.final ? null : h('span', { class: 'muted small' }, d.source === 'ANALYST' && d.status === 'APPROVED' ? ' first approval' : ' not final')),
              h('td', {}, reasonsList(d.reasons)),
              h('td', { class: 'mono small', title: String(d.hash) }, String(d.hash ?? '').slice(0, 12)),
            ),
          ),
          { className: 'data history' },
        ),
  );
}

function drawNotifications(view, id, section, notifications, canRedeliver) {
  replace(
    section,
    h('h2', { id: 'h-notifications' }, 'Notifications to Toqio'),
    notifications.length === 0
      ? h('p', { class: 'muted' }, 'None: Toqio is notified once the transaction is finally approved or rejected.')
      : notifications.map((n) => notification(view, id, n, canRedeliver)),
  );
}

function notification(view, id, n, canRedeliver) {
  const body = n.body ?? {};
  const attempts = Array.isArray(n.attempts) ? n.attempts : [];
  return h(
    'article',
    { class: 'notification', 'data-notification-id': n.id, 'aria-label': `Notification ${n.id}` },
    h('h3', {}, 'Decision ', badge(body.status), ' to Toqio: ', h('span', { class: 'notification-state' }, badge(n.state))),
    facts([
      ['Idempotency key', h('span', { class: 'mono' }, String(n.id))],
      ['Reason sent', String(body.reason ?? '')],
      ['Decided by', String(body.decidedBy ?? '')],
      ['Decided at', time(body.decidedAt)],
      ['Queued', time(n.createdAt)],
      ['Next attempt', n.state === 'QUEUED' ? time(n.nextAttemptAt) : null],
      ['Delivered', n.deliveredAt ? time(n.deliveredAt) : null],
      ['Dead since', n.deadAt ? time(n.deadAt) : null],
      ['Last error', n.lastError ? String(n.lastError) : null],
      ['Redelivered by', n.redeliveredBy ? h('span', {}, String(n.redeliveredBy), ' at ', time(n.redeliveredAt)) : null],
    ]),
    n.state === 'DEAD' && canRedeliver
      ? h(
          'div',
          { class: 'actions' },
          h('button', { type: 'button', class: 'redeliver', onclick: (event) => redeliver(view, id, n.id, event.currentTarget) }, 'Redeliver to Toqio'),
          h('span', { class: 'muted small' }, ' Sends it again with the same idempotency key.'),
        )
      : null,
    attempts.length === 0
      ? h('p', { class: 'muted small' }, 'No delivery attempt yet.')
      : table(
          `${attempts.length} delivery attempt${attempts.length === 1 ? '' : 's'}`,
          ['#', 'Started', 'Took', 'Outcome', 'HTTP', 'Error'],
          attempts.map((a) =>
            h(
              'tr',
              {},
              h('td', { class: 'num' }, String(a.attempt)),
              h('td', {}, time(a.startedAt)),
              h('td', { class: 'num' }, `${a.durationMs} ms`),
              h('td', {}, String(a.outcome)),
              h('td', { class: 'num' }, a.httpStatus === null || a.httpStatus === undefined ? '—' : String(a.httpStatus)),
              h('td', {}, a.error ? String(a.error) : ''),
            ),
          ),
          { className: 'data attempts' },
        ),
  );
}

async function redeliver(view, id, notificationId, button) {
  button.disabled = true;
  let flash;
  try {
    await request('POST', `/notifications/${encodeURIComponent(notificationId)}/redeliver`);
    flash = notice('Queued again for delivery to Toqio, with the same idempotency key.', 'info');
  } catch (error) {
    if (error.status === 401) return;
    flash = problemBox(error, 'The view has been refreshed to show the notification as it is now.');
  }
  if (view.current()) await renderTransaction(view, id, flash);
}

/** While a notification waits for delivery, follow it until it is delivered or dead. */
function watchDeliveries(view, id, section, notifications, canRedeliver) {
  if (!notifications.some((n) => n.state === 'QUEUED')) return;
  const started = Date.now();
  let delay = 300;
  const poll = async () => {
    if (!view.current() || !section.isConnected) return;
    let next;
    try {
      next = parseDetail((await request('GET', detailPath(id))).text).detail.notifications ?? [];
    } catch {
      next = null; // transient: try again at the next tick
    }
    if (!view.current() || !section.isConnected) return;
    if (next) {
      // A queued notification has no control to hold focus, so redrawing its section loses none.
      if (JSON.stringify(next) !== JSON.stringify(notifications)) drawNotifications(view, id, section, next, canRedeliver);
      notifications = next;
      if (!next.some((n) => n.state === 'QUEUED')) {
        view.announce(`Notification to Toqio: ${next.map((n) => n.state.toLowerCase()).join(', ')}`);
        return;
      }
    }
    delay = Math.min(delay * 1.5, 5000);
    if (Date.now() - started < 10 * 60_000) setTimeout(poll, delay);
  };
  setTimeout(poll, delay);
}

function payload(payloadText) {
  let text = payloadText ?? '';
  try {
    text = prettyJson(text);
  } catch {
    // shown as received
  }
  return h(
    'section',
    { 'aria-labelledby': 'h-payload' },
    h('h2', { id: 'h-payload' }, 'Original payload'),
    h('p', { class: 'muted small' }, 'The request body exactly as received, unknown fields included, numbers with every digit.'),
    h('pre', { class: 'payload', tabindex: '0', 'aria-labelledby': 'h-payload' }, text),
  );
}

function paymentEvents(events, payments) {
  return h(
    'section',
    { 'aria-labelledby': 'h-events' },
    h('h2', { id: 'h-events' }, 'Payment events'),
    // Where each payment stands, as its provider last reported it (never moved backwards).
    payments.length === 0
      ? null
      : h(
          'ul',
          { class: 'payments' },
          payments.map((p) =>
            h('li', {}, h('span', { class: 'mono' }, String(p.paymentKey)), ` (${String(p.provider)}): `, h('strong', {}, String(p.progress)), ` — ${String(p.providerStatus)}, `, time(p.updatedAt)),
          ),
        ),
    events.length === 0
      ? h('p', { class: 'muted' }, 'No payment event is linked to this transaction.')
      : table(
          null,
          ['Received', 'Provider', 'Event', 'State', 'Amount', 'Summary', 'Effect', 'Event id'],
          events.map((e) =>
            h(
              'tr',
              {},
              h('td', {}, time(e.receivedAt)),
              h('td', {}, String(e.provider ?? '—')),
              h('td', {}, String(e.eventType ?? '—')),
              h('td', {}, e.state ? String(e.state) : '—'),
              h('td', { class: 'num' }, money(e.amount, e.currency)),
              h('td', {}, e.summary ? String(e.summary) : ''),
              // STALE: older than the state on record, so it changed nothing.
              h('td', {}, e.outcome ? String(e.outcome) : '—'),
              h('td', { class: 'mono small' }, String(e.id ?? '')),
            ),
          ),
        ),
  );
}
