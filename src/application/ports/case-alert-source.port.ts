// Port to the durable facts case alerts are raised from, each marked as reported in the same transaction that queues its event.
import { CaseOnRecord, DeadNotificationOnRecord } from '../../domain/case-alerts';
import { OperatorEvent } from '../../domain/operator-event';

/**
 * Each method, in one database transaction: takes up to `limit` facts not yet reported (skipping
 * rows another replica holds), marks them reported, and queues the events `toEvents` makes of
 * them in the event outbox. A crash before the commit leaves them unreported; after it, reported
 * and queued: each is raised exactly once, whichever replicas watch. Returns how many were reported.
 */
export abstract class CaseAlertSource {
  /**
   * Cases opened at or after `since` and not yet reported. Cases opened before it and never
   * reported (the feature was off) are marked without an event: they are no longer news.
   */
  abstract reportOpened(since: Date, limit: number, toEvents: (cases: readonly CaseOnRecord[]) => readonly OperatorEvent[]): Promise<number>;

  /** Cases still pending that opened before `openedBefore`, not yet reported overdue. */
  abstract reportOverdue(openedBefore: Date, limit: number, toEvents: (cases: readonly CaseOnRecord[]) => readonly OperatorEvent[]): Promise<number>;

  /** Notifications to Toqio that are dead and not yet reported since they died. */
  abstract reportDead(limit: number, toEvents: (notifications: readonly DeadNotificationOnRecord[]) => readonly OperatorEvent[]): Promise<number>;
}
