// PostgresTransactionStore against a real PostgreSQL: claims, screening records, history counts.
import { Pool } from 'pg';
import { HotPathPool, hotPathPoolConfig } from '../src/adapters/persistence/hot-path-pool';
import { claimBatchSql, claimOneSql, RECORD_SCREENING_BATCH } from '../src/adapters/persistence/postgres-transaction.queries';
import { NO_HISTORY } from '../src/domain/screening-context';
import { SCREENING } from '../src/domain/transaction-status';
import { Screening } from '../src/domain/verdict';
import { sourceAccountCount, sourceAccountCountIn, withSourceAccountCounts } from './mothers/screening-context.mother';
import { TransactionMother } from './mothers/transaction.mother';

const lastMinute = sourceAccountCount(60);
import { transactionStoreFixture } from './support/transaction-store-fixture';

const approved: Screening = { provider: 'rules', outcome: 'DECIDED', status: 'APPROVED', reasons: [], verdict: { status: 'APPROVED', reasons: [] }, durationMs: 3 };

describe('PostgresTransactionStore', () => {
  const t = transactionStoreFixture();

  it('claims a new transaction once and reports it to later claimants', async () => {
    const transaction = TransactionMother.create({ amount: '0.000000000000000001' });

    await expect(t.store.claim(transaction, [])).resolves.toEqual({ claimed: true, context: NO_HISTORY });
    const again = await t.store.claim(transaction, [lastMinute]);

    expect(again).toMatchObject({ claimed: false, existing: { id: transaction.id, state: SCREENING, reasons: [] } });
    expect(again.claimed === false && again.existing.money.amount.toString()).toBe('0.000000000000000001');
  });

  it('gives exactly one of many concurrent claimants the claim', async () => {
    const transaction = TransactionMother.create();
    const results = await Promise.all(Array.from({ length: 10 }, () => t.store.claim(transaction, [lastMinute])));
    expect(results.filter((result) => result.claimed)).toHaveLength(1);
  });

  it('records a screening once, with its decision entry, in one statement', async () => {
    const transaction = TransactionMother.create();
    await t.store.claim(transaction, []);

    await expect(t.store.recordScreening(transaction, approved)).resolves.toBe(true);
    await expect(t.store.recordScreening(transaction, { ...approved, status: 'REJECTED' })).resolves.toBe(false);

    await expect(t.store.findById(transaction.id)).resolves.toMatchObject({ state: 'APPROVED' });
    await expect(t.db.query('SELECT status FROM transaction_decisions WHERE transaction_id = $1', [transaction.id])).resolves.toEqual([{ status: 'APPROVED' }]);
  });

  it('lets a stale claim be taken over by exactly one caller, with fresh activity counts, and a fresh one by none', async () => {
    const transaction = TransactionMother.create({ sourceAccountId: 'acc-stale' });
    await t.store.claim(transaction, []);
    await expect(t.store.reclaimStale(transaction, 60_000, [lastMinute])).resolves.toBeNull();

    await t.db.query("UPDATE transactions SET claimed_at = now() - interval '2 minutes' WHERE id = $1", [transaction.id]);
    const takeovers = await Promise.all(Array.from({ length: 5 }, () => t.store.reclaimStale(transaction, 60_000, [lastMinute])));
    expect(takeovers.filter(Boolean)).toEqual([withSourceAccountCounts({ 60: 1 })]);
  });

  it("counts the source account's transactions inside each window, the new one included", async () => {
    for (let i = 0; i < 3; i += 1) await t.store.claim(TransactionMother.create({ sourceAccountId: 'acc-window' }), []);
    const old = TransactionMother.create({ sourceAccountId: 'acc-window' });
    await t.store.claim(old, []);
    await t.db.query("UPDATE transactions SET received_at = now() - interval '61 seconds' WHERE id = $1", [old.id]);

    const claim = await t.store.claim(TransactionMother.create({ sourceAccountId: 'acc-window' }), [lastMinute, sourceAccountCount(120)]);
    expect(claim).toEqual({ claimed: true, context: withSourceAccountCounts({ 60: 4, 120: 5 }) });

    const alone = await t.store.claim(TransactionMother.create({ sourceAccountId: 'acc-none' }), [lastMinute]);
    expect(alone).toEqual({ claimed: true, context: withSourceAccountCounts({ 60: 1 }) });

    const anonymous = await t.store.claim(TransactionMother.create({ sourceAccountId: undefined }), [lastMinute]);
    expect(anonymous).toEqual({ claimed: true, context: NO_HISTORY });
  });

  it('counts activity across a batch of concurrent claims for one account, each seeing those before it', async () => {
    const claims = await Promise.all(
      Array.from({ length: 12 }, () => t.store.claim(TransactionMother.create({ sourceAccountId: 'acc-burst' }), [lastMinute])),
    );
    const counts = claims.map((claim) => (claim.claimed ? sourceAccountCountIn(claim.context, 60) : undefined));
    expect(counts.sort((a, b) => a! - b!)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });

  it('records a batch of concurrent screenings, each once', async () => {
    const transactions = Array.from({ length: 8 }, () => TransactionMother.create());
    await Promise.all(transactions.map((transaction) => t.store.claim(transaction, [])));

    const recorded = await Promise.all(transactions.map((transaction) => t.store.recordScreening(transaction, approved)));

    expect(recorded).toEqual(Array(8).fill(true));
    const [{ count }] = await t.db.query<{ count: number }>('SELECT count(*)::int AS count FROM transaction_decisions WHERE transaction_id = ANY($1)', [transactions.map((t) => t.id)]);
    expect(count).toBe(8);
  });

  it('confines a failing item to itself when it shares a batch with good ones', async () => {
    const good = Array.from({ length: 3 }, () => TransactionMother.create());
    const bad = TransactionMother.create({ originalPayload: '{not json' });

    const results = await Promise.allSettled([...good, bad].map((transaction) => t.store.claim(transaction, [])));

    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
    await expect(t.store.findById(good[0]!.id)).resolves.toMatchObject({ state: SCREENING });
    await expect(t.store.findById(bad.id)).resolves.toBeNull();
  });

  it('hands each stale claim to one sweeper, rebuilt as it arrived, and leaves fresh and recorded ones alone', async () => {
    const stale = TransactionMother.create({ sourceAccountId: 'acc-sweep', amount: '12.345' });
    const fresh = TransactionMother.create({ sourceAccountId: 'acc-sweep' });
    const recorded = TransactionMother.create();
    for (const transaction of [stale, fresh, recorded]) await t.store.claim(transaction, []);
    await t.store.recordScreening(recorded, approved);
    await t.db.query("UPDATE transactions SET claimed_at = now() - interval '2 minutes' WHERE id = ANY($1)", [[stale.id, recorded.id]]);

    const takeovers = await Promise.all(Array.from({ length: 4 }, () => t.store.takeStaleClaims(60_000, 10, [lastMinute])));
    const taken = takeovers.flat();

    expect(taken.map(({ transaction }) => transaction.id)).toEqual([stale.id]);
    expect(taken[0]!.transaction.money.amount.toString()).toBe('12.345');
    expect(JSON.parse(taken[0]!.transaction.originalPayload)).toEqual(JSON.parse(stale.originalPayload));
    expect(taken[0]!.context).toEqual(withSourceAccountCounts({ 60: 1 }));
    await expect(t.store.takeStaleClaims(60_000, 10, [lastMinute])).resolves.toEqual([]);
  });

  it('reads its table within a probe time, and not while a lock is held on it', async () => {
    await expect(t.store.probe(1_000)).resolves.toBeUndefined();
    const locker = await t.pool.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE transactions IN ACCESS EXCLUSIVE MODE');
      await expect(t.store.probe(200)).rejects.toThrow(/within 200 ms/);
    } finally {
      await locker.query('ROLLBACK');
      locker.release();
    }
  });

  it.each([
    ['a batch', claimBatchSql],
    ['one row', claimOneSql],
  ])('reads back only the rows it did not insert, by primary key, however few rows the table has (claim of %s)', async (_, claimSql) => {
    // Flattened into a join, the read-back was planned as a scan of the whole table on a small one.
    const input = [{ position: 1, first: true, id: `plan-${Date.now()}`, direction: 'OUTBOUND', amount: '1', currency: 'GBP', source_account_id: 'acc-plan', payload: {} }];
    const client = await t.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${claimSql([lastMinute])}`, [JSON.stringify(input)]);
      const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
      expect(plan).not.toMatch(/Seq Scan on transactions/);
      expect(plan).toMatch(/Index Scan using transactions_pkey on transactions s/);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it('records by primary key, even in a generic plan made once ANALYZE has seen almost no claim open', async () => {
    // With state = 'SCREENING' as a literal, such a plan read the stale-claims partial index, which
    // holds every claim made since the last vacuum.
    const client = await t.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`INSERT INTO transactions (id, state, amount, currency, payload) SELECT 'analyzed-' || n, 'SCREENING', 1, 'EUR', '{}' FROM generate_series(1, 3000) n`);
      // Every claim recorded, as between bursts: the suite's other tests leave some open.
      await client.query(`UPDATE transactions SET state = 'APPROVED' WHERE state = 'SCREENING'`);
      await client.query('ANALYZE transactions'); // rolled back with the rest
      await client.query('SET LOCAL plan_cache_mode = force_generic_plan');
      await client.query(`PREPARE record_generic(jsonb) AS ${RECORD_SCREENING_BATCH}`);
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN EXECUTE record_generic('[{"id": "analyzed-1", "state": "APPROVED", "reasons": []}]')`);
      const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
      expect(plan).toMatch(/Index Scan using transactions_pkey on transactions t\b|Bitmap Index Scan on transactions_pkey/);
      expect(plan).not.toMatch(/transactions_screening_claimed_at|Seq Scan on transactions t\b/);
    } finally {
      await client.query('ROLLBACK');
      await client.query('DEALLOCATE record_generic');
      client.release();
    }
  });

  it('claims on connections that do not wait for the WAL flush, and records on ones that do, both with validate\'s session', async () => {
    const hot = HotPathPool.create({ connectionString: t.db.url }, { deadlineMs: 2_000, max: 3 }, { warn: () => undefined });
    try {
      const setting = async (target: Pool) => (await target.query<{ synchronous_commit: string }>('SHOW synchronous_commit')).rows[0]!.synchronous_commit;
      await expect(setting(hot.claims)).resolves.toBe('off');
      await expect(setting(hot.pool)).resolves.toBe('on');
      // Both set validate's session as each connection opens (hotPathSession): the deadline, and the planner as its statements need it.
      const session = async (target: Pool) => {
        const { rows } = await target.query<Record<string, string>>(
          `SELECT current_setting('statement_timeout') AS statement, current_setting('lock_timeout') AS lock,
                  current_setting('enable_seqscan') AS seq, current_setting('enable_bitmapscan') AS bitmap`,
        );
        return rows[0];
      };
      const expected = { statement: '2s', lock: '1s', seq: 'off', bitmap: 'off' };
      await expect(session(hot.claims)).resolves.toEqual(expected);
      await expect(session(hot.pool)).resolves.toEqual(expected);
      const claimsOnly = HotPathPool.create({ connectionString: t.db.url }, { deadlineMs: 2_000, max: 1 }, { warn: () => undefined });
      expect(claimsOnly.claims).toBe(claimsOnly.pool);
      await claimsOnly.onApplicationShutdown();
    } finally {
      await hot.onApplicationShutdown();
    }
  });

  it('keeps the connections it opened at start through a quiet spell, rather than open them again in the next burst', async () => {
    // Its own idle timeout made short, so that a pool that lets idle connections go would have let them go;
    // a deadline (and so a connect timeout) generous for a loaded machine, as the opening at start is best effort.
    const pool = new Pool({ ...hotPathPoolConfig({ connectionString: t.db.url }, { deadlineMs: 10_000, max: 3 }), idleTimeoutMillis: 20 });
    const hot = new HotPathPool(pool);
    try {
      await hot.onApplicationBootstrap();
      expect(pool.totalCount).toBe(3);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(pool.totalCount).toBe(3);
      expect(pool.idleCount).toBe(3);
    } finally {
      await hot.onApplicationShutdown();
    }
  });

  it('finds nothing for an unknown id', async () => {
    await expect(t.store.findById('missing')).resolves.toBeNull();
  });
});
