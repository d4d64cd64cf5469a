// Unit spec of FollowUpPaymentEvents: money received screened, alerts opened, failures retried, nothing lost.
import { InMemoryPaymentEventStore } from '../../test/fakes/in-memory-payment-event-store';
import { InMemoryTransactionStore } from '../../test/fakes/in-memory-transaction-store';
import { ScriptedMonitoringProvider } from '../../test/fakes/scripted-monitoring-provider';
import { ScriptedPaymentVerifier } from '../../test/fakes/scripted-payment-verifier';
import { Money } from '../domain/money';
import { Transaction } from '../domain/transaction';
import { SCREENING } from '../domain/transaction-status';
import { Screening } from '../domain/verdict';
import { FollowUpPaymentEvents, FollowUpPolicy } from './follow-up-payment-events.use-case';
import { FollowUp } from './ports/payment-event-store.port';

const T0 = new Date('2026-03-02T09:00:00.000Z');
const policy: FollowUpPolicy = { screeningTimeoutMs: 50, leaseMs: 30_000, retryBaseMs: 1_000, retryMaxDelayMs: 300_000 };

type InboundEffect = Extract<FollowUp['effect'], { kind: 'INBOUND_PAYMENT' }>;

const inbound = (overrides: Partial<InboundEffect> = {}): InboundEffect => ({
  kind: 'INBOUND_PAYMENT',
  transactionId: 'paystack:inv-2026-0042',
  money: Money.of('1000', 'NGN'),
  customerId: 'CUS_q8w7e6r5t4y3',
  reference: 'inv-2026-0042',
  attributes: { source: 'paystack', event: 'charge.success', reference: 'inv-2026-0042', amount: '1000', currency: 'NGN' },
  ...overrides,
});

const alert: FollowUp['effect'] = {
  kind: 'ALERT',
  transactionId: 'payto-query:ANZAU260303-00017',
  money: Money.of('562.89', 'AUD'),
  reason: 'PayTo query ANZAU260303-00017 (Mandate Query Payments): payer does not recognise this debit',
  attributes: { source: 'payto', event: 'query', caseId: 'ANZAU260303-00017' },
};

/** A store whose recordScreening fails a number of times first, as when the database is unreachable. */
class FlakyTransactionStore extends InMemoryTransactionStore {
  failuresLeft = 0;
  override async recordScreening(transaction: Transaction, screening: Screening): Promise<boolean> {
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      throw new Error('connection terminated unexpectedly');
    }
    return super.recordScreening(transaction, screening);
  }
}

function setUp(provider = ScriptedMonitoringProvider.answering({ status: 'APPROVED', reasons: [] }), verifier?: ScriptedPaymentVerifier) {
  let now = T0;
  const clock = {
    now: () => now,
    advance: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
  };
  const events = new InMemoryPaymentEventStore(clock.now);
  const transactions = new FlakyTransactionStore();
  transactions.now = () => clock.now().getTime();
  const verified: string[] = [];
  const useCase = new FollowUpPaymentEvents(events, transactions, provider, policy, {
    now: clock.now,
    random: () => 0.5,
    verifier,
    onVerified: (name, result) => verified.push(`${name}:${result}`),
  });
  return { events, transactions, provider, useCase, clock, verified };
}

describe('FollowUpPaymentEvents', () => {
  it('screens money received as an INBOUND transaction and records an approval', async () => {
    const { events, transactions, provider, useCase } = setUp();
    const eventId = events.queue(inbound());

    await expect(useCase.runDue(10)).resolves.toEqual(['DONE']);

    expect(provider.calls).toHaveLength(1);
    const screened = provider.calls[0]!;
    expect(screened).toMatchObject({ id: 'paystack:inv-2026-0042', direction: 'INBOUND', customerId: 'CUS_q8w7e6r5t4y3', reference: 'inv-2026-0042' });
    expect(screened.money.toString()).toBe('1000 NGN');
    expect(screened.attributes).toMatchObject({ source: 'paystack', amount: '1000' });
    expect(await transactions.findById('paystack:inv-2026-0042')).toMatchObject({ direction: 'INBOUND', state: 'APPROVED' });
    expect(events.completed).toEqual([eventId]);
    expect(events.followUpOf(eventId)).toBeUndefined();
  });

  it("holds money the provider rejects for an analyst, with the provider's reasons, rather than rejecting it", async () => {
    const { events, transactions, useCase } = setUp(ScriptedMonitoringProvider.answering({ status: 'REJECTED', reasons: ['payer on a sanctions list'] }));
    const eventId = events.queue(inbound());

    await expect(useCase.runDue(10)).resolves.toEqual(['DONE']);

    expect(await transactions.findById('paystack:inv-2026-0042')).toMatchObject({ state: 'PENDING_EXTERNAL_APPROVAL', reasons: ['payer on a sanctions list'] });
    const [screening] = transactions.screeningsOf('paystack:inv-2026-0042');
    // The provider's own verdict is kept as it said it.
    expect(screening).toMatchObject({ outcome: 'DECIDED', status: 'PENDING_EXTERNAL_APPROVAL', verdict: { status: 'REJECTED', reasons: ['payer on a sanctions list'] } });
    expect(events.completed).toEqual([eventId]);
  });

  it('holds money the provider holds', async () => {
    const { events, transactions, useCase } = setUp(ScriptedMonitoringProvider.answering({ status: 'PENDING_EXTERNAL_APPROVAL', reasons: ['large amount'] }));
    events.queue(inbound());
    await useCase.runDue(10);
    expect(await transactions.findById('paystack:inv-2026-0042')).toMatchObject({ state: 'PENDING_EXTERNAL_APPROVAL', reasons: ['large amount'] });
  });

  it('holds money for review when the provider fails, marking the screening as failed so it is tried again later', async () => {
    const { events, transactions, useCase } = setUp(ScriptedMonitoringProvider.failing('503 from vendor'));
    const eventId = events.queue(inbound());

    await expect(useCase.runDue(10)).resolves.toEqual(['DONE']);

    const [screening] = transactions.screeningsOf('paystack:inv-2026-0042');
    expect(screening).toMatchObject({ outcome: 'ERROR', status: 'PENDING_EXTERNAL_APPROVAL', error: '503 from vendor' });
    expect(screening!.verdict).toBeUndefined();
    expect(events.completed).toEqual([eventId]);
  });

  it('holds money for review when the provider does not answer within the budget', async () => {
    const { events, transactions, provider, useCase } = setUp(ScriptedMonitoringProvider.hanging());
    events.queue(inbound());

    await expect(useCase.runDue(10)).resolves.toEqual(['DONE']);

    expect(transactions.screeningsOf('paystack:inv-2026-0042')[0]).toMatchObject({ outcome: 'TIMEOUT', status: 'PENDING_EXTERNAL_APPROVAL' });
    expect(provider.abortedCalls).toHaveLength(1);
  });

  it('opens an alert as a held INBOUND transaction with its reason, without asking the provider', async () => {
    const { events, transactions, provider, useCase } = setUp();
    const eventId = events.queue(alert, { provider: 'payto' });

    await expect(useCase.runDue(10)).resolves.toEqual(['DONE']);

    expect(provider.calls).toHaveLength(0);
    expect(await transactions.findById('payto-query:ANZAU260303-00017')).toMatchObject({ direction: 'INBOUND', state: 'PENDING_EXTERNAL_APPROVAL', reasons: [alert.reason] });
    expect(transactions.screeningsOf('payto-query:ANZAU260303-00017')[0]).toMatchObject({ provider: 'payto', outcome: 'DECIDED', status: 'PENDING_EXTERNAL_APPROVAL' });
    expect(events.completed).toEqual([eventId]);
  });

  it('leaves a follow-up whose screening cannot be stored for a later try, with the error, and never completes it', async () => {
    const { events, transactions, useCase } = setUp();
    transactions.failuresLeft = 1;
    const eventId = events.queue(inbound());

    await expect(useCase.runDue(10)).resolves.toEqual(['RETRY']);

    expect(events.completed).toEqual([]);
    expect(events.retries).toHaveLength(1);
    const [retry] = events.retries;
    expect(retry!.eventId).toBe(eventId);
    expect(retry!.error).toBe('connection terminated unexpectedly');
    // First retry: half the base delay fixed, half jittered (random 0.5 here).
    expect(retry!.retryAt).toEqual(new Date(T0.getTime() + 750));
    expect(events.followUpOf(eventId)).toMatchObject({ lastError: 'connection terminated unexpectedly', dueAt: retry!.retryAt });
  });

  it('is not due again before its retry time, and then takes over its own claim and finishes', async () => {
    const { events, transactions, provider, useCase, clock } = setUp();
    transactions.failuresLeft = 1;
    const eventId = events.queue(inbound());
    await useCase.runDue(10);
    expect((await transactions.findById('paystack:inv-2026-0042'))?.state).toBe(SCREENING);

    clock.advance(500);
    await expect(useCase.runDue(10)).resolves.toEqual([]);

    clock.advance(250);
    await expect(useCase.runDue(10)).resolves.toEqual(['DONE']);
    expect(await transactions.findById('paystack:inv-2026-0042')).toMatchObject({ state: 'APPROVED' });
    expect(provider.calls).toHaveLength(2);
    expect(events.completed).toEqual([eventId]);
  });

  it('backs off further on each failed attempt, never beyond the maximum delay', async () => {
    const { events, transactions, useCase, clock } = setUp();
    transactions.failuresLeft = 100;
    events.queue(inbound());
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 12; attempt += 1) {
      const before = clock.now().getTime();
      await expect(useCase.runDue(10)).resolves.toEqual(['RETRY']);
      const retryAt = events.retries.at(-1)!.retryAt.getTime();
      delays.push(retryAt - before);
      clock.advance(retryAt - before);
    }
    expect(delays.slice(0, 4)).toEqual([750, 1_500, 3_000, 6_000]);
    expect(Math.max(...delays)).toBe(225_000);
    expect(events.completed).toEqual([]);
  });

  it('completes without screening again a transaction already screened (an earlier try died after recording)', async () => {
    const { events, transactions, provider, useCase } = setUp();
    const effect = inbound();
    const transaction = new Transaction({ id: effect.transactionId, direction: 'INBOUND', money: effect.money, attributes: {}, originalPayload: '{}' });
    await transactions.claim(transaction, []);
    await transactions.recordScreening(transaction, { provider: 'scripted', outcome: 'DECIDED', status: 'APPROVED', reasons: [], durationMs: 1 });
    const eventId = events.queue(effect);

    await expect(useCase.runDue(10)).resolves.toEqual(['DONE']);

    expect(provider.calls).toHaveLength(0);
    expect(transactions.screeningsOf(effect.transactionId)).toHaveLength(1);
    expect(events.completed).toEqual([eventId]);
  });

  it('works only the follow-ups due, up to the limit asked for', async () => {
    const { events, useCase } = setUp();
    for (const reference of ['a', 'b', 'c']) events.queue(inbound({ transactionId: `paystack:${reference}`, reference }));

    await expect(useCase.runDue(2)).resolves.toEqual(['DONE', 'DONE']);
    await expect(useCase.runDue(2)).resolves.toEqual(['DONE']);
    await expect(useCase.runDue(2)).resolves.toEqual([]);
    expect(events.completed).toHaveLength(3);
  });

  it('does not answer for one failure with another: a follow-up that cannot be rescheduled rejects the pass and stays claimed', async () => {
    const { events, transactions, useCase } = setUp();
    transactions.failuresLeft = 1;
    events.retryFailure = new Error('database down');
    const eventId = events.queue(inbound());

    await expect(useCase.runDue(10)).rejects.toThrow('database down');

    expect(events.completed).toEqual([]);
    // Still leased: taken again once the lease ends.
    expect(events.followUpOf(eventId)?.dueAt).toEqual(new Date(T0.getTime() + policy.leaseMs));
  });

  describe('with a verifier', () => {
    const check = { kind: 'CHARGE' as const, lookup: 'inv-2026-0042', reference: 'inv-2026-0042', status: 'success', alertTransactionId: 'paystack:inv-2026-0042' };
    const agreeing = { found: true as const, reference: 'inv-2026-0042', status: 'success', money: Money.of('1000.00', 'NGN') };

    it('screens a charge its provider confirms, and keeps what the provider said', async () => {
      const verifier = new ScriptedPaymentVerifier(agreeing);
      const { events, transactions, provider, useCase, verified } = setUp(undefined, verifier);
      const eventId = events.queue(inbound({ verify: check }));

      await expect(useCase.runDue(10)).resolves.toEqual(['DONE']);

      expect(verifier.asked).toEqual([check]);
      expect(provider.calls).toHaveLength(1);
      expect(await transactions.findById('paystack:inv-2026-0042')).toMatchObject({ state: 'APPROVED' });
      expect(events.verifications.get(eventId)).toMatchObject({ outcome: 'SCREENED', disagreements: [] });
      expect(verified).toEqual(['paystack:agrees']);
    });

    it('opens an alert in place of the screening when the provider contradicts the charge', async () => {
      const verifier = new ScriptedPaymentVerifier({ ...agreeing, money: Money.of('999', 'NGN') });
      const { events, transactions, provider, useCase, verified } = setUp(undefined, verifier);
      const eventId = events.queue(inbound({ verify: check }));

      await expect(useCase.runDue(10)).resolves.toEqual(['DONE']);

      expect(provider.calls).toHaveLength(0);
      const held = await transactions.findById('paystack:inv-2026-0042');
      expect(held).toMatchObject({ state: 'PENDING_EXTERNAL_APPROVAL', direction: 'INBOUND' });
      expect(held?.reasons.join(' ')).toContain('amount: the webhook says 1000, the API says 999');
      expect(events.verifications.get(eventId)).toMatchObject({ outcome: 'ALERT', alertTransactionId: 'paystack:inv-2026-0042' });
      expect(verified).toEqual(['paystack:disagrees']);
    });

    it('leaves the event waiting, unscreened, while the provider cannot be asked', async () => {
      const verifier = new ScriptedPaymentVerifier(new Error('connect ECONNREFUSED'));
      const { events, transactions, provider, useCase, verified, clock } = setUp(undefined, verifier);
      const eventId = events.queue(inbound({ verify: check }));

      await expect(useCase.runDue(10)).resolves.toEqual(['RETRY']);
      expect(provider.calls).toHaveLength(0);
      expect(await transactions.findById('paystack:inv-2026-0042')).toBeNull();
      expect(events.followUpOf(eventId)?.lastError).toContain('ECONNREFUSED');

      verifier.answer = agreeing;
      clock.advance(60_000);
      await expect(useCase.runDue(10)).resolves.toEqual(['DONE']);
      expect(await transactions.findById('paystack:inv-2026-0042')).toMatchObject({ state: 'APPROVED' });
      expect(verified).toEqual(['paystack:unavailable', 'paystack:agrees']);
    });

    it("moves a transfer's payment only once confirmed, and not at all when contradicted", async () => {
      const transferCheck = { kind: 'TRANSFER' as const, lookup: 'TRF_1', reference: 'tx-1', status: 'success', alertTransactionId: 'paystack-check:transfer.success:TRF_1' };
      const progress = (paymentKey: string): FollowUp['effect'] => ({
        kind: 'PAYMENT_PROGRESS',
        paymentKey,
        state: { progress: 'SETTLED', providerStatus: 'success' },
        money: Money.of('25', 'NGN'),
        verify: { ...transferCheck, alertTransactionId: `alert:${paymentKey}` },
      });
      const verifier = new ScriptedPaymentVerifier({ found: true, reference: 'tx-1', status: 'success', money: Money.of('25', 'NGN') });
      const { events, transactions, useCase } = setUp(undefined, verifier);
      events.queue(progress('transfer:tx-1'));
      await useCase.runDue(10);
      expect(events.payments.get('transfer:tx-1')).toEqual({ progress: 'SETTLED', providerStatus: 'success' });

      verifier.answer = { found: true, reference: 'tx-1', status: 'failed', money: Money.of('25', 'NGN') };
      events.queue(progress('transfer:tx-2'));
      await useCase.runDue(10);
      expect(events.payments.has('transfer:tx-2')).toBe(false);
      expect(await transactions.findById('alert:transfer:tx-2')).toMatchObject({ state: 'PENDING_EXTERNAL_APPROVAL' });
    });
  });
});
