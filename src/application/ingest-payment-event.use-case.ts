// A payment provider's verified event: recorded once under its dedupe key, acted on after the answer.
import { changesState, outcomeWithoutState, PaymentEvent, stateOutcome } from '../domain/payment-event';
import { PaymentEventStore, RecordedEvent } from './ports/payment-event-store.port';
import { PaymentVerifier } from './ports/payment-verifier.port';

export class IngestPaymentEvent {
  constructor(
    private readonly store: PaymentEventStore,
    /** Called once a follow-up is durably queued, so a worker can start on it at once. */
    private readonly onFollowUpQueued: () => void = () => undefined,
    /** Whose events are confirmed with their provider's API before they move a payment. */
    private readonly verifier?: PaymentVerifier,
  ) {}

  /**
   * Resolves only once the event is in the database: the caller may then acknowledge it. An event
   * that moves a payment or a mandate is applied only if it moves it forward (stateOutcome); one
   * its provider's API is to confirm first is queued for a follow-up that applies it then. One
   * that could not be read is kept as UNPARSED and does nothing else.
   */
  async execute(event: PaymentEvent): Promise<RecordedEvent> {
    if (event.unparsedReason !== undefined) return this.store.record(event, 'UNPARSED');
    const recorded =
      changesState(event) && !this.awaitsConfirmation(event)
        ? await this.store.recordStateChange(event, (current) => stateOutcome(event.effect, current))
        : await this.store.record(event, this.awaitsConfirmation(event) ? 'FOLLOW_UP' : outcomeWithoutState(event.effect));
    if (!recorded.duplicate && recorded.outcome === 'FOLLOW_UP') this.onFollowUpQueued();
    return recorded;
  }

  private awaitsConfirmation({ provider, effect }: PaymentEvent): boolean {
    return effect.kind === 'PAYMENT_PROGRESS' && effect.verify !== undefined && effect.money !== undefined && this.verifier?.covers(provider) === true;
  }
}
