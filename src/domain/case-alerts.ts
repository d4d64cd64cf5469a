// What operators are told about review cases and notifications: the events, built from the facts on record.
import { consolePathOf, operatorEvent, OperatorEventOf } from './operator-event';
import { Direction } from './transaction';
import { TransactionStatus } from './transaction-status';

/** A review case as its alerts describe it. */
export interface CaseOnRecord {
  readonly transactionId: string;
  readonly direction: Direction;
  readonly status: TransactionStatus;
  /** Exact decimal text. */
  readonly amount: string;
  readonly currency: string;
  /** Why it was held: the screening's reasons. */
  readonly reasons: readonly string[];
  readonly openedAt: Date;
}

/** A notification to Toqio given up on after its retries. */
export interface DeadNotificationOnRecord {
  readonly notificationId: string;
  readonly transactionId: string;
  readonly status: TransactionStatus;
  /** Attempts so far, all deliveries counted: a notification redelivered and dead again is a new alert. */
  readonly attempts: number;
  readonly lastError: string | null;
  readonly deadAt: Date;
}

/** The final decision that closed a case. */
export interface CaseDecision {
  readonly decidedBy: string;
  readonly source: 'ANALYST' | 'PROVIDER' | 'FALLBACK';
  readonly reasons: readonly string[];
  readonly decidedAt: Date;
}

function facts(c: CaseOnRecord) {
  return {
    transactionId: c.transactionId,
    direction: c.direction,
    status: c.status,
    amount: c.amount,
    currency: c.currency,
    reasons: c.reasons,
    openedAt: c.openedAt.toISOString(),
    consolePath: consolePathOf(c.transactionId),
  };
}

/** Each case opens once: its id is the key. */
export function caseOpened(c: CaseOnRecord): OperatorEventOf<'case.opened'> {
  return operatorEvent('case.opened', c.transactionId, c.openedAt, facts(c));
}

/** Sent once per case, when it has been pending longer than the SLA. */
export function caseOverdue(c: CaseOnRecord, slaMinutes: number): OperatorEventOf<'case.overdue'> {
  const overdueSince = new Date(c.openedAt.getTime() + slaMinutes * 60_000);
  return operatorEvent('case.overdue', c.transactionId, overdueSince, { ...facts(c), slaMinutes, overdueSince: overdueSince.toISOString() });
}

/** A case is decided once: its id is the key. `c.status` is the decision's. */
export function caseDecided(c: CaseOnRecord, decision: CaseDecision): OperatorEventOf<'case.decided'> {
  return operatorEvent('case.decided', c.transactionId, decision.decidedAt, {
    ...facts(c),
    decidedBy: decision.decidedBy,
    decisionSource: decision.source,
    decisionReasons: decision.reasons,
    decidedAt: decision.decidedAt.toISOString(),
  });
}

/** Keyed by the notification and its attempt count: dead again after a redelivery is news again. */
export function notificationDead(n: DeadNotificationOnRecord): OperatorEventOf<'notification.dead'> {
  return operatorEvent('notification.dead', `${n.notificationId}:${n.attempts}`, n.deadAt, {
    notificationId: n.notificationId,
    transactionId: n.transactionId,
    status: n.status,
    attempts: n.attempts,
    lastError: n.lastError,
    deadAt: n.deadAt.toISOString(),
    consolePath: consolePathOf(n.transactionId),
  });
}
