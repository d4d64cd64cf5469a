// Unit spec of the outbox worker's timing: a retry due before the next poll goes out when due, not a poll later.
import { InMemoryNotificationOutbox } from '../../../test/fakes/in-memory-notification-outbox';
import { DeliverFromOutbox } from '../../application/deliver-from-outbox';
import { Delivery, DeliveryResult } from '../../application/ports/notification-outbox.port';
import { OutboxDeliveryWorker } from './outbox-delivery.worker';

/** A sender that refuses the first `refusals` attempts, then delivers, noting when each came. */
function flakySender(refusals: number) {
  const at: number[] = [];
  return {
    at,
    deliver: async (): Promise<DeliveryResult> => {
      at.push(Date.now());
      const outcome = at.length > refusals ? 'DELIVERED' : 'REFUSED';
      return { outcome, ...(outcome === 'REFUSED' ? { httpStatus: 500, error: 'Toqio answered 500' } : { httpStatus: 200 }), startedAt: new Date(), durationMs: 1 };
    },
  };
}

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('OutboxDeliveryWorker', () => {
  it('sends a retry when it is due, long before a 60 s poll, and again after each failure', async () => {
    const outbox = new InMemoryNotificationOutbox();
    const id = outbox.queue({ transactionId: 'tx-1', status: 'APPROVED', reason: 'ok', decidedBy: 'alice', decidedAt: '2026-01-01T00:00:00.000Z' });
    const sender = flakySender(2);
    const schedule = { baseDelayMs: 100, maxDelayMs: 1_000, maxAgeMs: 3_600_000 };
    const deliver = new DeliverFromOutbox<Delivery>(outbox, sender, { schedule, requestTimeoutMs: 1_000 });
    const worker = new OutboxDeliveryWorker('test-delivery', deliver, { concurrency: 4, pollMs: 60_000 }, (d) => d.notificationId);

    worker.onApplicationBootstrap();
    try {
      await until(() => outbox.view(id)?.state === 'DELIVERED', 5_000);
    } finally {
      await worker.beforeApplicationShutdown();
    }

    expect(sender.at).toHaveLength(3);
    // Each retry waited at least half its nominal delay (equal jitter), and nowhere near the poll.
    const gaps = sender.at.slice(1).map((t, i) => t - sender.at[i]!);
    expect(gaps[0]).toBeGreaterThanOrEqual(50);
    expect(gaps[1]).toBeGreaterThanOrEqual(100);
    expect(Math.max(...gaps)).toBeLessThan(5_000);
  });
});
