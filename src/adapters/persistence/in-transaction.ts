// Runs work in one database transaction on a connection of its own, and gives the connection back safely.
import { Pool, PoolClient } from 'pg';
import { isDatabaseUnavailable } from '../errors/database-unavailable';

/**
 * BEGIN, `work`, COMMIT; whatever `work` throws rolls everything back and is rethrown. A
 * connection whose rollback failed is in an unknown state: it is destroyed rather than reused.
 * So is one on which the database could not serve (a read-only server after a failover, say):
 * its rollback succeeds, but kept, it would go on reaching that server; a new one reaches
 * whichever server DATABASE_URL names by then.
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
    if (broken === undefined && isDatabaseUnavailable(error)) broken = error;
    throw error;
  } finally {
    client.removeListener('error', onError);
    client.release(broken instanceof Error ? broken : undefined);
  }
}
