// Operators look through the events sent to the event webhook, dead ones especially.
import { pageOf } from './page';
import { OperatorEventQuery, OperatorEventQueue, OperatorEventView } from './ports/operator-event-outbox.port';

export type { OperatorEventQuery, OperatorEventState, OperatorEventView } from './ports/operator-event-outbox.port';

export interface OperatorEventPage {
  readonly items: readonly OperatorEventView[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  readonly nextCursor: string | null;
}

export class ListOperatorEvents {
  constructor(private readonly queue: OperatorEventQueue) {}

  async execute(query: OperatorEventQuery): Promise<OperatorEventPage> {
    // One more than asked tells whether another page follows.
    const { items, continueAfter } = pageOf(await this.queue.list({ ...query, limit: query.limit + 1 }), query.limit);
    return { items, nextCursor: continueAfter?.position ?? null };
  }
}
