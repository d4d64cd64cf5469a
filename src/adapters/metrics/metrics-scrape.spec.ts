import { NotificationOutbox } from '../../application/ports/notification-outbox.port';
import { ProviderHealth } from '../../application/ports/provider-health.port';
import { ProviderVerdictStore } from '../../application/ports/provider-verdict-store.port';
import { ReviewQueue } from '../../application/review-queue.use-case';
import { MetricsRecorder } from './metrics-recorder';
import { MetricsScrape } from './metrics-scrape';

/** A database that answers, or not, at each scrape. */
function scrapeOf(database: { up: boolean }) {
  const down = () => Promise.reject(new Error('database "tm" is not currently accepting connections'));
  const queue = { pendingCounts: () => (database.up ? Promise.resolve({ pending: 3, overdue: 1 }) : down()) } as unknown as ReviewQueue;
  const outbox = { stats: () => (database.up ? Promise.resolve({ queued: 2, dead: 0, oldestQueuedAt: null }) : down()) } as unknown as NotificationOutbox;
  const health = { onCall: () => undefined, providers: () => [] } as unknown as ProviderHealth;
  const verdicts = {
    shadowReport: () => (database.up ? Promise.resolve([{ provider: 'marble', pairs: [{ live: 'APPROVED', shadow: 'APPROVED', count: 5 }], shadowFailures: 0 }]) : down()),
  } as unknown as ProviderVerdictStore;
  return new MetricsScrape(queue, outbox, new MetricsRecorder(), health, verdicts);
}

describe('MetricsScrape', () => {
  it('reads the queue, the outbox and the shadow pairs from the database at each scrape', async () => {
    const text = await scrapeOf({ up: true }).render();
    expect(text).toMatch(/^tm_review_pending 3$/m);
    expect(text).toMatch(/^tm_notifications_queued 2$/m);
    expect(text).toMatch(/^tm_shadow_verdicts\{provider="marble",live="APPROVED",shadow="APPROVED"\} 5$/m);
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
  });

  it('leaves them out while the database is down, rather than showing an empty queue, and brings them back after', async () => {
    const database = { up: true };
    const scrape = scrapeOf(database);
    await scrape.render();
    database.up = false;
    const during = await scrape.render();
    expect(during).not.toMatch(/tm_review_pending|tm_review_overdue|tm_notifications_|tm_shadow_verdicts/);
    expect(during).toMatch(/^process_cpu_user_seconds_total /m);
    database.up = true;
    expect(await scrape.render()).toMatch(/^tm_review_pending 3$/m);
  });
});
