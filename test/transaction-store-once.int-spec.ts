// Storing a transaction once, already screened (PostgreSQL): the look-up that writes nothing gives a
// claim's aggregates, and the one insert writes what a claim and its record would.
import { Pool } from 'pg';
import { verifyAuditTrail } from '../src/adapters/persistence/audit-verifier';
import { lookUpBatchSql, lookUpOneSql } from '../src/adapters/persistence/postgres-transaction-once.queries';
import { claimBatchSql, claimOneSql } from '../src/adapters/persistence/postgres-transaction.queries';
import { claimBatchJson } from '../src/adapters/persistence/transaction-batch-json';
import { AggregateQuery } from '../src/domain/aggregate';
import { Transaction } from '../src/domain/transaction';
import { Screening } from '../src/domain/verdict';
import { TransactionMother } from './mothers/transaction.mother';
import { transactionStoreFixture } from './support/transaction-store-fixture';

const QUERIES: readonly AggregateQuery[] = [
  { fn: 'count', groupBy: 'sourceAccountId', windowSeconds: 60 },
  { fn: 'sum', groupBy: 'customerId', windowSeconds: 86_400, currency: 'EUR', direction: 'OUTBOUND' },
  { fn: 'distinct', of: 'beneficiaryIban', groupBy: 'sourceAccountId', windowSeconds: 3_600 },
  { fn: 'count', groupBy: 'counterparty', windowSeconds: 3_600, currency: 'EUR' },
];

const approved: Screening = { provider: 'rules', outcome: 'DECIDED', status: 'APPROVED', reasons: [], verdict: { status: 'APPROVED', reasons: [], ruleSetVersion: 1 }, durationMs: 2 };
const held: Screening = { ...approved, status: 'PENDING_EXTERNAL_APPROVAL', reasons: ['velocity'], verdict: { status: 'PENDING_EXTERNAL_APPROVAL', reasons: ['velocity'], ruleSetVersion: 1 } };
const failedRejecting: Screening = { provider: 'rules', outcome: 'ERROR', status: 'REJECTED', reasons: ['screening unavailable'], error: 'boom', durationMs: 5 };

describe('PostgresTransactionStore storing once', () => {
  const t = transactionStoreFixture();
  const count = async (table: string) => Number((await t.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0]!.n);

  it('gives each row of a batch what a claim of that batch would, and writes nothing', async () => {
    const run = `l${Date.now()}`;
    for (let n = 0; n < 9; n++) await t.store.claim(mixed(run, n), QUERIES); // history for every group
    const batch = Array.from({ length: 30 }, (_, n) => mixed(run, 100 + n));
    batch.splice(5, 0, mixed(run, 2)); // an id already stored
    batch.splice(9, 0, TransactionMother.create({ id: batch[3]!.id, sourceAccountId: `acc-${run}-0`, amount: '7' })); // a repeat within the batch
    const input = claimBatchJson(batch.map((transaction) => ({ transaction })));
    const before = await count('transactions');

    const lookUp = (await t.pool.query(lookUpBatchSql(QUERIES), [input])).rows;
    expect(await count('transactions')).toBe(before);
    const claim = await rolledBack(t.pool, claimBatchSql(QUERIES), input);

    expect(lookUp.map((row) => [row.fresh, row.id, row.aggregates])).toEqual(claim.map((row) => [row.claimed, row.id, row.aggregates]));
    expect(lookUp.filter((row) => !row.fresh).map((row) => row.id)).toEqual([batch[5]!.id, null]);
  });

  it('gives a lone row what a lone claim would, stored or not', async () => {
    const run = `o${Date.now()}`;
    for (let n = 0; n < 6; n++) await t.store.claim(mixed(run, n), QUERIES);
    for (const transaction of [mixed(run, 40), mixed(run, 41), mixed(run, 3)]) {
      const input = claimBatchJson([{ transaction }]);
      const lookUp = (await t.pool.query(lookUpOneSql(QUERIES), [input])).rows;
      const claim = await rolledBack(t.pool, claimOneSql(QUERIES), input);
      expect(lookUp.map((row) => [row.fresh, row.id, row.state, row.aggregates])).toEqual(claim.map((row) => [row.claimed, row.id, row.state, row.aggregates]));
    }
  });

  it('counts the earlier of concurrent look-ups in the later ones, as a batch of claims does', async () => {
    const run = `c${Date.now()}`;
    const results = await Promise.all(Array.from({ length: 8 }, () => t.store.lookUp(TransactionMother.create({ sourceAccountId: `acc-${run}` }), [QUERIES[0]!])));
    expect(results.map((result) => result.context?.aggregates.values().next().value?.toString()).sort()).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
  });

  it('answers a repeat within a batch of look-ups once the first is done, with the stored row or a fresh look-up', async () => {
    const first = TransactionMother.create({ sourceAccountId: `acc-r${Date.now()}` });
    const repeat = TransactionMother.create({ id: first.id, sourceAccountId: first.sourceAccountId, amount: '9' });
    const [a, b] = await Promise.all([t.store.lookUp(first, [QUERIES[0]!]), t.store.lookUp(repeat, [QUERIES[0]!])]);
    expect([a.context?.aggregates.size, b.context?.aggregates.size]).toEqual([1, 1]);
  });

  it('stores a new transaction in its final state with its decision entry, and an id already stored not at all', async () => {
    const transaction = TransactionMother.create({ amount: '123456789012.000000000000000001' });
    await expect(t.store.recordNew(transaction, approved, Date.now())).resolves.toBe(true);
    await expect(t.store.recordNew(transaction, held, Date.now())).resolves.toBe(false);

    await expect(t.store.findById(transaction.id)).resolves.toMatchObject({ state: 'APPROVED', reasons: [] });
    const [row] = await t.db.query('SELECT state, amount::text AS amount, rule_set_version, screening_outcome, screened_at IS NOT NULL AS screened, payload FROM transactions WHERE id = $1', [transaction.id]);
    expect(row).toMatchObject({ state: 'APPROVED', amount: '123456789012.000000000000000001', rule_set_version: 1, screening_outcome: 'DECIDED', screened: true });
    expect(row.payload).toEqual(JSON.parse(transaction.originalPayload));
    await expect(t.db.query('SELECT sequence, status, final FROM transaction_decisions WHERE transaction_id = $1', [transaction.id])).resolves.toEqual([{ sequence: 1, status: 'APPROVED', final: true }]);
    await expect(t.db.query('SELECT 1 FROM review_cases WHERE transaction_id = $1', [transaction.id])).resolves.toEqual([]);
  });

  it('keeps when the request arrived, not when it was stored after screening', async () => {
    const transaction = TransactionMother.create();
    await t.store.recordNew(transaction, approved, Date.now() - 1_500); // an engine that took 1.5 s
    const [row] = await t.db.query<{ ago: number; same: boolean }>(
      `SELECT (extract(epoch FROM clock_timestamp() - received_at) * 1000)::float8 AS ago, received_at = claimed_at AS same FROM transactions WHERE id = $1`,
      [transaction.id],
    );
    expect(row!.ago).toBeGreaterThanOrEqual(1_500);
    expect(row!.ago).toBeLessThan(3_000);
    expect(row!.same).toBe(true);
  });

  it("opens a held transaction's review case, and queues a failed screening's retry while answering the fallback", async () => {
    const pending = TransactionMother.create();
    const failed = TransactionMother.create();
    await Promise.all([t.store.recordNew(pending, held, Date.now()), t.store.recordNew(failed, failedRejecting, Date.now())]);

    await expect(t.db.query('SELECT status FROM review_cases WHERE transaction_id = $1', [pending.id])).resolves.toEqual([{ status: 'PENDING_EXTERNAL_APPROVAL' }]);
    // FALLBACK_STATUS=REJECTED: answered REJECTED, pending review, asked again later.
    await expect(t.store.findById(failed.id)).resolves.toMatchObject({ state: 'PENDING_EXTERNAL_APPROVAL' });
    await expect(t.db.query('SELECT status, final FROM transaction_decisions WHERE transaction_id = $1', [failed.id])).resolves.toEqual([{ status: 'REJECTED', final: false }]);
    await expect(t.db.query('SELECT 1 AS queued FROM screening_retries WHERE transaction_id = $1', [failed.id])).resolves.toEqual([{ queued: 1 }]);
  });

  it('stores an id once whoever races for it, within a batch or across statements, and keeps the chains intact', async () => {
    const contested = TransactionMother.create();
    const results = await Promise.all(Array.from({ length: 10 }, (_, n) => t.store.recordNew(n % 2 ? TransactionMother.create({ id: contested.id, amount: '1' }) : contested, approved, Date.now())));
    expect(results.filter(Boolean)).toHaveLength(1);
    await expect(t.db.query('SELECT count(*)::int AS n FROM transaction_decisions WHERE transaction_id = $1', [contested.id])).resolves.toEqual([{ n: 1 }]);
    await expect(verifyAuditTrail(t.pool)).resolves.toMatchObject({ intact: true, problemCount: 0 });
  });
});

describe('PostgresTransactionStore storing once, on a large table', () => {
  const t = transactionStoreFixture();

  it('finds stored ids by primary key, never by reading the whole table, however the planner guesses the batch', async () => {
    // Enough rows, analysed, that a join against the whole table is what an unguarded plan picks.
    await t.db.query(`INSERT INTO transactions (id, state, amount, currency, source_account_id, payload)
                      SELECT 'plan-' || n, 'APPROVED', 1, 'EUR', 'acc-plan-' || (n % 500), '{}' FROM generate_series(1, 200000) n`);
    await t.db.query('ANALYZE transactions');
    const input = claimBatchJson([TransactionMother.create(), TransactionMother.create()].map((transaction) => ({ transaction })));
    for (const text of [lookUpBatchSql(QUERIES), lookUpOneSql(QUERIES)]) {
      const plan = (await t.pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${text}`, [input])).rows.map((row) => row['QUERY PLAN']).join('\n');
      expect(plan).not.toMatch(/Seq Scan on transactions|Hash (Anti )?Join|Merge (Anti )?Join/);
    }
  });
});

/** The statement's rows, with everything it wrote rolled back. */
async function rolledBack(pool: Pool, text: string, input: string) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    return (await client.query(text, [input])).rows;
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
}

/** Three accounts, two customers (and none), IBANs spelt two ways (and none), two names, both currencies and directions. */
function mixed(run: string, n: number): Transaction {
  const iban = [`GB00 ${run} 1`.toUpperCase(), `gb00${run}2`, undefined][n % 3];
  const name = n % 5 === 4 ? undefined : [`Ada ${run}`, `ADA ${run}`.toUpperCase()][n % 2];
  return TransactionMother.create({
    id: `${run}-${n}`,
    sourceAccountId: `acc-${run}-${n % 3}`,
    customerId: n % 4 === 3 ? undefined : `cust-${run}-${n % 2}`,
    amount: `${(n * 37) % 500 + 1}.${String(n % 100).padStart(2, '0')}`,
    currency: n % 3 === 1 ? 'GBP' : 'EUR',
    beneficiary: { ...(name ? { name } : {}), ...(iban ? { iban } : {}) },
    direction: n % 4 === 1 ? 'INBOUND' : 'OUTBOUND',
  });
}
