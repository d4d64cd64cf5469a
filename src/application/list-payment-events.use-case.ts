// Analysts and operators read what payment providers sent: every stored event with its outcome, UNPARSED ones included.
import { pageOf } from './page';
import { PaymentEventLog, PaymentEventPosition, PaymentEventQuery, StoredPaymentEvent } from './ports/payment-event-log.port';

export type { PaymentEventPosition, PaymentEventQuery, StoredPaymentEvent } from './ports/payment-event-log.port';

export interface PaymentEventPage {
  readonly items: readonly StoredPaymentEvent[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  readonly next: PaymentEventPosition | null;
}

export class ListPaymentEvents {
  constructor(private readonly log: PaymentEventLog) {}

  async execute(query: PaymentEventQuery): Promise<PaymentEventPage> {
    // One more than asked tells whether another page follows.
    const { items, continueAfter: last } = pageOf(await this.log.list({ ...query, limit: query.limit + 1 }), query.limit);
    return { items, next: last ? { receivedAt: last.receivedAt, id: last.id } : null };
  }
}
