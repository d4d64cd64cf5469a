// Prometheus metrics: process figures plus the review queue and the outbox, read at scrape time.
import { Injectable, Logger } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { NotificationOutbox } from '../../application/ports/notification-outbox.port';
import { ProviderHealth } from '../../application/ports/provider-health.port';
import { ProviderVerdictStore } from '../../application/ports/provider-verdict-store.port';
import { ReviewQueue } from '../../application/review-queue.use-case';
import { MetricsRecorder } from './metrics-recorder';

/**
 * One registry per application instance (not prom-client's global one), so that two instances
 * in one process, as in the replica tests, do not collide. Gauges that need the database are
 * read when scraped, and kept in a registry of their own: if the database is down they are left
 * out of that scrape rather than failing it (or showing 0, an empty queue, which a gauge without
 * labels does once reset), so process metrics still arrive while readiness says what is wrong.
 */
@Injectable()
export class MetricsScrape {
  readonly registry: Registry;
  private readonly logger = new Logger('Metrics');
  private readonly refresh: () => Promise<void>;
  /** The gauges read from the database at each scrape. */
  private readonly databaseRegistry = new Registry();

  constructor(queue: ReviewQueue, outbox: NotificationOutbox, instruments: MetricsRecorder, providerHealth: ProviderHealth, providerVerdicts: ProviderVerdictStore) {
    // The counters and histograms of the request path live in the same registry.
    this.registry = instruments.registry;
    collectDefaultMetrics({ register: this.registry });
    const pending = new Gauge({ name: 'tm_review_pending', help: 'Transactions held for review (PENDING_EXTERNAL_APPROVAL)', registers: [] });
    const overdue = new Gauge({ name: 'tm_review_overdue', help: 'Held transactions pending longer than PENDING_SLA_MINUTES', registers: [] });
    const queued = new Gauge({ name: 'tm_notifications_queued', help: 'Notifications to Toqio not yet delivered', registers: [] });
    const dead = new Gauge({ name: 'tm_notifications_dead', help: 'Notifications to Toqio given up on after the maximum age', registers: [] });
    const oldest = new Gauge({ name: 'tm_notifications_oldest_queued_age_seconds', help: 'Age of the oldest undelivered notification (0 when none)', registers: [] });
    for (const gauge of [pending, overdue, queued, dead, oldest]) this.databaseRegistry.registerMetric(gauge);
    // One database read per scrape fills every database-backed gauge.
    this.refresh = async () => {
      const [counts, backlog] = await Promise.all([queue.pendingCounts(), outbox.stats()]);
      pending.set(counts.pending);
      overdue.set(counts.overdue);
      queued.set(backlog.queued);
      dead.set(backlog.dead);
      oldest.set(backlog.oldestQueuedAt ? Math.max(0, (Date.now() - backlog.oldestQueuedAt.getTime()) / 1000) : 0);
    };
    this.refreshProviders = this.registerProviderMetrics(providerHealth, providerVerdicts);
  }

  // ---- Monitoring providers: calls, breakers, shadow agreement ------------------------------------
  private readonly refreshProviders: () => Promise<void>;

  /** Provider calls are observed as they happen; breaker states and shadow pairs are read at scrape time. */
  private registerProviderMetrics(health: ProviderHealth, verdicts: ProviderVerdictStore): () => Promise<void> {
    const labelNames = ['provider', 'role'] as const;
    const duration = new Histogram({
      name: 'tm_provider_request_duration_seconds',
      help: 'Monitoring provider calls by outcome (OK, ERROR, TIMEOUT, SHORT_CIRCUITED)',
      labelNames: [...labelNames, 'outcome'],
      buckets: [0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2.5, 5, 10],
      registers: [this.registry],
    });
    const errors = new Counter({ name: 'tm_provider_errors_total', help: 'Provider calls that failed (not timeouts)', labelNames, registers: [this.registry] });
    const timeouts = new Counter({ name: 'tm_provider_timeouts_total', help: 'Provider calls that ran out of time', labelNames, registers: [this.registry] });
    const fallbacks = new Counter({
      name: 'tm_provider_fallbacks_total',
      help: 'Provider calls whose verdict was not had (error, timeout or open breaker): the fallback stood in',
      labelNames,
      registers: [this.registry],
    });
    const breaker = new Gauge({ name: 'tm_provider_breaker_state', help: 'Circuit breaker: 0 closed, 1 half-open, 2 open', labelNames, registers: [this.registry] });
    const shadowPairs = new Gauge({
      name: 'tm_shadow_verdicts',
      help: 'Shadow challenger verdicts by (live status answered, shadow status); agreement is live = shadow, shadow "FAILED" when it did not answer',
      labelNames: ['provider', 'live', 'shadow'],
      registers: [this.databaseRegistry],
    });
    health.onCall(({ provider, role, outcome, durationMs }) => {
      duration.observe({ provider, role, outcome }, durationMs / 1000);
      if (outcome === 'ERROR') errors.inc({ provider, role });
      if (outcome === 'TIMEOUT') timeouts.inc({ provider, role });
      if (outcome !== 'OK') fallbacks.inc({ provider, role });
    });
    const breakerValue = { CLOSED: 0, HALF_OPEN: 1, OPEN: 2 } as const;
    return async () => {
      for (const status of health.providers()) breaker.set({ provider: status.provider, role: status.role }, breakerValue[status.breaker]);
      const reports = await verdicts.shadowReport();
      shadowPairs.reset();
      for (const report of reports) {
        for (const pair of report.pairs) shadowPairs.set({ provider: report.provider, live: pair.live, shadow: pair.shadow }, pair.count);
        if (report.shadowFailures > 0) shadowPairs.set({ provider: report.provider, live: 'ANY', shadow: 'FAILED' }, report.shadowFailures);
      }
    };
  }

  async render(): Promise<string> {
    let fromDatabase = '';
    try {
      await Promise.all([this.refresh(), this.refreshProviders()]);
      fromDatabase = await this.databaseRegistry.metrics();
    } catch (error) {
      // No sample is better than a stale one, or a zero.
      this.logger.warn(`database-backed metrics skipped: ${(error as Error).message}`);
    }
    return (await this.registry.metrics()) + fromDatabase;
  }
}
