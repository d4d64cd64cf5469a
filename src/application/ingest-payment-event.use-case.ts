// A payment provider's verified event: recorded once under its dedupe key, acted on after the answer.
import { needsFollowUp, PaymentEvent } from '../domain/payment-event';
import { PaymentEventStore, RecordedEvent } from './ports/payment-event-store.port';

export class IngestPaymentEvent {
  constructor(
    private readonly store: PaymentEventStore,
    /** Called once a follow-up is durably queued, so a worker can start on it at once. */
    private readonly onFollowUpQueued: () => void = () => undefined,
  ) {}

  /** Resolves only once the event is in the database: the caller may then acknowledge it. */
  async execute(event: PaymentEvent): Promise<RecordedEvent> {
    const recorded = await this.store.record(event);
    if (!recorded.duplicate && needsFollowUp(event.effect)) this.onFollowUpQueued();
    return recorded;
  }
}
