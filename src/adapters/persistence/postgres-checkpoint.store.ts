// PostgreSQL record of signed checkpoints: the heads that moved since the last one, signed by one replica at a time.
import { KeyObject } from 'node:crypto';
import { Pool } from 'pg';
import { CheckpointStore, CheckpointView } from '../../application/ports/checkpoint-store.port';
import { CHECKPOINT_VERSION, SignedHead, signCheckpoint } from './audit-checkpoint-document';
import { inTransaction } from './in-transaction';

/** Held for the signing transaction: another replica's signer skips its turn rather than wait. */
const SIGNER_LOCK = `SELECT pg_try_advisory_xact_lock(7316001) AS locked`;
/**
 * Every chain's head (its last entry, whichever table holds it) that is newer than the head last
 * signed. A head that went backwards or was rewritten at the same length is never signed again:
 * the checkpoint that signed it catches that.
 */
const MOVED_HEADS = `
  WITH heads AS (
    SELECT DISTINCT ON (transaction_id) transaction_id, sequence, hash
      FROM audit_chain_entries ORDER BY transaction_id DESC, sequence DESC
  )
  SELECT h.transaction_id, h.sequence, h.hash
    FROM heads h LEFT JOIN audit_signed_heads s USING (transaction_id)
   WHERE s.sequence IS NULL OR h.sequence > s.sequence
   ORDER BY h.transaction_id
   LIMIT $1`;
const LAST = `SELECT number::int AS number, digest FROM audit_checkpoints ORDER BY number DESC LIMIT 1`;
const INSERT = `
  INSERT INTO audit_checkpoints (number, created_at, previous_digest, heads, digest, signature, key_id)
  VALUES ($1, $2, $3, $4, $5, $6, $7)`;
/** Keeps every checkpoint of each chain (the evidence pack checks them all); a chain signed before migration 1765700000000 starts from its last. */
const MARK_SIGNED = `
  INSERT INTO audit_signed_heads (transaction_id, sequence, checkpoint, checkpoints)
  SELECT h."transactionId", h.sequence, $2, ARRAY[$2::bigint] FROM jsonb_to_recordset($1::jsonb) AS h("transactionId" text, sequence int)
  ON CONFLICT (transaction_id) DO UPDATE
    SET sequence = excluded.sequence, checkpoint = excluded.checkpoint,
        checkpoints = coalesce(audit_signed_heads.checkpoints, ARRAY[audit_signed_heads.checkpoint]) || excluded.checkpoint`;
const LIST = `
  SELECT number::int AS number, created_at, previous_digest, heads, digest, signature, key_id
    FROM audit_checkpoints WHERE number > $1 ORDER BY number LIMIT $2`;

export interface CheckpointRow {
  number: number;
  created_at: Date;
  previous_digest: string | null;
  heads: SignedHead[];
  digest: string;
  signature: string;
  key_id: string;
}

export class PostgresCheckpointStore extends CheckpointStore {
  constructor(
    private readonly pool: Pool,
    /** Undefined when no AUDIT_SIGNING_KEY is set: nothing is signed, the stored ones are still read. */
    private readonly signingKey: KeyObject | undefined,
    private readonly now: () => Date = () => new Date(),
  ) {
    super();
  }

  async signPending(maxHeads: number, maxCheckpoints: number): Promise<number> {
    const key = this.signingKey;
    if (key === undefined) return 0;
    let made = 0;
    while (made < maxCheckpoints && (await this.signOne(key, maxHeads))) made += 1;
    return made;
  }

  async list(after: number, limit: number): Promise<readonly CheckpointView[]> {
    const { rows } = await this.pool.query<CheckpointRow>(LIST, [after, limit]);
    return rows.map(checkpointOf);
  }

  /** One checkpoint in one database transaction; false when nothing moved or another replica is signing. */
  private signOne(key: KeyObject, maxHeads: number): Promise<boolean> {
    return inTransaction(this.pool, async (client) => {
      const { rows: lock } = await client.query<{ locked: boolean }>(SIGNER_LOCK);
      if (!lock[0]?.locked) return false;
      const { rows: moved } = await client.query<{ transaction_id: string; sequence: number; hash: string }>(MOVED_HEADS, [maxHeads]);
      if (moved.length === 0) return false;
      const { rows: last } = await client.query<{ number: number; digest: string }>(LAST);
      const heads = moved.map((row) => ({ transactionId: row.transaction_id, sequence: row.sequence, hash: row.hash }));
      const checkpoint = signCheckpoint({ number: (last[0]?.number ?? 0) + 1, createdAt: this.now(), previousDigest: last[0]?.digest ?? null, heads }, key);
      await client.query(INSERT, [checkpoint.number, checkpoint.createdAt, checkpoint.previousDigest, JSON.stringify(heads), checkpoint.digest, checkpoint.signature, checkpoint.keyId]);
      await client.query(MARK_SIGNED, [JSON.stringify(heads), checkpoint.number]);
      return true;
    });
  }
}

export function checkpointOf(row: CheckpointRow): CheckpointView {
  return {
    version: CHECKPOINT_VERSION,
    number: row.number,
    createdAt: row.created_at,
    previousDigest: row.previous_digest,
    heads: row.heads,
    digest: row.digest,
    signature: row.signature,
    keyId: row.key_id,
  };
}
