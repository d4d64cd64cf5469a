// One transaction's chain, and its notifications to Toqio, read in one statement and judged by audit:verify's own rules, for its evidence pack.
import { Pool } from 'pg';
import { ChainAudit, ChainCheckpointView, ChainEntryView, ChainVerification } from '../../application/ports/chain-audit.port';
import { checkTransaction, isCaseRecord } from './audit-chain-check';
import { CHAIN_COLUMNS, chainEntries, groupByTransaction, PageRow } from './audit-chain-rows';
import { checkNotifications } from './audit-notification-check';

/** The transaction with every entry of its chain and its notifications, as the audit reads a page (the same columns). */
const ONE_CHAIN = `
  SELECT t.id AS transaction_id, t.direction, t.state, t.amount::text AS amount, t.currency, ${CHAIN_COLUMNS}
    FROM transactions t
    LEFT JOIN ${chainEntries('WHERE transaction_id = $1')} d ON d.transaction_id = t.id
   WHERE t.id = $1
   ORDER BY d.sequence, d.id`;

/**
 * Every checkpoint the signer recorded as signing a head of the chain, oldest first, with whether
 * the chain still holds that head: a chain rewritten after it was signed, then signed again at its
 * next entry, still contradicts the earlier checkpoint. (`audit:verify --public-key` reads every
 * checkpoint, whatever the signer's record says.)
 */
const SIGNED_HEADS = `
  SELECT c.number::int AS number, c.created_at, c.digest, c.signature, c.key_id, h.sequence, h.hash,
         EXISTS (SELECT 1 FROM audit_chain_entries e WHERE e.transaction_id = $1 AND e.sequence = h.sequence AND e.hash = h.hash) AS held
    FROM audit_signed_heads s
    JOIN audit_checkpoints c ON c.number = ANY (coalesce(s.checkpoints, ARRAY[s.checkpoint]))
    CROSS JOIN LATERAL jsonb_to_recordset(c.heads) AS h("transactionId" text, sequence int, hash text)
   WHERE s.transaction_id = $1 AND h."transactionId" = $1
   ORDER BY c.number`;

export class PostgresChainAudit extends ChainAudit {
  constructor(private readonly pool: Pool) {
    super();
  }

  async ofTransaction(transactionId: string): Promise<ChainVerification | null> {
    const [{ rows }, { rows: signed }] = await Promise.all([
      this.pool.query<PageRow>(ONE_CHAIN, [transactionId]),
      this.pool.query<CheckpointRow>(SIGNED_HEADS, [transactionId]),
    ]);
    const [chain] = [...groupByTransaction(rows)];
    if (!chain) return null;
    const findings = checkTransaction(chain.transaction, chain.entries);
    findings.push(...checkNotifications(chain.transaction, chain.entries, chain.notifications, findings));
    const problems = findings.map(({ kind, message, sequence }) => ({ kind, message, sequence }));
    for (const head of signed.filter((row) => !row.held)) {
      problems.push({ kind: 'CHECKPOINT_HEAD_MISMATCH', message: `checkpoint ${head.number} signed hash ${head.hash} at sequence ${head.sequence}, which the chain no longer holds`, sequence: head.sequence });
    }
    const last = signed.at(-1);
    const checkpoint = last ? checkpointView(last) : null;
    const entries: ChainEntryView[] = chain.entries.map((entry) =>
      isCaseRecord(entry)
        ? { sequence: entry.sequence, kind: entry.kind, at: entry.at, prevHash: entry.prevHash, hash: entry.hash }
        : { sequence: entry.sequence, kind: 'DECISION', at: entry.decidedAt, prevHash: entry.prevHash, hash: entry.hash },
    );
    return { entries, intact: problems.length === 0, problems, checkpoint };
  }
}

interface CheckpointRow {
  number: number;
  created_at: Date;
  digest: string;
  signature: string;
  key_id: string;
  sequence: number;
  hash: string;
  held: boolean;
}

function checkpointView(row: CheckpointRow): ChainCheckpointView {
  return { number: row.number, createdAt: row.created_at, sequence: row.sequence, hash: row.hash, digest: row.digest, signature: row.signature, keyId: row.key_id, held: row.held };
}
