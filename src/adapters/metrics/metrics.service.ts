// Prometheus metrics: process figures plus the review queue and the outbox, read at scrape time.
import { Injectable, Logger } from '@nestjs/common';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { NotificationOutbox } from '../../application/ports/notification-outbox.port';
import { ReviewQueue } from '../../application/review-queue.use-case';
import { ServiceMetrics } from './service-metrics';

/**
 * One registry per application instance (not prom-client's global one), so that two instances
 * in one process, as in the replica tests, do not collide. Gauges that need the database are
 * read when scraped; if the database is down they are left out of that scrape rather than
 * failing it, so process metrics still arrive while readiness says what is wrong.
 */
@Injectable()
export class MetricsService {
  readonly registry: Registry;
  private readonly logger = new Logger('Metrics');
  private readonly refresh: () => Promise<void>;
  private readonly databaseGauges: Gauge[];

  constructor(queue: ReviewQueue, outbox: NotificationOutbox, instruments: ServiceMetrics) {
    // The counters and histograms of the request path live in the same registry.
    this.registry = instruments.registry;
    collectDefaultMetrics({ register: this.registry });
    const pending = new Gauge({ name: 'tm_review_pending', help: 'Transactions held for review (PENDING_EXTERNAL_APPROVAL)', registers: [] });
    const overdue = new Gauge({ name: 'tm_review_overdue', help: 'Held transactions pending longer than PENDING_SLA_MINUTES', registers: [] });
    const queued = new Gauge({ name: 'tm_notifications_queued', help: 'Notifications to Toqio not yet delivered', registers: [] });
    const dead = new Gauge({ name: 'tm_notifications_dead', help: 'Notifications to Toqio given up on after the maximum age', registers: [] });
    const oldest = new Gauge({ name: 'tm_notifications_oldest_queued_age_seconds', help: 'Age of the oldest undelivered notification (0 when none)', registers: [] });
    this.databaseGauges = [pending, overdue, queued, dead, oldest];
    for (const gauge of this.databaseGauges) this.registry.registerMetric(gauge);
    // One database read per scrape fills every database-backed gauge.
    this.refresh = async () => {
      const [counts, backlog] = await Promise.all([queue.pendingCounts(), outbox.stats()]);
      pending.set(counts.pending);
      overdue.set(counts.overdue);
      queued.set(backlog.queued);
      dead.set(backlog.dead);
      oldest.set(backlog.oldestQueuedAt ? Math.max(0, (Date.now() - backlog.oldestQueuedAt.getTime()) / 1000) : 0);
    };
  }

  async render(): Promise<string> {
    try {
      await this.refresh();
    } catch (error) {
      this.logger.warn(`database-backed metrics skipped: ${(error as Error).message}`);
      // No sample is better than a stale one.
      for (const gauge of this.databaseGauges) gauge.reset();
    }
    return this.registry.metrics();
  }
}
