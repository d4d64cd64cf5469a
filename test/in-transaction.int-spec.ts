// inTransaction against a real PostgreSQL: a connection on which the database could not serve is not handed out again.
import { Client, Pool } from 'pg';
import { inTransaction } from '../src/adapters/persistence/in-transaction';
import { createTestDatabase, TestDatabase } from './support/database';

describe('inTransaction', () => {
  let db: TestDatabase;
  const pools: Pool[] = [];
  const newPool = () => {
    const pool = new Pool({ connectionString: db.url, max: 1 });
    pools.push(pool);
    return pool;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.query('CREATE TABLE notes (text text NOT NULL)');
  });
  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.end()));
    await db.drop();
  });

  it('drops a connection that reached a read-only server, so that the next transaction writes once the server is writable', async () => {
    const name = new URL(db.url).pathname.slice(1);
    const admin = new Client({ connectionString: process.env.TEST_ADMIN_DATABASE_URL });
    await admin.connect();
    try {
      // As after a failover: the pool's one connection opens on a server that refuses writes.
      await admin.query(`ALTER DATABASE ${name} SET default_transaction_read_only = on`);
      const pool = newPool();
      const write = () => inTransaction(pool, (client) => client.query(`INSERT INTO notes VALUES ('x')`));
      await expect(write()).rejects.toMatchObject({ code: '25006' });
      await admin.query(`ALTER DATABASE ${name} RESET default_transaction_read_only`);

      await write();
      expect(await db.query('SELECT text FROM notes')).toEqual([{ text: 'x' }]);
    } finally {
      await admin.query(`ALTER DATABASE ${name} RESET default_transaction_read_only`);
      await admin.end();
    }
  });

  it('keeps a connection after an ordinary failure of the work, which its rollback cleared', async () => {
    const pool = newPool();
    const pids = new Set<number>();
    await expect(inTransaction(pool, async (client) => {
      pids.add((await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid);
      await client.query('INSERT INTO notes VALUES (NULL)');
    })).rejects.toMatchObject({ code: '23502' });
    await inTransaction(pool, async (client) => pids.add((await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid));
    expect(pids.size).toBe(1);
  });
});
