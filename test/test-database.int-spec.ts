// The per-suite database helper that every adapter and e2e suite stands on.
import { Client, Pool } from 'pg';
import { createTestDatabase } from './support/database';

describe('a test database', () => {
  // pg's Pool.end() resolves before its connections have closed, so a suite's drop follows sessions still on their way out.
  it('lets a session that is closing close before it drops the database, rather than terminating it', async () => {
    const db = await createTestDatabase();
    const closing = new Client({ connectionString: db.url });
    const terminated: string[] = [];
    closing.on('error', (error) => terminated.push(error.message));
    await closing.connect();

    const closed = new Promise((resolve) => setTimeout(resolve, 200)).then(() => closing.end());
    await db.drop();
    await closed;

    expect(terminated).toEqual([]);
  });

  it('ends the sessions still open after that, so that a drop never waits on a suite for good', async () => {
    const db = await createTestDatabase();
    const pool = new Pool({ connectionString: db.url, max: 2 });
    const terminated: string[] = [];
    pool.on('error', (error) => terminated.push(error.message));
    await pool.query('SELECT 1');

    const started = Date.now();
    await db.drop();
    const dropMs = Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(terminated).toEqual([expect.stringMatching(/terminating connection/)]);
    // It waited its second for the session, then no longer (generous: a loaded machine is slow to drop).
    expect(dropMs).toBeGreaterThanOrEqual(1_000);
    expect(dropMs).toBeLessThan(5_000);
    await pool.end();
  });
});
