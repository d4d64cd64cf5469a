// An operator sends a dead event to the event webhook again, with the same webhook-id.
import { OperatorEventQueue, OperatorEventView } from './ports/operator-event-outbox.port';

export class RedeliverOperatorEvent {
  constructor(
    private readonly queue: OperatorEventQueue,
    private readonly onQueued: () => void = () => undefined,
  ) {}

  /** Throws OperatorEventNotFound, or OperatorEventNotDead when it is queued or delivered. */
  async execute(eventId: string, requestedBy: string): Promise<OperatorEventView> {
    const view = await this.queue.redeliver(eventId, requestedBy);
    this.onQueued();
    return view;
  }
}
