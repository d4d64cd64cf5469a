// Unit spec of IngestPaymentEvent: recorded once, and a worker woken only for new work.
import { InMemoryPaymentEventStore } from '../../test/fakes/in-memory-payment-event-store';
import { Money } from '../domain/money';
import { PaymentEffect, PaymentEvent } from '../domain/payment-event';
import { IngestPaymentEvent } from './ingest-payment-event.use-case';
import { PaymentEventStore, RecordedEvent } from './ports/payment-event-store.port';

const money = Money.of('1000', 'NGN');

function event(dedupeKey: string, effect: PaymentEffect): PaymentEvent {
  return { provider: 'paystack', eventType: 'spec', dedupeKey, transactionIds: [], summary: dedupeKey, payloadJson: '{}', effect };
}

const inbound = (key = 'charge.success:1') =>
  event(key, { kind: 'INBOUND_PAYMENT', transactionId: `paystack:${key}`, money, attributes: {} });
const alert = (key = 'query:1') => event(key, { kind: 'ALERT', transactionId: `payto-query:${key}`, money, reason: 'query', attributes: {} });
const progress = (key: string, state: 'SETTLED' | 'FAILED' | 'IN_PROGRESS') =>
  event(key, { kind: 'PAYMENT_PROGRESS', paymentKey: 'transfer:tx-1', state: { progress: state, providerStatus: state.toLowerCase() } });

function setUp() {
  const store = new InMemoryPaymentEventStore();
  let wakes = 0;
  const useCase = new IngestPaymentEvent(store, () => {
    wakes += 1;
  });
  return { store, useCase, wakes: () => wakes };
}

describe('IngestPaymentEvent', () => {
  it('records money received and wakes the worker once it is stored', async () => {
    const { store, useCase, wakes } = setUp();
    const recorded = await useCase.execute(inbound());
    expect(recorded).toMatchObject({ duplicate: false, outcome: 'FOLLOW_UP' });
    expect(store.followUpOf(recorded.eventId)).toBeDefined();
    expect(wakes()).toBe(1);
  });

  it('wakes the worker for an alert too', async () => {
    const { useCase, wakes } = setUp();
    await useCase.execute(alert());
    expect(wakes()).toBe(1);
  });

  it('answers a duplicate with the first event id, and wakes nobody', async () => {
    const { store, useCase, wakes } = setUp();
    const first = await useCase.execute(inbound());
    const again = await useCase.execute(inbound());
    expect(again).toEqual({ duplicate: true, eventId: first.eventId });
    expect(store.followUps.size).toBe(1);
    expect(wakes()).toBe(1);
  });

  it('wakes nobody for events that leave no work (progress, mandates, records)', async () => {
    const { useCase, wakes } = setUp();
    await expect(useCase.execute(progress('transfer.success:TRF_1', 'SETTLED'))).resolves.toMatchObject({ outcome: 'APPLIED' });
    await expect(useCase.execute(progress('transfer.failed:TRF_1', 'FAILED'))).resolves.toMatchObject({ outcome: 'STALE' });
    await useCase.execute(event('mandate.outcome:r1', { kind: 'MANDATE_STATUS', mandateId: 'm1', state: { status: 'ACTV', at: new Date() } }));
    await expect(useCase.execute(event('subscription.create:9', { kind: 'NONE' }))).resolves.toMatchObject({ outcome: 'RECORDED' });
    expect(wakes()).toBe(0);
  });

  it('lets a store failure through without waking anyone: nothing is acknowledged', async () => {
    class FailingStore extends InMemoryPaymentEventStore {
      override async record(): Promise<RecordedEvent> {
        throw new Error('database down');
      }
    }
    let wakes = 0;
    const useCase = new IngestPaymentEvent(new FailingStore() as PaymentEventStore, () => {
      wakes += 1;
    });
    await expect(useCase.execute(inbound())).rejects.toThrow('database down');
    expect(wakes).toBe(0);
  });

  it('works without a wake callback', async () => {
    await expect(new IngestPaymentEvent(new InMemoryPaymentEventStore()).execute(inbound())).resolves.toMatchObject({ duplicate: false });
  });
});
