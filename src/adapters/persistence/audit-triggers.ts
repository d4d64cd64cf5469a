// The append-only triggers on decision history, case notes and attachments, and delivery attempts, and whether each still guards its table.
import { ProblemKind } from './audit-chain-check';
import { AuditDatabase, query } from './audit-database';

export type TriggerState = 'ENABLED' | 'DISABLED' | 'REPLICA_ONLY' | 'MISSING' | 'ALTERED';

export interface TriggerCheck {
  readonly table: string;
  readonly trigger: string;
  readonly state: TriggerState;
}

/** The triggers that make history append-only; disabling one is how history would be rewritten. */
// tgtype bits: ROW 1, BEFORE 2, INSERT 4, DELETE 8, UPDATE 16, TRUNCATE 32.
const ROW_REWRITES = 1 | 2 | 8 | 16;
// TRUNCATE fires no row trigger, so each table has a statement-level guard for it too.
const TRUNCATION = 2 | 32;

export const APPEND_ONLY_TRIGGERS = [
  { table: 'transaction_decisions', trigger: 'transaction_decisions_append_only', required: ROW_REWRITES },
  { table: 'transaction_decisions', trigger: 'transaction_decisions_no_truncate', required: TRUNCATION },
  { table: 'toqio_notification_attempts', trigger: 'toqio_notification_attempts_append_only', required: ROW_REWRITES },
  { table: 'toqio_notification_attempts', trigger: 'toqio_notification_attempts_no_truncate', required: TRUNCATION },
  { table: 'case_entries', trigger: 'case_entries_append_only', required: ROW_REWRITES },
  { table: 'case_entries', trigger: 'case_entries_no_truncate', required: TRUNCATION },
  { table: 'audit_checkpoints', trigger: 'audit_checkpoints_append_only', required: ROW_REWRITES },
  { table: 'audit_checkpoints', trigger: 'audit_checkpoints_no_truncate', required: TRUNCATION },
] as const;

export const TRIGGER_PROBLEM: Record<Exclude<TriggerState, 'ENABLED'>, ProblemKind> = {
  DISABLED: 'TRIGGER_DISABLED',
  REPLICA_ONLY: 'TRIGGER_DISABLED',
  MISSING: 'TRIGGER_MISSING',
  ALTERED: 'TRIGGER_ALTERED',
};

export /**
 * Each trigger must exist on its table, be enabled for ordinary sessions ('O' or 'A'), fire
 * BEFORE UPDATE OR DELETE FOR EACH ROW on every row and column (or BEFORE TRUNCATE for the
 * statement-level guards), and call a function that still raises: recreating it with a WHEN clause or a harmless function disarms it as surely as
 * disabling it.
 */
async function checkTriggers(db: AuditDatabase): Promise<TriggerCheck[]> {
  const { rows } = await query<{ table_name: string; trigger: string; enabled: string; type: number; unconditional: boolean; body: string }>(
    db,
    `SELECT c.relname AS table_name, tg.tgname AS trigger, tg.tgenabled::text AS enabled, tg.tgtype::int AS type,
            tg.tgqual IS NULL AND coalesce(array_length(tg.tgattr::int2[], 1), 0) = 0 AS unconditional, p.prosrc AS body
       FROM pg_trigger tg
       JOIN pg_class c ON c.oid = tg.tgrelid
       JOIN pg_proc p ON p.oid = tg.tgfoid
      WHERE c.relnamespace = current_schema()::regnamespace AND c.relname = ANY($1) AND NOT tg.tgisinternal`,
    [APPEND_ONLY_TRIGGERS.map((t) => t.table)],
  );
  return APPEND_ONLY_TRIGGERS.map(({ table, trigger, required }): TriggerCheck => {
    const row = rows.find((r) => r.table_name === table && r.trigger === trigger);
    if (!row) return { table, trigger, state: 'MISSING' };
    const raises = /\braise\s+exception\b/i.test(row.body.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, ''));
    if ((row.type & required) !== required || !row.unconditional || !raises) return { table, trigger, state: 'ALTERED' };
    if (row.enabled === 'D') return { table, trigger, state: 'DISABLED' };
    if (row.enabled === 'R') return { table, trigger, state: 'REPLICA_ONLY' };
    return { table, trigger, state: 'ENABLED' };
  });
}

