// The database an audit reads, and the check that it is the service's, migrated far enough to audit.
import { Client, Pool, PoolClient, QueryResultRow } from 'pg';

export type AuditDatabase = Pool | PoolClient | Client;

/** The verification could not run at all (schema missing or not migrated). */
export class AuditUnavailableError extends Error {}

export async function assertSchema(db: AuditDatabase): Promise<void> {
  const { rows } = await query<{ table_name: string; column_name: string }>(
    db,
    `SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name IN ('transactions', 'transaction_decisions', 'case_entries')`,
    [],
  );
  const columns = new Set(rows.map((row) => `${row.table_name}.${row.column_name}`));
  if (!columns.has('transactions.id')) throw new AuditUnavailableError('this database has no transactions table: is it the service\'s database?');
  const missing = ['sequence', 'final', 'prev_hash', 'hash'].filter((column) => !columns.has(`transaction_decisions.${column}`));
  if (missing.length > 0) {
    throw new AuditUnavailableError(`transaction_decisions has no ${missing.join(', ')} column: the hash chain's migration is not applied yet (start the service once to migrate)`);
  }
  if (!columns.has('case_entries.hash')) {
    throw new AuditUnavailableError('there is no case_entries table: the notes and attachments migration is not applied yet (start the service once to migrate)');
  }
}

export function query<R extends QueryResultRow>(db: AuditDatabase, text: string, values: unknown[]) {
  return (db as Pool).query<R>(text, values);
}
