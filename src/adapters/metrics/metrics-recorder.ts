// The service's own Prometheus instruments, fed on the request path and by the workers.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { OperatorEventBacklog } from '../../application/ports/operator-event-outbox.port';
import { DELIVERY_OUTCOMES, DeliveryOutcome } from '../../application/ports/outbox-delivery.port';
import { RECONCILIATION_CLASSES, ReconciliationClass } from '../../domain/reconciliation';

/** What became of one inbound webhook or provider callback. */
export type WebhookOutcome =
  | 'accepted'
  | 'duplicate'
  /** Verified and stored, but not readable: kept as UNPARSED with the reason, and acknowledged. */
  | 'unparsed'
  | 'bad_signature'
  | 'bad_key'
  | 'malformed'
  /** From an address outside the provider's allowlist (PAYSTACK_ALLOWED_IPS). */
  | 'forbidden_source'
  /** A provider name that no enabled adapter answers to (labelled provider="unknown"). */
  | 'unknown_provider'
  /** Authentic, but not applied now (unknown transaction, still screening, database down). */
  | 'failed';

/** Who made a decision: the provider's verdict, the fallback policy, or an analyst. */
export type DecisionSource = 'provider' | 'fallback' | 'analyst';

/**
 * Every label takes values from a small fixed set (HTTP status codes, status words, configured
 * provider names), never ids or paths a caller chooses, so the series stay few and an
 * observation costs a hash lookup. With `enabled` false nothing is recorded: the off switch the
 * benchmark measures against.
 */
export class MetricsRecorder {
  /** One registry per application instance (see MetricsScrape). */
  readonly registry = new Registry();
  readonly validateDuration = new Histogram({
    name: 'tm_validate_duration_seconds',
    help: 'Time to answer POST /transaction/validate, by HTTP status code and decision status (none for errors)',
    labelNames: ['code', 'status'] as const,
    // Around the 1.5 s default decision budget, and fine-grained where a healthy answer falls.
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 3, 5],
    registers: [this.registry],
  });
  readonly validateReplays = new Counter({
    name: 'tm_validate_replays_total',
    help: 'Validate calls answered from an earlier request with the same transactionId (idempotent replays)',
    registers: [this.registry],
  });
  readonly decisions = new Counter({
    name: 'tm_decisions_total',
    help: 'Decisions recorded, by source (provider, fallback, analyst) and status; analyst first approvals under four eyes count as FIRST_APPROVAL',
    labelNames: ['source', 'status'] as const,
    registers: [this.registry],
  });
  readonly deliveryAttempts = new Counter({
    name: 'tm_notification_attempts_total',
    help: 'Delivery attempts of decisions to Toqio, by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly operatorEventAttempts = new Counter({
    name: 'tm_operator_event_attempts_total',
    help: 'Delivery attempts of events to EVENTS_WEBHOOK_URL, by outcome (DELIVERED, or the failure)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly operatorEventsDead = new Counter({
    name: 'tm_operator_events_dead_total',
    help: 'Events to EVENTS_WEBHOOK_URL given up on (attempts or age exhausted)',
    registers: [this.registry],
  });
  readonly webhookEvents = new Counter({
    name: 'tm_webhook_events_total',
    help: 'Inbound webhooks and provider callbacks, by provider and outcome (accepted, duplicate, unparsed, bad_signature, bad_key, malformed, forbidden_source, unknown_provider, failed)',
    labelNames: ['provider', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly paymentVerifications = new Counter({
    name: 'tm_payment_verifications_total',
    help: "Payment events confirmed with their provider's API before being acted on, by provider and result (agrees, disagrees: an alert opened instead; unavailable: retried later)",
    labelNames: ['provider', 'result'] as const,
    registers: [this.registry],
  });
  readonly reconciliationItems = new Counter({
    name: 'tm_reconciliation_items_total',
    help: 'Rows of each stored daily reconciliation report, by class; each day is counted once, by the replica that stored it (sum over replicas)',
    labelNames: ['class'] as const,
    registers: [this.registry],
  });
  readonly rateLimited = new Counter({
    name: 'tm_http_rate_limited_total',
    help: 'Requests refused with 429, by route group (analyst, webhook)',
    labelNames: ['group'] as const,
    registers: [this.registry],
  });

  constructor(readonly enabled = true) {
    // Present from the first scrape, so rates and alerts work before the first event.
    for (const outcome of DELIVERY_OUTCOMES) {
      this.deliveryAttempts.labels(outcome).inc(0);
      this.operatorEventAttempts.labels(outcome).inc(0);
    }
    for (const name of RECONCILIATION_CLASSES) this.reconciliationItems.labels(name).inc(0);
  }

  observeValidate(code: number, status: string | undefined, seconds: number): void {
    if (this.enabled) this.validateDuration.labels(String(code), status ?? 'none').observe(seconds);
  }

  validateReplayed(): void {
    if (this.enabled) this.validateReplays.inc();
  }

  decision(source: DecisionSource, status: string): void {
    if (this.enabled) this.decisions.labels(source, status).inc();
  }

  deliveryAttempt(outcome: DeliveryOutcome): void {
    if (this.enabled) this.deliveryAttempts.labels(outcome).inc();
  }

  operatorEventAttempt(outcome: DeliveryOutcome, dead: boolean): void {
    if (!this.enabled) return;
    this.operatorEventAttempts.labels(outcome).inc();
    if (dead) this.operatorEventsDead.inc();
  }

  /**
   * Backlog gauges of the event webhook, read from the database at scrape time; left out of a
   * scrape when the database cannot answer rather than failing it. Only while the feature is on.
   */
  watchOperatorEventBacklog(read: () => Promise<OperatorEventBacklog>): void {
    if (!this.enabled) return;
    let pending: Promise<OperatorEventBacklog | undefined> | undefined;
    // One read serves the three gauges of a scrape.
    const backlog = () => (pending ??= read().catch(() => undefined).finally(() => setTimeout(() => (pending = undefined), 0)));
    const gauge = (name: string, help: string, value: (backlog: OperatorEventBacklog) => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        async collect() {
          const figures = await backlog();
          if (figures === undefined) this.reset();
          else this.set(value(figures));
        },
      });
    gauge('tm_operator_events_queued', 'Events to EVENTS_WEBHOOK_URL not yet delivered', (b) => b.queued);
    gauge('tm_operator_events_dead', 'Events to EVENTS_WEBHOOK_URL given up on, not redelivered since', (b) => b.dead);
    gauge('tm_operator_events_oldest_queued_age_seconds', 'Age of the oldest undelivered event (0 when none)', (b) =>
      b.oldestQueuedAt ? Math.max(0, (Date.now() - b.oldestQueuedAt.getTime()) / 1000) : 0,
    );
  }

  webhookEvent(provider: string, outcome: WebhookOutcome): void {
    if (this.enabled) this.webhookEvents.labels(outcome === 'unknown_provider' ? 'unknown' : provider, outcome).inc();
  }

  paymentVerification(provider: string, result: 'agrees' | 'disagrees' | 'unavailable'): void {
    if (this.enabled) this.paymentVerifications.labels(provider, result).inc();
  }

  reconciliationDay(counts: Readonly<Record<ReconciliationClass, number>>): void {
    if (this.enabled) for (const name of RECONCILIATION_CLASSES) this.reconciliationItems.labels(name).inc(counts[name]);
  }

  rateLimitedRequest(group: string): void {
    if (this.enabled) this.rateLimited.labels(group).inc();
  }
}
