// Hand-written fake of the NotificationOutbox port, with the lease and state rules of the Postgres one.
import { randomUUID } from 'node:crypto';
import { Delivery, DeliveryResult, NotificationOutbox } from '../../src/application/ports/notification-outbox.port';
import { NotificationState, NotificationView } from '../../src/application/ports/review-read-model.port';
import { DecisionNotice } from '../../src/domain/decision';
import { NotificationNotDeadError, NotificationNotFoundError } from '../../src/domain/domain-error';
import { NextStep } from '../../src/domain/retry-schedule';

interface Row {
  id: string;
  transactionId: string;
  body: string;
  state: NotificationState;
  attempts: number;
  createdAt: Date;
  queuedAt: Date;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
  deadAt: Date | null;
  lastError: string | null;
  redeliveredBy: string | null;
  redeliveredAt: Date | null;
  log: { attempt: number; result: DeliveryResult }[];
  attemptsAtQueue: number;
}

export interface RecordedAttempt {
  readonly delivery: Delivery;
  readonly result: DeliveryResult;
  readonly next: NextStep | 'DELIVERED';
}

export class InMemoryNotificationOutbox extends NotificationOutbox {
  private readonly rows = new Map<string, Row>();
  readonly recorded: RecordedAttempt[] = [];
  /** Set to make every recordAttempt fail, like a database that went away mid-attempt. */
  failRecording: Error | undefined;
  now: () => Date = () => new Date();

  /** Queues a notification as a final decision would, due at once. */
  queue(notice: DecisionNotice, overrides: { id?: string; state?: NotificationState; attempts?: number } = {}): string {
    const id = overrides.id ?? randomUUID();
    const now = this.now();
    const state = overrides.state ?? 'QUEUED';
    this.rows.set(id, {
      id,
      transactionId: notice.transactionId,
      body: JSON.stringify(notice),
      state,
      attempts: overrides.attempts ?? 0,
      createdAt: now,
      queuedAt: now,
      nextAttemptAt: state === 'QUEUED' ? now : null,
      deliveredAt: state === 'DELIVERED' ? now : null,
      deadAt: state === 'DEAD' ? now : null,
      lastError: null,
      redeliveredBy: null,
      redeliveredAt: null,
      log: [],
      attemptsAtQueue: 0,
    });
    return id;
  }

  async claimDue(limit: number, leaseMs: number): Promise<Delivery[]> {
    const now = this.now();
    const due = [...this.rows.values()]
      .filter((row) => row.state === 'QUEUED' && row.nextAttemptAt !== null && row.nextAttemptAt.getTime() <= now.getTime())
      .sort((a, b) => a.nextAttemptAt!.getTime() - b.nextAttemptAt!.getTime())
      .slice(0, limit);
    return due.map((row) => {
      row.attempts += 1;
      row.nextAttemptAt = new Date(now.getTime() + leaseMs);
      return { notificationId: row.id, transactionId: row.transactionId, body: row.body, attempt: row.attempts, attemptSinceQueued: row.attempts - row.attemptsAtQueue, queuedAt: row.queuedAt };
    });
  }

  async recordAttempt(delivery: Delivery, result: DeliveryResult, next: NextStep | 'DELIVERED'): Promise<void> {
    if (this.failRecording) throw this.failRecording;
    this.recorded.push({ delivery, result, next });
    const row = this.rows.get(delivery.notificationId);
    if (!row) return;
    row.log.push({ attempt: delivery.attempt, result });
    // A late result from an expired lease is kept as an attempt but moves nothing, unless it delivered: then even a DEAD one is delivered.
    const moves = row.state === 'QUEUED' ? row.attempts === delivery.attempt || next === 'DELIVERED' : row.state === 'DEAD' && next === 'DELIVERED';
    if (!moves) return;
    const now = this.now();
    row.lastError = result.error ?? null;
    if (next === 'DELIVERED') {
      Object.assign(row, { state: 'DELIVERED', deliveredAt: now, deadAt: null, nextAttemptAt: null });
    } else if ('dead' in next) {
      Object.assign(row, { state: 'DEAD', deadAt: now, nextAttemptAt: null });
    } else {
      row.nextAttemptAt = next.retryAt;
    }
  }

  async redeliver(notificationId: string, requestedBy: string): Promise<NotificationView> {
    const row = this.rows.get(notificationId);
    if (!row) throw new NotificationNotFoundError(notificationId);
    if (row.state !== 'DEAD') throw new NotificationNotDeadError(notificationId, row.state);
    const now = this.now();
    Object.assign(row, { state: 'QUEUED', nextAttemptAt: now, queuedAt: now, attemptsAtQueue: row.attempts, deadAt: null, redeliveredBy: requestedBy, redeliveredAt: now });
    return this.view(notificationId)!;
  }

  async stats(): Promise<{ queued: number; dead: number; oldestQueuedAt: Date | null }> {
    const rows = [...this.rows.values()];
    const queued = rows.filter((row) => row.state === 'QUEUED');
    const oldest = queued.reduce<Date | null>((min, row) => (min === null || row.queuedAt < min ? row.queuedAt : min), null);
    return { queued: queued.length, dead: rows.filter((row) => row.state === 'DEAD').length, oldestQueuedAt: oldest };
  }

  view(notificationId: string): NotificationView | undefined {
    const row = this.rows.get(notificationId);
    if (!row) return undefined;
    return {
      id: row.id,
      transactionId: row.transactionId,
      state: row.state,
      body: JSON.parse(row.body) as DecisionNotice,
      createdAt: row.createdAt,
      nextAttemptAt: row.nextAttemptAt,
      deliveredAt: row.deliveredAt,
      deadAt: row.deadAt,
      lastError: row.lastError,
      redeliveredBy: row.redeliveredBy,
      redeliveredAt: row.redeliveredAt,
      attempts: row.log.map(({ attempt, result }) => ({
        attempt,
        startedAt: result.startedAt,
        durationMs: result.durationMs,
        outcome: result.outcome,
        httpStatus: result.httpStatus ?? null,
        error: result.error ?? null,
      })),
    };
  }
}
