// PostgreSQL record of analysts' claims: decided under the transaction's row lock, the same lock decisions take.
import { Pool, PoolClient } from 'pg';
import { CaseClaimStore } from '../../application/ports/case-claim-store.port';
import { CaseClaim, ClaimChange, ClaimState } from '../../domain/case-claim';
import { TransactionNotFoundError } from '../../domain/domain-error';
import { TransactionState } from '../../domain/transaction-status';
import { inTransaction } from './in-transaction';

const LOCK_TRANSACTION = `SELECT state FROM transactions WHERE id = $1 FOR UPDATE`;
/**
 * Read in its own statement once the lock is held, never joined into the locking one: a statement
 * that waited for the lock re-reads only the locked row, and would see the claim as it was before
 * the claimant it waited for committed (both analysts would win a race).
 */
export const CLAIM_ON_RECORD = `SELECT assignee, claimed_until FROM review_cases WHERE transaction_id = $1`;
const SET_CLAIM = `UPDATE review_cases SET assignee = $2, claimed_until = $3 WHERE transaction_id = $1`;
const RECORD_EVENT = `
  INSERT INTO case_claim_events (transaction_id, action, actor, assignee, at, claimed_until)
  VALUES ($1, $2, $3, $4, $5, $6)`;

export class PostgresCaseClaimStore extends CaseClaimStore {
  constructor(private readonly pool: Pool) {
    super();
  }

  changeClaim(transactionId: string, rule: (current: ClaimState) => ClaimChange): Promise<CaseClaim | null> {
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<{ state: TransactionState }>(LOCK_TRANSACTION, [transactionId]);
      const row = rows[0];
      if (!row) throw new TransactionNotFoundError(transactionId);
      const claim = await claimOnRecord(client, transactionId);
      const change = rule({ transactionId, state: row.state, claim });
      if (change.event === null) return claim;
      await recordClaimChange(client, transactionId, change);
      return change.claim;
    });
  }
}

/** The claim on record (lapsed or not), read on a client that already holds the transaction's row lock. */
export async function claimOnRecord(client: PoolClient, transactionId: string): Promise<CaseClaim | null> {
  const { rows } = await client.query<{ assignee: string | null; claimed_until: Date | null }>(CLAIM_ON_RECORD, [transactionId]);
  const row = rows[0];
  return row && row.assignee !== null && row.claimed_until !== null ? { assignee: row.assignee, claimedUntil: row.claimed_until } : null;
}

/**
 * Writes a claim change on a client already holding the transaction's row lock: the claim's
 * columns on the case, and its event when there is one. The review store calls it for decisions.
 */
export async function recordClaimChange(client: PoolClient, transactionId: string, change: ClaimChange): Promise<void> {
  await client.query(SET_CLAIM, [transactionId, change.claim?.assignee ?? null, change.claim?.claimedUntil ?? null]);
  const event = change.event;
  if (event) await client.query(RECORD_EVENT, [transactionId, event.action, event.by, event.assignee, event.at, event.claimedUntil]);
}
