// Hand-written fake of the transaction ports, with the same claim semantics as PostgreSQL.
import { ClaimResult, LookUpResult, StaleClaim, StoredTransaction, TransactionStore } from '../../src/application/ports/transaction-store.port';
import { AggregateQuery, aggregateFieldOf, aggregateKey } from '../../src/domain/aggregate';
import { Decimal } from '../../src/domain/decimal';
import { ScreeningContext } from '../../src/domain/screening-context';
import { Transaction } from '../../src/domain/transaction';
import { SCREENING } from '../../src/domain/transaction-status';
import { Screening } from '../../src/domain/verdict';
import { screeningRecord } from '../../src/domain/screening-record';

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

  async claim(transaction: Transaction, aggregates: readonly AggregateQuery[]): Promise<ClaimResult> {
    const existing = this.rows.get(transaction.id);
    if (existing) return { claimed: false, existing: existing.stored };
    this.add(transaction, SCREENING, [], this.now(), []);
    return { claimed: true, context: this.contextOf(transaction, aggregates) };
  }

  async lookUp(transaction: Transaction, aggregates: readonly AggregateQuery[]): Promise<LookUpResult> {
    const existing = this.rows.get(transaction.id);
    if (existing) return { existing: existing.stored };
    return { context: this.contextOf(transaction, aggregates, this.now(), transaction) };
  }

  async recordNew(transaction: Transaction, screening: Screening, receivedAt: number): Promise<boolean> {
    if (this.rows.has(transaction.id)) return false;
    const arrivedAt = this.now() - Math.max(0, Date.now() - receivedAt);
    this.add(transaction, screeningRecord(screening, new Date()).state, screening.reasons, arrivedAt, [screening]);
    return true;
  }

  private add(transaction: Transaction, state: StoredTransaction['state'], reasons: readonly string[], receivedAt: number, screenings: Screening[]): void {
    this.rows.set(transaction.id, {
      stored: { id: transaction.id, direction: transaction.direction, state, reasons, money: transaction.money, beneficiary: transaction.beneficiary },
      transaction,
      sourceAccountId: transaction.sourceAccountId,
      receivedAt,
      claimedAt: receivedAt,
      screenings,
    });
  }

  async recordScreening(transaction: Transaction, screening: Screening): Promise<boolean> {
    const row = this.rows.get(transaction.id);
    if (!row || row.stored.state !== SCREENING) return false;
    row.stored = { ...row.stored, state: screeningRecord(screening, new Date()).state, reasons: screening.reasons };
    row.screenings.push(screening);
    return true;
  }

  async findById(transactionId: string): Promise<StoredTransaction | null> {
    return this.rows.get(transactionId)?.stored ?? null;
  }

  async reclaimStale(transaction: Transaction, staleAfterMs: number, aggregates: readonly AggregateQuery[]): Promise<ScreeningContext | null> {
    const row = this.rows.get(transaction.id);
    if (!row || row.stored.state !== SCREENING || this.now() - row.claimedAt <= staleAfterMs) return null;
    row.claimedAt = this.now();
    return this.contextOf(transaction, aggregates, row.receivedAt);
  }

  async takeStaleClaims(staleAfterMs: number, limit: number, aggregates: readonly AggregateQuery[]): Promise<StaleClaim[]> {
    const stale = [...this.rows.values()].filter((row) => row.stored.state === SCREENING && this.now() - row.claimedAt > staleAfterMs).slice(0, limit);
    return stale.map((row) => {
      row.claimedAt = this.now();
      return { transaction: row.transaction, context: this.contextOf(row.transaction, aggregates, row.receivedAt) };
    });
  }

  /**
   * Computes each aggregate over the rows received inside its window ending at `asOf`, the
   * transaction's own included: now for a claim, its arrival for a takeover (as the SQL does).
   * `unstored`, a transaction looked up before it is stored, counts as one of those rows.
   */
  private contextOf(transaction: Transaction, aggregates: readonly AggregateQuery[], asOf = this.now(), unstored?: Transaction): ScreeningContext {
    const values = new Map<string, Decimal>();
    for (const query of aggregates) {
      const group = aggregateFieldOf(transaction, query.groupBy);
      if (group === undefined) continue;
      const since = asOf - query.windowSeconds * 1000;
      const rows = [...this.rows.values()]
        .filter((row) => row.receivedAt > since && row.receivedAt <= asOf)
        .map((row) => row.transaction)
        .concat(unstored ? [unstored] : [])
        .filter((other) => aggregateFieldOf(other, query.groupBy) === group)
        .filter((other) => (query.currency === undefined || other.money.currency === query.currency) && (query.direction === undefined || other.direction === query.direction));
      values.set(aggregateKey(query), valueOf(query, rows));
    }
    return { aggregates: values };
  }

  screeningsOf(transactionId: string): Screening[] {
    return this.rows.get(transactionId)?.screenings ?? [];
  }
}

function valueOf(query: AggregateQuery, rows: readonly Transaction[]): Decimal {
  if (query.fn === 'count') return Decimal.parse(String(rows.length));
  if (query.fn === 'distinct') return Decimal.parse(String(new Set(rows.map((row) => aggregateFieldOf(row, query.of!)).filter((value) => value !== undefined)).size));
  return rows.reduce((sum, row) => sum.plus(row.money.amount), Decimal.parse('0'));
}
