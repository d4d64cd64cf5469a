// Runs work in one database transaction on a connection of its own, and gives the connection back safely.
import { Pool, PoolClient } from 'pg';

/**
 * BEGIN, `work`, COMMIT; whatever `work` throws rolls everything back and is rethrown. A
 * connection whose rollback failed is in an unknown state: it is destroyed rather than reused.
 */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: unknown;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      broken = rollbackError;
    });
    throw error;
  } finally {
    client.release(broken instanceof Error ? broken : undefined);
  }
}
