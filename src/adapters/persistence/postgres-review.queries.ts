// The SQL of the review read model: the queue's columns, and the detail's JSON shaped by the views it fills.
import { AttachmentView, ClaimEventView, DeliveryAttemptView, HistoryEntry, NoteView, NotificationView, PaymentEventView, PaymentView } from '../../application/ports/review-read-model.port';
import { resolvedOutcome } from './postgres-payment-event.queries';

/** A claim holds until its time: a lapsed one reads as none (nothing sweeps it). */
const ACTIVE_CLAIM = (column: string) => `CASE WHEN c.claimed_until > now() THEN ${column} END`;

/** The queue's assignee filter: cases this analyst's claim holds ($n is the name), or those nobody's does. */
export const HELD_BY = (name: string) => `(c.assignee = ${name} AND c.claimed_until > now())`;
export const HELD_BY_NOBODY = `(c.assignee IS NULL OR c.claimed_until <= now())`;

/** A first four-eyes approval is shown while it waits for its second: a decided case has none waiting. */
const WAITING_APPROVAL = (column: string) => `CASE WHEN c.status = 'PENDING_EXTERNAL_APPROVAL' THEN ${column} END AS ${column.slice(2)}`;

export const CASE_COLUMNS = `
  c.transaction_id, c.direction, c.status, c.opened_at, c.decided_at, ${WAITING_APPROVAL('c.first_approved_by')}, ${WAITING_APPROVAL('c.first_approved_at')},
  ${ACTIVE_CLAIM('c.assignee')} AS assignee, ${ACTIVE_CLAIM('c.claimed_until')} AS claimed_until,
  (extract(epoch FROM c.opened_at) * 1000000)::bigint::text AS opened_key,
  t.amount::text AS amount, t.currency, t.beneficiary, t.reasons`;

/**
 * A view's keys, each with the SQL expression that fills it: the compiler holds every key of the
 * view to one column, so the JSON PostgreSQL builds has exactly the view's shape.
 */
function jsonObject<View>(columns: { readonly [K in keyof View]-?: string }): string {
  return `json_build_object(${Object.entries<string>(columns).map(([key, expression]) => `'${key}', ${expression}`).join(', ')})`;
}

const ATTEMPT_JSON = jsonObject<DeliveryAttemptView>({
  attempt: 'a.attempt',
  startedAt: 'a.started_at',
  durationMs: 'a.duration_ms',
  outcome: 'a.outcome',
  httpStatus: 'a.http_status',
  error: 'a.error',
});

/** Notifications with their attempts, as JSON, for the detail and the redelivery answer. */
export const NOTIFICATION_JSON = jsonObject<NotificationView>({
  id: 'n.id',
  transactionId: 'n.transaction_id',
  state: 'n.state',
  body: 'n.body::json',
  createdAt: 'n.created_at',
  nextAttemptAt: 'n.next_attempt_at',
  deliveredAt: 'n.delivered_at',
  deadAt: 'n.dead_at',
  lastError: 'n.last_error',
  redeliveredBy: 'n.redelivered_by',
  redeliveredAt: 'n.redelivered_at',
  attempts: `coalesce((SELECT json_agg(${ATTEMPT_JSON} ORDER BY a.id) FROM toqio_notification_attempts a WHERE a.notification_id = n.id), '[]'::json)`,
});

const DECISION_JSON = jsonObject<HistoryEntry>({
  sequence: 'd.sequence',
  status: 'd.status',
  final: 'd.final',
  source: 'd.source',
  decidedBy: 'd.decided_by',
  reasons: 'd.reasons',
  decidedAt: 'd.decided_at',
  hash: 'd.hash',
});

const NOTE_JSON = jsonObject<NoteView>({ author: 'e.author', text: 'e.text', at: 'e.at' });

const ATTACHMENT_JSON = jsonObject<AttachmentView>({
  id: 'e.attachment_id',
  filename: 'e.filename',
  contentType: 'e.content_type',
  size: 'e.size',
  sha256: 'e.sha256',
  by: 'e.author',
  at: 'e.at',
});

const CLAIM_EVENT_JSON = jsonObject<ClaimEventView>({
  action: 'e.action',
  by: 'e.actor',
  assignee: 'e.assignee',
  at: 'e.at',
  claimedUntil: 'e.claimed_until',
});

const PAYMENT_EVENT_JSON = jsonObject<PaymentEventView>({
  id: 'e.id',
  provider: 'e.provider',
  eventType: 'e.event_type',
  receivedAt: 'e.received_at',
  state: 'e.status',
  amount: 'e.amount::text',
  currency: 'e.currency',
  summary: 'e.summary',
  outcome: resolvedOutcome('e'),
});

const PAYMENT_JSON = jsonObject<PaymentView>({
  provider: 'p.provider',
  paymentKey: 'p.payment_key',
  progress: 'p.progress',
  providerStatus: 'p.provider_status',
  updatedAt: 'p.updated_at',
});

export const DETAIL = `
  SELECT t.id, t.direction, t.state, t.amount::text AS amount, t.currency, t.payload::text AS payload_json, t.reasons,
         t.received_at, t.provider, t.screening_outcome, t.provider_status, t.provider_reasons, t.screening_ms, t.screened_at, t.rule_set_version,
         c.opened_at, c.decided_at, ${ACTIVE_CLAIM('c.assignee')} AS assignee, ${ACTIVE_CLAIM('c.claimed_until')} AS claimed_until,
         coalesce((SELECT json_agg(${CLAIM_EVENT_JSON} ORDER BY e.id)
                     FROM case_claim_events e WHERE e.transaction_id = t.id), '[]'::json) AS claim_history,
         coalesce((SELECT json_agg(${DECISION_JSON} ORDER BY d.sequence)
                     FROM transaction_decisions d WHERE d.transaction_id = t.id), '[]'::json) AS decisions,
         coalesce((SELECT json_agg(${NOTE_JSON} ORDER BY e.sequence)
                     FROM case_entries e WHERE e.transaction_id = t.id AND e.kind = 'NOTE'), '[]'::json) AS notes,
         coalesce((SELECT json_agg(${ATTACHMENT_JSON} ORDER BY e.sequence)
                     FROM case_entries e WHERE e.transaction_id = t.id AND e.kind = 'ATTACHMENT'), '[]'::json) AS attachments,
         coalesce((SELECT json_agg(${NOTIFICATION_JSON} ORDER BY n.created_at)
                     FROM toqio_notifications n WHERE n.transaction_id = t.id), '[]'::json) AS notifications,
         coalesce((SELECT json_agg(${PAYMENT_EVENT_JSON} ORDER BY e.received_at, e.id)
                     FROM payment_events e WHERE e.transaction_id = t.id), '[]'::json) AS payment_events,
         coalesce((SELECT json_agg(${PAYMENT_JSON} ORDER BY p.updated_at)
                     FROM payments p WHERE p.transaction_id = t.id), '[]'::json) AS payments
    FROM transactions t LEFT JOIN review_cases c ON c.transaction_id = t.id
   WHERE t.id = $1`;
