// Unit spec of ListPaymentEvents: pages of the log, and a cursor only when more follow.
import { ListPaymentEvents } from './list-payment-events.use-case';
import { PaymentEventLog, PaymentEventQuery, StoredPaymentEvent } from './ports/payment-event-log.port';

class FakePaymentEventLog extends PaymentEventLog {
  readonly queries: PaymentEventQuery[] = [];

  constructor(private readonly events: StoredPaymentEvent[]) {
    super();
  }

  async list(query: PaymentEventQuery): Promise<StoredPaymentEvent[]> {
    this.queries.push(query);
    return this.events.filter((event) => !query.before || event.receivedAt < query.before.receivedAt).slice(0, query.limit);
  }
}

const event = (second: number): StoredPaymentEvent => ({
  id: `00000000-0000-4000-8000-${String(second).padStart(12, '0')}`,
  provider: 'acme-pay',
  eventType: 'payment.success',
  dedupeKey: `k${second}`,
  messageId: null,
  transactionId: null,
  status: null,
  amount: null,
  currency: null,
  summary: 'spec',
  outcome: 'UNPARSED',
  reason: 'data.amount is required',
  occurredAt: null,
  receivedAt: `2026-12-01T10:00:${String(second).padStart(2, '0')}.000000Z`,
  payloadJson: '{}',
});

describe('ListPaymentEvents', () => {
  const newestFirst = [5, 4, 3, 2, 1].map(event);

  it('answers a page and the position of its last event when more follow', async () => {
    const log = new FakePaymentEventLog(newestFirst);
    const page = await new ListPaymentEvents(log).execute({ outcome: 'UNPARSED', limit: 2 });
    expect(page.items.map((item) => item.dedupeKey)).toEqual(['k5', 'k4']);
    expect(page.next).toEqual({ receivedAt: newestFirst[1]!.receivedAt, id: newestFirst[1]!.id });
    expect(log.queries[0]).toEqual({ outcome: 'UNPARSED', limit: 3 });
  });

  it('answers no cursor on the last page', async () => {
    const log = new FakePaymentEventLog(newestFirst);
    const page = await new ListPaymentEvents(log).execute({ limit: 2, before: { receivedAt: newestFirst[2]!.receivedAt, id: newestFirst[2]!.id } });
    expect(page.items.map((item) => item.dedupeKey)).toEqual(['k2', 'k1']);
    expect(page.next).toBeNull();
  });
});
