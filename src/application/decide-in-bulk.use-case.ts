// Many analyst decisions in one request, each under exactly the rules of a single one, each answered on its own.
import { Principal } from '../domain/analyst-role';
import { FinalStatus } from '../domain/decision';
import { DomainError, DomainErrorCode } from '../domain/domain-error';
import { DecideTransaction } from './decide-transaction.use-case';

export const BULK_OUTCOMES = ['DECIDED', 'AWAITING_SECOND_APPROVAL', 'CONFLICT', 'NOT_FOUND', 'FORBIDDEN'] as const;
export type BulkOutcome = (typeof BULK_OUTCOMES)[number];

export interface BulkItem {
  readonly transactionId: string;
  readonly status: FinalStatus;
  readonly reason: string;
}

export interface BulkResult {
  readonly transactionId: string;
  readonly outcome: BulkOutcome;
  readonly detail: string;
}

/** What a refused single decision means for its item; any other error is the service's own trouble, and fails the request. */
const REFUSALS: Partial<Record<DomainErrorCode, BulkOutcome>> = {
  TRANSACTION_NOT_FOUND: 'NOT_FOUND',
  TRANSACTION_NOT_PENDING: 'CONFLICT',
  APPROVAL_ALREADY_GIVEN: 'CONFLICT',
  CASE_CLAIMED: 'CONFLICT',
  SCREENING_IN_PROGRESS: 'CONFLICT',
  ROLE_FORBIDDEN: 'FORBIDDEN',
};

/** Decisions on different transactions run this many at a time: each holds one row lock and one connection. */
const CONCURRENCY = 4;

export class DecideInBulk {
  constructor(private readonly decisions: DecideTransaction) {}

  /**
   * One result per item, in the items' order. Each item goes through DecideTransaction.byAnalyst,
   * in its own database transaction: four eyes, claims and roles apply as to a single decision,
   * and each final decision queues its notification to Toqio with it. A transactionId repeated in
   * the request is decided once, at its first item; each later one is a CONFLICT that changes nothing.
   */
  async decide(items: readonly BulkItem[], analyst: Principal): Promise<BulkResult[]> {
    const results: BulkResult[] = new Array(items.length);
    const firstItem = new Map<string, number>();
    const unique: number[] = [];
    items.forEach((item, index) => {
      const first = firstItem.get(item.transactionId);
      if (first === undefined) {
        firstItem.set(item.transactionId, index);
        unique.push(index);
      } else {
        results[index] = { transactionId: item.transactionId, outcome: 'CONFLICT', detail: `Repeats item ${first} of this request, which alone was applied` };
      }
    });
    let next = 0;
    let failed = false;
    const worker = async () => {
      while (next < unique.length && !failed) {
        const index = unique[next++]!;
        try {
          results[index] = await this.one(items[index]!, analyst);
        } catch (error) {
          failed = true; // no further item starts; those decided stay decided, and say so when sent again
          throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, unique.length) }, worker));
    return results;
  }

  private async one(item: BulkItem, analyst: Principal): Promise<BulkResult> {
    const { transactionId, status } = item;
    try {
      const result = await this.decisions.byAnalyst(transactionId, analyst, status, item.reason);
      if (result.kind === 'AWAITING_SECOND_APPROVAL') {
        const recorded = result.replayed ? 'already on record' : 'recorded';
        return { transactionId, outcome: 'AWAITING_SECOND_APPROVAL', detail: `Approval by ${result.firstApprover} ${recorded}; a second, different analyst must approve (four eyes)` };
      }
      if (result.replayed) return { transactionId, outcome: 'DECIDED', detail: `Already ${status === 'APPROVED' ? 'approved' : 'rejected'} by you with this reason; nothing recorded again` };
      const told = result.notificationId ? '; Toqio will be told' : '';
      return { transactionId, outcome: 'DECIDED', detail: `${status === 'APPROVED' ? 'Approved' : 'Rejected'}${told}` };
    } catch (error) {
      const outcome = error instanceof DomainError ? REFUSALS[error.code] : undefined;
      if (outcome === undefined) throw error;
      return { transactionId, outcome, detail: (error as DomainError).message };
    }
  }
}
