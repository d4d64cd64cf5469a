// Object mother for review data in unit specs: held transactions, history entries, cases, deliveries.
import { randomUUID } from 'node:crypto';
import { Delivery, DeliveryResult } from '../../src/application/ports/notification-outbox.port';
import { CaseSummary, TransactionDetail } from '../../src/application/ports/review-read-model.port';
import { AnalystRole } from '../../src/domain/analyst-role';
import { DecisionEntry, DecisionRequest, FinalStatus, ReviewState } from '../../src/domain/decision';
import { Direction } from '../../src/domain/transaction';
import { Money } from '../../src/domain/money';
import { TransactionState } from '../../src/domain/transaction-status';

/** A fixed instant, so that every spec reads the same dates back. */
export const T0 = new Date('2030-01-15T09:00:00.000Z');

export const at = (msAfterT0: number): Date => new Date(T0.getTime() + msAfterT0);

export interface ReviewOverrides {
  readonly transactionId?: string;
  readonly direction?: Direction;
  readonly state?: TransactionState;
  readonly amount?: string;
  readonly currency?: string;
  readonly history?: readonly DecisionEntry[];
  readonly parts?: ReviewState['parts'];
}

export const ReviewMother = {
  /** A transaction the provider held for review, with nothing decided yet. */
  pending(overrides: ReviewOverrides = {}): ReviewState {
    const transactionId = overrides.transactionId ?? `tx-${randomUUID()}`;
    return {
      transactionId,
      direction: overrides.direction ?? 'OUTBOUND',
      state: overrides.state ?? 'PENDING_EXTERNAL_APPROVAL',
      money: Money.of(overrides.amount ?? '12000', overrides.currency ?? 'GBP'),
      history: overrides.history ?? [ReviewMother.held()],
      ...(overrides.parts ? { parts: overrides.parts } : {}),
    };
  },

  /** The screening entry that put the transaction in the queue. */
  held(decidedAt: Date = T0): DecisionEntry {
    return { status: 'PENDING_EXTERNAL_APPROVAL', final: false, source: 'PROVIDER', decidedBy: 'rules', reasons: ['Amount 12000 is 10000 or more'], decidedAt };
  },

  /** A four-eyes approval that still waits for a second analyst. */
  firstApproval(analyst: string, decidedAt: Date = at(60_000)): DecisionEntry {
    return { status: 'APPROVED', final: false, source: 'ANALYST', decidedBy: analyst, reasons: ['looks fine'], decidedAt };
  },

  /** An analyst's decision; the analyst's role is `analyst` unless `role` says otherwise. */
  byAnalyst(name: string, status: FinalStatus, overrides: Partial<Omit<DecisionRequest, 'decider' | 'status'>> & { role?: AnalystRole } = {}): DecisionRequest {
    return { status, reasons: overrides.reasons ?? [`${status.toLowerCase()} by ${name}`], decider: { source: 'ANALYST', name, role: overrides.role ?? 'analyst' }, at: overrides.at ?? at(120_000) };
  },

  byProvider(name: string, status: FinalStatus, overrides: Partial<Omit<DecisionRequest, 'decider' | 'status'>> = {}): DecisionRequest {
    return { status, reasons: overrides.reasons ?? [`${name} says ${status}`], decider: { source: 'PROVIDER', name }, at: overrides.at ?? at(120_000) };
  },

  caseSummary(overrides: Partial<CaseSummary> = {}): CaseSummary {
    return {
      transactionId: `tx-${randomUUID()}`,
      direction: 'OUTBOUND',
      status: 'PENDING_EXTERNAL_APPROVAL',
      amount: '12000',
      currency: 'GBP',
      beneficiary: { name: 'Ada Lovelace', country: 'GB' },
      reasons: ['Amount 12000 is 10000 or more'],
      pendingSince: T0,
      decidedAt: null,
      firstApproval: null,
      assignee: null,
      claimedUntil: null,
      ...overrides,
    };
  },

  detail(overrides: Partial<TransactionDetail> = {}): TransactionDetail {
    const transactionId = overrides.transactionId ?? `tx-${randomUUID()}`;
    return {
      transactionId,
      direction: 'OUTBOUND',
      status: 'PENDING_EXTERNAL_APPROVAL',
      amount: '12000',
      currency: 'GBP',
      payloadJson: JSON.stringify({ transactionId, amount: 12000, currency: 'GBP' }),
      reasons: ['Amount 12000 is 10000 or more'],
      receivedAt: T0,
      screening: { provider: 'rules', outcome: 'DECIDED', providerStatus: 'PENDING_EXTERNAL_APPROVAL', providerReasons: ['Amount 12000 is 10000 or more'], durationMs: 3, screenedAt: T0, ruleSetVersion: 1 },
      review: { pendingSince: T0, decidedAt: null },
      assignee: null,
      claimedUntil: null,
      claimHistory: [],
      decisions: [],
      notes: [],
      attachments: [],
      notifications: [],
      paymentEvents: [],
      payments: [],
      ...overrides,
    };
  },
};

export const DeliveryMother = {
  /** A claimed notification on its `attempt`-th attempt, queued at T0 unless told otherwise. */
  claimed(overrides: Partial<Delivery> = {}): Delivery {
    const transactionId = overrides.transactionId ?? `tx-${randomUUID()}`;
    return {
      notificationId: randomUUID(),
      transactionId,
      body: JSON.stringify({ transactionId, status: 'APPROVED', reason: 'ok', decidedBy: 'alice', decidedAt: T0.toISOString() }),
      attempt: 1,
      attemptSinceQueued: overrides.attempt ?? 1,
      queuedAt: T0,
      ...overrides,
    };
  },

  result(outcome: DeliveryResult['outcome'], overrides: Partial<DeliveryResult> = {}): DeliveryResult {
    const httpStatus = outcome === 'DELIVERED' ? 200 : outcome === 'REFUSED' ? 503 : undefined;
    return { outcome, httpStatus, startedAt: T0, durationMs: 12, ...(outcome === 'DELIVERED' ? {} : { error: `${outcome} in a spec` }), ...overrides };
  },
};
