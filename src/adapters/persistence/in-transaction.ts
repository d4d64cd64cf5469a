// Runs work in one database transaction on a connection of its own, and gives the connection back safely.
import { Pool, PoolClient } from 'pg';

/**
 * BEGIN, `work`, COMMIT; whatever `work` throws rolls everything back and is rethrown. A
 * connection whose rollback failed is in an unknown state: it is destroyed rather than reused.
 */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: unknown;
  // pg-pool listens for errors only on idle clients: a backend terminated between two of this
  // transaction's statements would otherwise be an unhandled 'error' event, and crash the process.
  // The next statement fails with it; the connection is then destroyed, not reused.
  const onError = (error: Error) => (broken = error);
  client.on('error', onError);
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
    client.removeListener('error', onError);
    client.release(broken instanceof Error ? broken : undefined);
  }
}
