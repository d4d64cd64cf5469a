// The schema comes only from migrations, on an empty database, and they can be reverted.
import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { MIGRATION_LOCK, MigrationRunner } from '../src/adapters/persistence/migration-runner';
import { MIGRATIONS } from '../src/adapters/persistence/migrations';
import { createMigratedTestDatabase, createTestDatabase, TestDatabase } from './support/database';
import { readUntil } from './support/waiting';

describe('migrations', () => {
  let db: TestDatabase;
  const dataSources: DataSource[] = [];
  const connect = async () => {
    const dataSource = new DataSource({ type: 'postgres', url: db.url, migrations: MIGRATIONS, migrationsTableName: 'schema_migrations', logging: false });
    dataSources.push(dataSource);
    return dataSource.initialize();
  };

  /** Reverts the latest migrations down to and including `name` (all applied before); resolves to how many were reverted. */
  const undoThrough = async (dataSource: DataSource, name: string) => {
    const index = MIGRATIONS.findIndex((migration) => migration.name === name);
    expect(index).toBeGreaterThanOrEqual(0);
    const applied = () => db.query<{ name: string }>(`SELECT name FROM schema_migrations ORDER BY id`);
    await expect(applied()).resolves.toEqual(MIGRATIONS.map((migration) => ({ name: migration.name })));
    for (let i = MIGRATIONS.length - 1; i >= index; i -= 1) await dataSource.undoLastMigration({ transaction: 'each' });
    await expect(applied()).resolves.toEqual(MIGRATIONS.slice(0, index).map((migration) => ({ name: migration.name })));
    return MIGRATIONS.length - index;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    for (const dataSource of dataSources) if (dataSource.isInitialized) await dataSource.destroy();
    await db.drop();
  });

  it('builds the schema on an empty database, and reverting leaves it empty again', async () => {
    const dataSource = await connect();
    await expect(dataSource.showMigrations()).resolves.toBe(true);

    const applied = await dataSource.runMigrations({ transaction: 'each' });

    expect(applied.map((migration) => migration.name)).toEqual(MIGRATIONS.map((migration) => migration.name));
    await expect(dataSource.showMigrations()).resolves.toBe(false);
    const tables = await db.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1");
    expect(tables.map((table) => table.table_name)).toEqual([
      'audit_chain_entries',
      'audit_checkpoints',
      'audit_signed_heads',
      'case_claim_events',
      'case_entries',
      'managed_list_changes',
      'managed_list_entries',
      'managed_list_state',
      'managed_lists',
      'mandates',
      'monitoring_callbacks',
      'operator_events',
      'payment_events',
      'payment_follow_ups',
      'payment_verifications',
      'payments',
      'provider_verdicts',
      'reconciliation_reports',
      'review_cases',
      'rule_backtests',
      'rule_set_activations',
      'rule_set_state',
      'rule_set_versions',
      'sanctions_allowed_names',
      'sanctions_entries',
      'sanctions_lists',
      'schema_migrations',
      'screening_retries',
      'toqio_notification_attempts',
      'toqio_notifications',
      'transaction_decisions',
      'transactions',
    ]);

    for (let i = 0; i < MIGRATIONS.length; i += 1) await dataSource.undoLastMigration({ transaction: 'each' });
    const left = await db.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
    expect(left.map((table) => table.table_name)).toEqual(['schema_migrations']);

    await expect(dataSource.runMigrations({ transaction: 'each' })).resolves.toHaveLength(MIGRATIONS.length);
  });

  it('has autovacuum visit transactions after 10,000 new rows plus 1% of the table, and reverting restores the defaults', async () => {
    const options = () => db.query<{ options: string[] | null }>(`SELECT reloptions AS options FROM pg_class WHERE oid = 'transactions'::regclass`);
    const tuned = ['fillfactor=80', 'autovacuum_vacuum_insert_scale_factor=0.01', 'autovacuum_vacuum_insert_threshold=10000'];
    await expect(options()).resolves.toEqual([{ options: tuned }]);

    const dataSource = await connect();
    await undoThrough(dataSource, 'VacuumAfterInserts1765600000000');
    await expect(options()).resolves.toEqual([{ options: ['fillfactor=80'] }]);

    await dataSource.runMigrations({ transaction: 'each' });
    await expect(options()).resolves.toEqual([{ options: tuned }]);
  });

  it('fails the start in seconds, saying why, when a VACUUM or index build holds transactions, and applies once it has ended', async () => {
    const dataSource = await connect();
    await undoThrough(dataSource, 'VacuumAfterInserts1765600000000');
    const holder = dataSource.createQueryRunner();
    await holder.connect();
    try {
      // What VACUUM, ANALYZE and CREATE INDEX CONCURRENTLY take; inserts and updates do not conflict with it.
      await holder.startTransaction();
      await holder.query(`LOCK TABLE transactions IN SHARE UPDATE EXCLUSIVE MODE`);

      await expect(dataSource.runMigrations({ transaction: 'each' })).rejects.toThrow(/within 5 s: a VACUUM, ANALYZE or index build of the table holds it/);

      await holder.rollbackTransaction();
    } finally {
      await holder.release();
    }
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    expect(applied.map((migration) => migration.name)).toContain('VacuumAfterInserts1765600000000');
  });

  it('leaves a new payment_events unanalysed, so that plans cached before autovacuum analyses it use its keys', async () => {
    // ANALYZE of the empty table recorded 0 rows, and foreign-key checks cached a sequential scan that grew with the table.
    await expect(db.query(`SELECT reltuples < 0 AS unanalysed FROM pg_class WHERE oid = 'payment_events'::regclass`)).resolves.toEqual([{ unanalysed: true }]);
    await db.query(`PREPARE event_by_id (uuid) AS SELECT 1 FROM ONLY payment_events x WHERE id = $1 FOR KEY SHARE OF x`);
    try {
      // Five custom plans, then PostgreSQL may settle on the generic one for good.
      for (let i = 0; i < 6; i += 1) await db.query(`EXECUTE event_by_id (gen_random_uuid())`);
      const plan = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN EXECUTE event_by_id (gen_random_uuid())`);
      expect(plan.map((line) => line['QUERY PLAN']).join('\n')).toMatch(/Index (Only )?Scan using payment_events_pkey/);
    } finally {
      await db.query(`DEALLOCATE event_by_id`);
    }
  });

  describe('the covering customer index (migration 1765500000000), run again after a start stopped half way', () => {
    const definition = `SELECT indexdef AS definition FROM pg_indexes WHERE indexname = $1`;
    const oidOf = (name: string) => db.query<{ oid: number }>(`SELECT to_regclass($1)::oid::int AS oid`, [name]);
    const covering = `ON transactions (customer_id, received_at) INCLUDE (currency, direction, amount) WHERE customer_id IS NOT NULL`;
    let dataSource: DataSource;
    /** How many migrations each test reverted, and so expects to run again. */
    let undone = 0;

    beforeEach(async () => {
      dataSource = await connect();
      undone = await undoThrough(dataSource, 'CoveringAggregateIndexes1765500000000');
    });
    afterEach(async () => {
      await expect(db.query(definition, ['transactions_customer_recent'])).resolves.toEqual([
        { definition: expect.stringContaining(`USING btree (customer_id, received_at) INCLUDE (currency, direction, amount) WHERE (customer_id IS NOT NULL)`) },
      ]);
      // Every validate's velocity count reads this one and every insert writes it: it stays narrow.
      await expect(db.query(definition, ['transactions_source_account_recent'])).resolves.toEqual([
        { definition: expect.stringContaining(`USING btree (source_account_id, received_at) WHERE (source_account_id IS NOT NULL)`) },
      ]);
      await expect(db.query(`SELECT count(*)::int AS left FROM pg_class WHERE relname LIKE '%_covering'`)).resolves.toEqual([{ left: 0 }]);
      await expect(db.query(`SELECT count(*)::int AS invalid FROM pg_index WHERE NOT indisvalid`)).resolves.toEqual([{ invalid: 0 }]);
    });

    it('builds it again where a build cut short left the new name to another index', async () => {
      await db.query(`CREATE INDEX transactions_customer_recent_covering ON transactions (customer_id)`);
      await db.query(`INSERT INTO transactions (id, state, amount, currency, customer_id, payload) VALUES ('c1', 'APPROVED', 1, 'EUR', 'cust-1', '{}')`);

      await expect(dataSource.runMigrations({ transaction: 'each' })).resolves.toHaveLength(undone);
    });

    it('keeps one an operator built ahead of the upgrade', async () => {
      await db.query(`CREATE INDEX transactions_customer_recent_covering ${covering}`);
      const ahead = await oidOf('transactions_customer_recent_covering');

      await expect(dataSource.runMigrations({ transaction: 'each' })).resolves.toHaveLength(undone);

      await expect(oidOf('transactions_customer_recent')).resolves.toEqual(ahead);
    });

    it('keeps one built and renamed by a start stopped before it recorded the migration', async () => {
      await db.query(`DROP INDEX transactions_customer_recent`);
      await db.query(`CREATE INDEX transactions_customer_recent ${covering}`);
      const finished = await oidOf('transactions_customer_recent');

      await expect(dataSource.runMigrations({ transaction: 'each' })).resolves.toHaveLength(undone);

      await expect(oidOf('transactions_customer_recent')).resolves.toEqual(finished);
    });
  });

  it('lets replicas starting together apply a migration that builds an index CONCURRENTLY: the others wait, none fails', async () => {
    // A replica blocked in pg_advisory_lock holds a snapshot, which CREATE INDEX CONCURRENTLY waits
    // out, while it waits for the lock the migrating replica holds on another session: PostgreSQL
    // saw no deadlock, and every start hung.
    const first = await connect();
    await undoThrough(first, 'CoveringAggregateIndexes1765500000000');
    const replicas = [first, await connect(), await connect()].map((dataSource) => new MigrationRunner(dataSource));

    const starts = await Promise.allSettled(replicas.map((replica) => replica.onModuleInit()));

    expect(starts.map((start) => (start.status === 'fulfilled' ? 'started' : String(start.reason)))).toEqual(['started', 'started', 'started']);
    await expect(replicas[2]!.isUpToDate()).resolves.toBe(true);
  });

  it('closes the migration lock\'s connection when the unlock fails, so the lock does not outlive the start in the pool', async () => {
    const dataSource = await connect();
    const createQueryRunner = dataSource.createQueryRunner.bind(dataSource);
    jest.spyOn(dataSource, 'createQueryRunner').mockImplementationOnce(() => {
      const runner = createQueryRunner();
      const query = runner.query.bind(runner);
      runner.query = (async (sql: string, parameters?: unknown[]) => {
        if (sql.includes('pg_advisory_unlock')) throw new Error('connection reset while unlocking');
        return query(sql, parameters);
      }) as typeof runner.query;
      return runner;
    });

    await new MigrationRunner(dataSource).onModuleInit();

    const held = () => db.query(`SELECT count(*)::int AS held FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND granted`, [MIGRATION_LOCK]);
    await readUntil(held, (rows) => rows[0]!.held === 0, 5_000, 50);
    await expect(held()).resolves.toEqual([{ held: 0 }]);
  });

  it('drops a test database whose migration fails, so that a failing suite ends rather than holding jest open', async () => {
    let name = '';
    class Failing1700000000000 implements MigrationInterface {
      name = 'Failing1700000000000';
      async up(runner: QueryRunner): Promise<void> {
        name = ((await runner.query('SELECT current_database() AS name')) as { name: string }[])[0]!.name;
        throw new Error('this migration fails');
      }
      async down(): Promise<void> {}
    }

    await expect(createMigratedTestDatabase([Failing1700000000000])).rejects.toThrow('this migration fails');

    expect(name).toMatch(/^tm_test_/);
    await expect(db.query(`SELECT count(*)::int AS left FROM pg_database WHERE datname = $1`, [name])).resolves.toEqual([{ left: 0 }]);
  });

  it('enforces amounts above zero and known states in the database itself', async () => {
    await expect(db.query(`INSERT INTO transactions (id, state, amount, currency, payload) VALUES ('z', 'APPROVED', 0, 'GBP', '{}')`)).rejects.toThrow(/check constraint/);
    await expect(db.query(`INSERT INTO transactions (id, state, amount, currency, payload) VALUES ('w', 'ALLOW', 1, 'GBP', '{}')`)).rejects.toThrow(/check constraint/);
  });

  it('keeps the decision history append-only', async () => {
    await db.query(`INSERT INTO transactions (id, state, amount, currency, payload) VALUES ('h', 'APPROVED', 1, 'GBP', '{}')`);
    await db.query(
      `INSERT INTO transaction_decisions (transaction_id, sequence, status, final, source, decided_by, reasons, decided_at, prev_hash, hash)
       VALUES ('h', 1, 'APPROVED', true, 'PROVIDER', 'rules', '[]', now(), 'p', 'h')`,
    );
    await expect(db.query(`UPDATE transaction_decisions SET status = 'REJECTED'`)).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM transaction_decisions`)).rejects.toThrow(/append-only/);
    await expect(db.query(`TRUNCATE transaction_decisions CASCADE`)).rejects.toThrow(/append-only/);
    await expect(db.query(`TRUNCATE toqio_notification_attempts`)).rejects.toThrow(/append-only/);
  });

  it('keeps payment events append-only: what lets a follow-up name its event without a foreign key', async () => {
    const [event] = await db.query<{ id: string }>(
      `INSERT INTO payment_events (id, provider, event_type, dedupe_key, summary, payload, effect, outcome)
       VALUES (gen_random_uuid(), 'example-pay', 'payment.success', 'k1', 's', '{}', '{"kind":"NONE"}', 'FOLLOW_UP') RETURNING id`,
    );
    await db.query(`INSERT INTO payment_follow_ups (event_id, next_attempt_at) VALUES ($1, now())`, [event!.id]);
    await expect(db.query(`UPDATE payment_events SET summary = 'changed'`)).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM payment_events`)).rejects.toThrow(/append-only/);
    await expect(db.query(`TRUNCATE payment_events CASCADE`)).rejects.toThrow(/append-only/);
    await expect(db.query(`SELECT count(*)::int AS n FROM payment_follow_ups f JOIN payment_events e ON e.id = f.event_id`)).resolves.toEqual([{ n: 1 }]);
  });
});
