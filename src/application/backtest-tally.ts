// What a backtest adds up: answered status against the candidate's, the rules that fired, and a sample of the transactions that would change.
import { TRANSACTION_STATUSES, TransactionStatus } from '../domain/transaction-status';
import { Verdict } from '../domain/verdict';
import { HistoricTransaction } from './ports/transaction-history.port';

export const MAX_SAMPLES = 100;

export interface BacktestSample {
  readonly transactionId: string;
  readonly receivedAt: string;
  readonly answered: TransactionStatus;
  readonly answeredVersion: number | null;
  readonly candidate: TransactionStatus;
  readonly candidateReasons: readonly string[];
}

export interface BacktestResult {
  /** Transactions screened by the candidate. */
  readonly transactions: number;
  /** Transactions in the range still being screened, left out. */
  readonly skipped: number;
  /** Those whose candidate status differs from the one answered. */
  readonly changed: number;
  /** answered status → candidate status → count. */
  readonly statuses: Readonly<Record<TransactionStatus, Readonly<Record<TransactionStatus, number>>>>;
  /** Rule id → transactions whose verdict it was part of. */
  readonly rulesFired: Readonly<Record<string, number>>;
  /** Up to 100 transactions whose status would change, oldest first. */
  readonly samples: readonly BacktestSample[];
}

const emptyRow = (): Record<TransactionStatus, number> => ({ APPROVED: 0, PENDING_EXTERNAL_APPROVAL: 0, REJECTED: 0 });

export class BacktestTally {
  private transactions = 0;
  private skipped = 0;
  private changed = 0;
  private readonly statuses = Object.fromEntries(TRANSACTION_STATUSES.map((status) => [status, emptyRow()])) as Record<TransactionStatus, Record<TransactionStatus, number>>;
  private readonly rulesFired = new Map<string, number>();
  private readonly samples: BacktestSample[] = [];

  get processed(): number {
    return this.transactions + this.skipped;
  }

  skip(): void {
    this.skipped += 1;
  }

  add(row: HistoricTransaction & { answered: TransactionStatus }, verdict: Verdict, fired: readonly string[]): void {
    this.transactions += 1;
    this.statuses[row.answered][verdict.status] += 1;
    for (const id of fired) this.rulesFired.set(id, (this.rulesFired.get(id) ?? 0) + 1);
    if (verdict.status === row.answered) return;
    this.changed += 1;
    if (this.samples.length < MAX_SAMPLES) {
      this.samples.push({
        transactionId: row.transaction.id,
        receivedAt: row.receivedAt.toISOString(),
        answered: row.answered,
        answeredVersion: row.answeredVersion,
        candidate: verdict.status,
        candidateReasons: verdict.reasons,
      });
    }
  }

  result(): BacktestResult {
    return {
      transactions: this.transactions,
      skipped: this.skipped,
      changed: this.changed,
      statuses: this.statuses,
      rulesFired: Object.fromEntries([...this.rulesFired].sort(([a], [b]) => (a < b ? -1 : 1))),
      samples: this.samples,
    };
  }
}
