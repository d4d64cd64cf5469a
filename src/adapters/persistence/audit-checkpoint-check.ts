// Checks every stored checkpoint: its signature, its link to the one before, and that today's chains still hold each signed head.
import { KeyObject } from 'node:crypto';
import { checkpointSignatureProblem, keyIdOf } from './audit-checkpoint-document';
import { AuditDatabase, query } from './audit-database';
import { Tally } from './audit-findings';
import { checkpointOf, CheckpointRow } from './postgres-checkpoint.store';

export interface CheckpointReport {
  readonly checkpointsChecked: number;
  readonly headsChecked: number;
  /** The ids of the keys that verified at least one checkpoint. */
  readonly keysUsed: readonly string[];
}

const PAGE = 200;
const CHECKPOINTS = `
  SELECT number::int AS number, created_at, previous_digest, heads, digest, signature, key_id
    FROM audit_checkpoints WHERE number > $1 ORDER BY number LIMIT $2`;
/** Signed heads of a range of checkpoints whose chain no longer has that hash at that sequence. */
const BROKEN_HEADS = `
  SELECT c.number::int AS number, h."transactionId" AS transaction_id, h.sequence, e.id::text AS entry_id, e.hash AS current_hash
    FROM audit_checkpoints c
         CROSS JOIN LATERAL jsonb_to_recordset(c.heads) AS h("transactionId" text, sequence int, hash text)
         LEFT JOIN audit_chain_entries e ON e.transaction_id = h."transactionId" AND e.sequence = h.sequence
   WHERE c.number > $1 AND c.number <= $2 AND e.hash IS DISTINCT FROM h.hash
   ORDER BY c.number, h."transactionId"`;

/** Adds every problem to `tally`; `publicKeys` verify the signatures (the one whose id a checkpoint names). */
export async function checkCheckpoints(db: AuditDatabase, publicKeys: readonly KeyObject[], tally: Tally): Promise<CheckpointReport> {
  const keys = new Map(publicKeys.map((key) => [keyIdOf(key), key]));
  const used = new Set<string>();
  let previous: { number: number; digest: string } | null = null;
  let checkpointsChecked = 0;
  let headsChecked = 0;
  for (;;) {
    const { rows } = await query<CheckpointRow>(db, CHECKPOINTS, [previous?.number ?? 0, PAGE]);
    if (rows.length === 0) break;
    for (const row of rows) {
      const checkpoint = checkpointOf(row);
      const at = (kind: 'CHECKPOINT_SIGNATURE' | 'CHECKPOINT_LINK', message: string) =>
        tally.add({ kind, message: `checkpoint ${checkpoint.number}: ${message}`, transactionId: `(checkpoint ${checkpoint.number})`, entryId: null, sequence: null });
      const key = keys.get(checkpoint.keyId) ?? publicKeys[0];
      const problem = key ? checkpointSignatureProblem(checkpoint, key) : 'no public key was given';
      if (problem) at('CHECKPOINT_SIGNATURE', problem);
      else used.add(checkpoint.keyId);
      const expected: { number: number; digest: string | null } = { number: (previous?.number ?? 0) + 1, digest: previous?.digest ?? null };
      if (checkpoint.number !== expected.number || checkpoint.previousDigest !== expected.digest) {
        at('CHECKPOINT_LINK', `it should be number ${expected.number} and name the digest of the one before it: a checkpoint was removed or replaced`);
      }
      headsChecked += checkpoint.heads.length;
      checkpointsChecked += 1;
      previous = { number: checkpoint.number, digest: checkpoint.digest };
    }
    await checkHeads(db, rows[0]!.number - 1, rows[rows.length - 1]!.number, tally);
  }
  return { checkpointsChecked, headsChecked, keysUsed: [...used] };
}

async function checkHeads(db: AuditDatabase, after: number, upTo: number, tally: Tally): Promise<void> {
  const { rows } = await query<{ number: number; transaction_id: string; sequence: number; entry_id: string | null; current_hash: string | null }>(db, BROKEN_HEADS, [after, upTo]);
  for (const row of rows) {
    const rewritten = row.entry_id !== null;
    tally.add({
      kind: rewritten ? 'CHECKPOINT_HEAD_MISMATCH' : 'CHECKPOINT_HEAD_MISSING',
      message: rewritten
        ? `checkpoint ${row.number} signed another hash for sequence ${row.sequence}: the chain was rewritten up to here after it was signed`
        : `checkpoint ${row.number} signed sequence ${row.sequence}, which the chain no longer has: entries were removed after it was signed`,
      transactionId: row.transaction_id,
      entryId: row.entry_id,
      sequence: row.sequence,
    });
  }
}
