// The statement that takes over claims left SCREENING, for ResolveStaleClaims.
import { SCREENABLE_COLUMNS } from './transaction-row';

/**
 * $1 stale after (ms), $2 limit, $3 activity windows (s). Renewing claimed_at is the takeover:
 * SKIP LOCKED and the new claimed_at keep two replicas (or a replay's reclaimStale) from taking
 * the same claim. The partial index on SCREENING rows keeps this cheap however large the table.
 */
export const TAKE_STALE_CLAIMS = `
  WITH stale AS (
    SELECT id FROM transactions
     WHERE state = 'SCREENING' AND claimed_at < clock_timestamp() - make_interval(secs => $1::float8 / 1000)
     ORDER BY claimed_at
     LIMIT $2
       FOR UPDATE SKIP LOCKED
  ),
  taken AS (
    UPDATE transactions t SET claimed_at = clock_timestamp() FROM stale WHERE t.id = stale.id RETURNING t.id
  )
  SELECT ${SCREENABLE_COLUMNS}
    FROM taken JOIN transactions t ON t.id = taken.id`;
