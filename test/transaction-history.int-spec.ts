// The stored transactions as a backtest reads them, against a real PostgreSQL.
import { PostgresTransactionHistory } from '../src/adapters/persistence/postgres-transaction.history';
import { HistoricTransaction } from '../src/application/ports/transaction-history.port';
import { transactionStoreFixture } from './support/transaction-store-fixture';

describe('PostgresTransactionHistory', () => {
  const t = transactionStoreFixture();

  it("credits a rule-set version only with the answer it gave: a fallback's transaction has none, whatever a late screening recorded", async () => {
    const run = `h${Date.now()}`;
    await t.pool.query(
      `INSERT INTO transactions (id, direction, state, amount, currency, source_account_id, payload, received_at, rule_set_version)
       VALUES ($1, 'OUTBOUND', 'APPROVED', 10, 'EUR', 'acc-h', '{}', now() - interval '2 seconds', 4),
              ($2, 'OUTBOUND', 'APPROVED', 10, 'EUR', 'acc-h', '{}', now() - interval '1 second', 4)`,
      [`${run}-screened`, `${run}-fallback`],
    );
    await t.pool.query(
      // The chain's hashes are not what this reads: any text stands for them.
      `INSERT INTO transaction_decisions (transaction_id, sequence, final, prev_hash, hash, status, source, decided_by, reasons, decided_at)
       VALUES ($1, 1, true, '', 'h1', 'APPROVED', 'PROVIDER', 'rules', '[]', now()),
              ($2, 1, false, '', 'h2', 'PENDING_EXTERNAL_APPROVAL', 'FALLBACK', 'rules', '["timed out"]', now()),
              ($2, 2, true, 'h2', 'h3', 'APPROVED', 'PROVIDER', 'rules', '[]', now())`,
      [`${run}-screened`, `${run}-fallback`],
    );
    const seen: HistoricTransaction[] = [];
    await new PostgresTransactionHistory({ connectionString: t.db.url }).stream(new Date(Date.now() - 60_000), new Date(Date.now() + 60_000), async (page) => {
      seen.push(...page);
      return true;
    });
    expect(seen.filter((row) => row.transaction.id.startsWith(run)).map(({ transaction, answered, answeredVersion }) => ({ id: transaction.id, answered, answeredVersion }))).toEqual([
      { id: `${run}-screened`, answered: 'APPROVED', answeredVersion: 4 },
      { id: `${run}-fallback`, answered: 'PENDING_EXTERNAL_APPROVAL', answeredVersion: null },
    ]);
  });
});
