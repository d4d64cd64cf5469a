// Hand-written fake of the transaction ports, with the same claim semantics as PostgreSQL.
import { ClaimResult, StaleClaim, StoredTransaction, TransactionStore } from '../../src/application/ports/transaction-store.port';
import { ScreeningContext } from '../../src/domain/screening-context';
import { Transaction } from '../../src/domain/transaction';
import { SCREENING } from '../../src/domain/transaction-status';
import { Screening } from '../../src/domain/verdict';

interface Row {
  stored: StoredTransaction;
  transaction: Transaction;
  sourceAccountId?: string;
  receivedAt: number;
  claimedAt: number;
  screenings: Screening[];
}

export class InMemoryTransactionStore extends TransactionStore {
  readonly rows = new Map<string, Row>();
  now = () => Date.now();

  async claim(transaction: Transaction, activityWindowsSeconds: readonly number[]): Promise<ClaimResult> {
    const existing = this.rows.get(transaction.id);
    if (existing) return { claimed: false, existing: existing.stored };
    const now = this.now();
    this.rows.set(transaction.id, {
      stored: { id: transaction.id, direction: transaction.direction, state: SCREENING, reasons: [], money: transaction.money, beneficiary: transaction.beneficiary },
      transaction,
      sourceAccountId: transaction.sourceAccountId,
      receivedAt: now,
      claimedAt: now,
      screenings: [],
    });
    return { claimed: true, context: this.contextOf(transaction, activityWindowsSeconds) };
  }

  async recordScreening(transaction: Transaction, screening: Screening): Promise<boolean> {
    const row = this.rows.get(transaction.id);
    if (!row || row.stored.state !== SCREENING) return false;
    row.stored = { ...row.stored, state: screening.status, reasons: screening.reasons };
    row.screenings.push(screening);
    return true;
  }

  async findById(transactionId: string): Promise<StoredTransaction | null> {
    return this.rows.get(transactionId)?.stored ?? null;
  }

  async reclaimStale(transaction: Transaction, staleAfterMs: number, activityWindowsSeconds: readonly number[]): Promise<ScreeningContext | null> {
    const row = this.rows.get(transaction.id);
    if (!row || row.stored.state !== SCREENING || this.now() - row.claimedAt <= staleAfterMs) return null;
    row.claimedAt = this.now();
    return this.contextOf(transaction, activityWindowsSeconds);
  }

  async takeStaleClaims(staleAfterMs: number, limit: number, activityWindowsSeconds: readonly number[]): Promise<StaleClaim[]> {
    const stale = [...this.rows.values()].filter((row) => row.stored.state === SCREENING && this.now() - row.claimedAt > staleAfterMs).slice(0, limit);
    return stale.map((row) => {
      row.claimedAt = this.now();
      return { transaction: row.transaction, context: this.contextOf(row.transaction, activityWindowsSeconds) };
    });
  }

  /** Counts rows of the same source account inside each window, the transaction's own included. */
  private contextOf(transaction: Transaction, windows: readonly number[]): ScreeningContext {
    const account = transaction.sourceAccountId;
    const counts = new Map<number, number>();
    if (account === undefined) return { sourceAccountActivity: counts };
    for (const window of windows) {
      const since = this.now() - window * 1000;
      counts.set(window, [...this.rows.values()].filter((row) => row.sourceAccountId === account && row.receivedAt > since).length);
    }
    return { sourceAccountActivity: counts };
  }

  screeningsOf(transactionId: string): Screening[] {
    return this.rows.get(transactionId)?.screenings ?? [];
  }
}
