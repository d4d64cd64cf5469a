// Unit spec of PushPaymentAlerts: one operator event per fact, keyed so that passes that overlap raise each once.
import { InMemoryOperatorEventOutbox } from '../../test/fakes/in-memory-operator-event-outbox';
import { PaymentAlertFacts, PaymentAlertSource } from './ports/payment-alert-source.port';
import { PushPaymentAlerts } from './push-payment-alerts.use-case';

const NOW = new Date('2026-03-02T12:00:00Z');

class FixedAlertSource extends PaymentAlertSource {
  readonly asked: { since: Date; unscreenedBefore: Date; limit: number }[] = [];
  constructor(private readonly facts: PaymentAlertFacts) {
    super();
  }
  async recent(since: Date, unscreenedBefore: Date, limit: number): Promise<PaymentAlertFacts> {
    this.asked.push({ since, unscreenedBefore, limit });
    return this.facts;
  }
}

const facts: PaymentAlertFacts = {
  failed: [{ eventId: 'e-1', provider: 'paystack', paymentKey: 'transfer:tx-1', transactionId: 'tx-1', providerStatus: 'failed', amount: '1000.5', currency: 'NGN', failedAt: NOW }],
  mismatches: [
    { eventId: 'e-2', provider: 'paystack', eventType: 'charge.success', transactionId: 'paystack:r', alertTransactionId: 'paystack:r', amount: '5', currency: 'NGN', disagreements: ['amount: x'], verifiedAt: NOW },
  ],
  unscreened: [{ eventId: 'e-3', provider: 'paystack', paymentKey: 'transfer:nobody', progress: 'SETTLED', amount: '7', currency: 'NGN', at: NOW }],
};

describe('PushPaymentAlerts', () => {
  it('raises one event per fact, keyed by the event behind it, and none again on the next pass', async () => {
    const source = new FixedAlertSource(facts);
    const outbox = new InMemoryOperatorEventOutbox();
    const alerts = new PushPaymentAlerts(source, outbox, { lookbackMs: 3_600_000, unscreenedAfterMs: 60_000, limit: 10 }, { now: () => NOW });

    await expect(alerts.runOnce()).resolves.toBe(3);
    await expect(alerts.runOnce()).resolves.toBe(0);

    expect(outbox.raised.map((event) => [event.type, event.dedupeKey])).toEqual([
      ['payment.failed', 'e-1'],
      ['payment.verification_mismatch', 'e-2'],
      ['payment.moved_unscreened', 'e-3'],
    ]);
    expect(outbox.raised[0]!.data).toMatchObject({ transactionId: 'tx-1', amount: '1000.5', consolePath: '/console/#/transactions/tx-1' });
    expect(outbox.raised[1]!.data).toMatchObject({ disagreements: ['amount: x'], consolePath: '/console/#/transactions/paystack%3Ar' });
    expect(source.asked[0]).toEqual({ since: new Date('2026-03-02T11:00:00Z'), unscreenedBefore: new Date('2026-03-02T11:59:00Z'), limit: 10 });
  });

  it('queues nothing when nothing happened', async () => {
    const outbox = new InMemoryOperatorEventOutbox();
    const alerts = new PushPaymentAlerts(new FixedAlertSource({ failed: [], mismatches: [], unscreened: [] }), outbox, { lookbackMs: 1, unscreenedAfterMs: 1, limit: 1 });
    await expect(alerts.runOnce()).resolves.toBe(0);
    expect(outbox.raised).toEqual([]);
  });
});
