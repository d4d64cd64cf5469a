// Unit spec of PushPaymentAlerts: one operator event per fact, keyed so that passes that overlap raise each once, a page at a time.
import { InMemoryOperatorEventOutbox } from '../../test/fakes/in-memory-operator-event-outbox';
import { FailedPayment, PaymentAlertFacts, PaymentAlertSource } from './ports/payment-alert-source.port';
import { PushPaymentAlerts } from './push-payment-alerts.use-case';

const NOW = new Date('2026-03-02T12:00:00Z');

/** Holds facts oldest first and answers, as PostgreSQL does, those the outbox holds no event for, `limit` of each kind. */
class FactsToRaise extends PaymentAlertSource {
  readonly asked: { since: Date; unscreenedBefore: Date; limit: number }[] = [];
  constructor(
    private readonly facts: PaymentAlertFacts,
    private readonly outbox: InMemoryOperatorEventOutbox,
  ) {
    super();
  }
  async notYetRaised(since: Date, unscreenedBefore: Date, limit: number): Promise<PaymentAlertFacts> {
    this.asked.push({ since, unscreenedBefore, limit });
    const open = <F extends { eventId: string }>(type: string, facts: readonly F[]) =>
      facts.filter((fact) => !this.outbox.raised.some((event) => event.type === type && event.dedupeKey === fact.eventId)).slice(0, limit);
    return {
      failed: open('payment.failed', this.facts.failed),
      mismatches: open('payment.verification_mismatch', this.facts.mismatches),
      unscreened: open('payment.moved_unscreened', this.facts.unscreened),
    };
  }
}

const facts: PaymentAlertFacts = {
  failed: [{ eventId: 'e-1', provider: 'paystack', paymentKey: 'transfer:tx-1', transactionId: 'tx-1', providerStatus: 'failed', amount: '1000.5', currency: 'NGN', failedAt: NOW }],
  mismatches: [
    { eventId: 'e-2', provider: 'paystack', eventType: 'charge.success', transactionId: 'paystack:r', alertTransactionId: 'paystack:r', amount: '5', currency: 'NGN', disagreements: ['amount: x'], verifiedAt: NOW },
  ],
  unscreened: [{ eventId: 'e-3', provider: 'paystack', paymentKey: 'transfer:nobody', progress: 'SETTLED', amount: '7', currency: 'NGN', at: NOW }],
};

const failedPayment = (n: number): FailedPayment => ({
  eventId: `f-${n}`,
  provider: 'paystack',
  paymentKey: `transfer:tx-${n}`,
  transactionId: `tx-${n}`,
  providerStatus: 'failed',
  amount: '10',
  currency: 'NGN',
  failedAt: new Date(NOW.getTime() - 60_000 + n),
});

describe('PushPaymentAlerts', () => {
  it('raises one event per fact, keyed by the event behind it, and none again on the next pass', async () => {
    const outbox = new InMemoryOperatorEventOutbox();
    const source = new FactsToRaise(facts, outbox);
    const alerts = new PushPaymentAlerts(source, outbox, { lookbackMs: 3_600_000, unscreenedAfterMs: 60_000, limit: 10 }, { now: () => NOW });

    await expect(alerts.runOnce()).resolves.toEqual({ raised: 3, more: false });
    await expect(alerts.runOnce()).resolves.toEqual({ raised: 0, more: false });

    expect(outbox.raised.map((event) => [event.type, event.dedupeKey])).toEqual([
      ['payment.failed', 'e-1'],
      ['payment.verification_mismatch', 'e-2'],
      ['payment.moved_unscreened', 'e-3'],
    ]);
    expect(outbox.raised[0]!.data).toMatchObject({ transactionId: 'tx-1', amount: '1000.5', consolePath: '/console/#/transactions/tx-1' });
    expect(outbox.raised[1]!.data).toMatchObject({ disagreements: ['amount: x'], consolePath: '/console/#/transactions/paystack%3Ar' });
    expect(source.asked[0]).toEqual({ since: new Date('2026-03-02T11:00:00Z'), unscreenedBefore: new Date('2026-03-02T11:59:00Z'), limit: 10 });
  });

  it('raises a burst larger than a page in full, a page a pass, asking for another pass while a page comes back full', async () => {
    const outbox = new InMemoryOperatorEventOutbox();
    const burst = Array.from({ length: 7 }, (_, n) => failedPayment(n));
    const alerts = new PushPaymentAlerts(new FactsToRaise({ ...facts, failed: burst }, outbox), outbox, { lookbackMs: 3_600_000, unscreenedAfterMs: 60_000, limit: 3 }, { now: () => NOW });

    const passes = [await alerts.runOnce(), await alerts.runOnce(), await alerts.runOnce(), await alerts.runOnce()];

    expect(passes).toEqual([
      { raised: 5, more: true },
      { raised: 3, more: true },
      { raised: 1, more: false },
      { raised: 0, more: false },
    ]);
    const failed = outbox.raised.filter((event) => event.type === 'payment.failed').map((event) => event.dedupeKey);
    expect(failed).toEqual(burst.map((payment) => payment.eventId));
  });

  it('asks for no further pass when a full page raised nothing new', async () => {
    const outbox = new InMemoryOperatorEventOutbox();
    const page = [failedPayment(1), failedPayment(2)];
    // A source that ignores what was raised: the same page again, as another replica's uncommitted alerts would look.
    const stale = new (class extends PaymentAlertSource {
      async notYetRaised(): Promise<PaymentAlertFacts> {
        return { failed: page, mismatches: [], unscreened: [] };
      }
    })();
    const alerts = new PushPaymentAlerts(stale, outbox, { lookbackMs: 1, unscreenedAfterMs: 1, limit: 2 });

    await expect(alerts.runOnce()).resolves.toEqual({ raised: 2, more: true });
    await expect(alerts.runOnce()).resolves.toEqual({ raised: 0, more: false });
  });

  it('queues nothing when nothing happened', async () => {
    const outbox = new InMemoryOperatorEventOutbox();
    const alerts = new PushPaymentAlerts(new FactsToRaise({ failed: [], mismatches: [], unscreened: [] }, outbox), outbox, { lookbackMs: 1, unscreenedAfterMs: 1, limit: 1 });
    await expect(alerts.runOnce()).resolves.toEqual({ raised: 0, more: false });
    expect(outbox.raised).toEqual([]);
  });
});
