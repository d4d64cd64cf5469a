// A fresh, empty database per test suite on the run's PostgreSQL server.
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../src/adapters/persistence/migrations';
import { readUntil } from './waiting';

export interface TestDatabase {
  readonly url: string;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_ADMIN_DATABASE_URL;
  if (!adminUrl) throw new Error('TEST_ADMIN_DATABASE_URL is unset: run the suites through jest (globalSetup)');
  const name = `tm_test_${randomBytes(6).toString('hex')}`;
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  return {
    url: url.toString(),
    query: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[],
    drop: async () => {
      await client.end();
      await withClient(adminUrl, async (admin) => {
        await readUntil(() => sessionCount(admin, name), (sessions) => sessions === 0, CLOSING_SESSIONS_MS, 10);
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      });
    },
  };
}

/**
 * How long a drop waits for the database's sessions to close before it ends the rest. pg's
 * Pool.end() resolves before its connections have closed: forced at once, the drop terminated
 * them on their way out, and the FATAL message reached the pool's 'error' event after the pool was
 * gone, where nothing listens, failing whichever test that worker ran next.
 */
const CLOSING_SESSIONS_MS = 1_000;

async function sessionCount(admin: Client, name: string): Promise<number> {
  const { rows } = await admin.query<{ sessions: number }>('SELECT count(*)::int AS sessions FROM pg_stat_activity WHERE datname = $1', [name]);
  return rows[0]!.sessions;
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh database with every migration applied, for suites that test a store on the real schema.
 * Where a migration fails, the database is dropped and its client ended before the error goes on:
 * left open, that client kept jest from exiting after it had reported the failure.
 */
export async function createMigratedTestDatabase(migrations: MigrationList = MIGRATIONS): Promise<TestDatabase> {
  const db = await createTestDatabase();
  try {
    const dataSource = await new DataSource({ type: 'postgres', url: db.url, migrations, migrationsTableName: 'schema_migrations' }).initialize();
    try {
      await dataSource.runMigrations({ transaction: 'each' }); // as the service does: a migration may build an index CONCURRENTLY, outside a transaction
    } finally {
      await dataSource.destroy();
    }
  } catch (error) {
    await db.drop();
    throw error;
  }
  return db;
}

type MigrationList = NonNullable<DataSourceOptions['migrations']>;
