// Validate's statements on a new database (PostgreSQL): the plans a connection keeps find rows by plain
// index scans, though they were made while the table was empty and the table has grown since.
import { Pool, PoolClient } from 'pg';
import { hotPathPoolConfig } from '../src/adapters/persistence/hot-path-pool';
import { PostgresTransactionStore } from '../src/adapters/persistence/postgres-transaction.store';
import { claimBatchJson, screenedTransactionsJson, screeningRecordsJson } from '../src/adapters/persistence/transaction-batch-json';
import { AggregateQuery } from '../src/domain/aggregate';
import { Transaction } from '../src/domain/transaction';
import { Screening } from '../src/domain/verdict';
import { TransactionMother } from './mothers/transaction.mother';
import { createMigratedTestDatabase, TestDatabase } from './support/database';

const QUERIES: readonly AggregateQuery[] = [
  { fn: 'count', groupBy: 'sourceAccountId', windowSeconds: 60 },
  { fn: 'sum', groupBy: 'customerId', windowSeconds: 86_400, currency: 'EUR' },
  { fn: 'distinct', of: 'beneficiaryIban', groupBy: 'sourceAccountId', windowSeconds: 3_600 },
  { fn: 'count', groupBy: 'beneficiaryIban', windowSeconds: 3_600 },
];

const approved: Screening = { provider: 'rules', outcome: 'DECIDED', status: 'APPROVED', reasons: [], verdict: { status: 'APPROVED', reasons: [], ruleSetVersion: 1 }, durationMs: 1 };

/** What each statement the store prepares is given, to explain it (EXPLAIN runs nothing, writes included). */
const INPUTS: Record<string, (transaction: Transaction) => string> = {
  tx_look_up_one: (transaction) => claimBatchJson([{ transaction }]),
  tx_look_up_batch: (transaction) => claimBatchJson([{ transaction }, { transaction: TransactionMother.create() }]),
  tx_claim_one: (transaction) => claimBatchJson([{ transaction }]),
  tx_claim_batch: (transaction) => claimBatchJson([{ transaction }, { transaction: TransactionMother.create() }]),
  tx_record_new_batch: (transaction) => screenedTransactionsJson([{ transaction, screening: approved, receivedAt: Date.now() }], new Date()),
  tx_record_screening_batch: (transaction) => screeningRecordsJson([{ transaction, screening: approved }], new Date()),
};

describe('validate’s statements on a new database', () => {
  let db: TestDatabase;
  let pool: Pool;

  beforeAll(async () => {
    db = await createMigratedTestDatabase();
    // One connection, so that every statement runs, and keeps its plan, on it. PostgreSQL keeps a
    // statement's generic plan from its sixth run where it costs no more than planning each run
    // afresh, as it did for every statement here under load (and for these two records even in
    // this small test): here every plan is the generic one, made at the first run, on the empty table.
    const hotPath = hotPathPoolConfig({ connectionString: db.url }, { deadlineMs: 10_000, max: 1 });
    pool = new Pool({ ...hotPath, options: [hotPath.options, '-c plan_cache_mode=force_generic_plan'].filter(Boolean).join(' ') });
    pool.on('error', () => undefined);
  });

  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('find their rows by plain index scans, with the plans made while the table was empty', async () => {
    await db.query('ANALYZE transactions'); // as a new database's first autovacuum, or a restore, leaves it
    const store = new PostgresTransactionStore(pool, { maxConcurrentBatches: 1 });
    const customer = (n: number) => TransactionMother.create({ sourceAccountId: `acc-${n % 7}`, customerId: `cust-${n % 5}`, currency: 'EUR' });
    let n = 0;
    const several = () => [customer(n++), customer(n++), customer(n++)];
    for (let round = 0; round < 8; round++) {
      // Stored once after a look-up, and claimed then recorded: alone, and several at once (a batch).
      const lone = customer(n++);
      expect((await store.lookUp(lone, QUERIES)).existing).toBeUndefined();
      await store.recordNew(lone, approved, Date.now());
      const looked = several();
      await Promise.all(looked.map((transaction) => store.lookUp(transaction, QUERIES)));
      await Promise.all(looked.map((transaction) => store.recordNew(transaction, approved, Date.now())));
      const claimed = customer(n++);
      await store.claim(claimed, QUERIES);
      await store.recordScreening(claimed, approved);
      const claims = several();
      await Promise.all(claims.map((transaction) => store.claim(transaction, QUERIES)));
      await Promise.all(claims.map((transaction) => store.recordScreening(transaction, approved)));
    }
    // The table grows, with no ANALYZE to tell the planner.
    await db.query(`INSERT INTO transactions (id, state, amount, currency, source_account_id, customer_id, beneficiary, payload)
                    SELECT 'grown-' || n, 'APPROVED', 10, 'EUR', 'acc-' || (n % 7), 'cust-' || (n % 5), '{"iban": "GB33BUKB20201555555555"}', '{}'
                      FROM generate_series(1, 20000) n`);

    await expectPlainIndexScans(pool, customer(99));

    // A busy day, analysed: many accounts, customers and IBANs with a few rows each in their windows,
    // where the planner, left to itself, reads an aggregate's rows through a bitmap built at each run.
    await db.query(`INSERT INTO transactions (id, state, amount, currency, source_account_id, customer_id, beneficiary, payload, received_at)
                    SELECT 'day-' || n, 'APPROVED', 10, 'EUR', 'acc-' || (n % 5000), 'cust-' || (n % 2000),
                           jsonb_build_object('iban', 'GB33BUKB' || lpad((n % 20000)::text, 14, '0')), '{}', now() - make_interval(secs => n * 0.06)
                      FROM generate_series(1, 50000) n`);
    await db.query('ANALYZE transactions');
    const busy = TransactionMother.create({ sourceAccountId: 'acc-42', customerId: 'cust-42', currency: 'EUR' });
    await expectPlainIndexScans(pool, busy);
    // The control: the same look-up, planned on this table with bitmap scans allowed, reads through one.
    const client = await pool.connect();
    try {
      const [kept] = await client.query<{ statement: string }>(`SELECT statement FROM pg_prepared_statements WHERE name = 'tx_look_up_batch'`).then((result) => result.rows);
      await client.query('SET enable_bitmapscan = on');
      await client.query(`PREPARE bitmap_control(jsonb) AS ${kept!.statement}`);
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN EXECUTE bitmap_control(${client.escapeLiteral(INPUTS.tx_look_up_batch!(busy))})`);
      expect(rows.map((row) => row['QUERY PLAN']).join('\n')).toMatch(/Bitmap Heap Scan on transactions\b/);
    } finally {
      await client.query('DEALLOCATE ALL; SET enable_bitmapscan = off');
      client.release();
    }
  });
});

/**
 * Explains each of the store's statements kept on the pool's one connection (planned generic: the
 * connection's plan_cache_mode), given `transaction`: none reads `transactions` whole or through a bitmap.
 */
async function expectPlainIndexScans(pool: Pool, transaction: Transaction): Promise<void> {
  const client = await pool.connect();
  try {
    const kept = await keptPlans(client);
    expect(Object.keys(kept).sort()).toEqual(Object.keys(INPUTS).sort());
    for (const [name, generic] of Object.entries(kept)) {
      // A statement still planned afresh each time would prove nothing here.
      expect([name, generic > 0]).toEqual([name, true]);
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN EXECUTE ${name}(${client.escapeLiteral(INPUTS[name]!(transaction))})`);
      const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
      // Neither the whole table nor a bitmap built afresh at each run (hot-path-pool.ts, HOT_PATH_PLANNER).
      expect([name, plan.match(/(Seq Scan|Bitmap Heap Scan) on transactions\b.*/g) ?? []]).toEqual([name, []]);
    }
  } finally {
    client.release();
  }
}

/** The store's prepared statements on this connection with how many times each ran on its generic plan. */
async function keptPlans(client: PoolClient): Promise<Record<string, number>> {
  const { rows } = await client.query<{ name: string; generic: number }>(
    `SELECT name, generic_plans::int AS generic FROM pg_prepared_statements WHERE name = ANY($1::text[])`,
    [Object.keys(INPUTS)],
  );
  return Object.fromEntries(rows.map((row) => [row.name, row.generic]));
}
