// Review cases, the hash-chained decision history, the outbox to Toqio, callbacks and late screenings.
import { MigrationInterface, QueryRunner } from 'typeorm';
import { entryHash, genesisHash } from '../decision-chain';

export class ReviewAndOutbox1763900000000 implements MigrationInterface {
  name = 'ReviewAndOutbox1763900000000';

  async up(db: QueryRunner): Promise<void> {
    // Decision history: a position per transaction, a final flag, and the hash chain.
    await db.query(`
      ALTER TABLE transaction_decisions
        ADD COLUMN sequence  integer,
        ADD COLUMN final     boolean,
        ADD COLUMN prev_hash text,
        ADD COLUMN hash      text`);
    await backfillChains(db);
    await db.query(`
      ALTER TABLE transaction_decisions
        ALTER COLUMN sequence SET NOT NULL,
        ALTER COLUMN final SET NOT NULL,
        ALTER COLUMN prev_hash SET NOT NULL,
        ALTER COLUMN hash SET NOT NULL,
        ALTER COLUMN decided_at DROP DEFAULT,
        ADD CONSTRAINT transaction_decisions_position UNIQUE (transaction_id, sequence)`);
    await db.query(`DROP INDEX transaction_decisions_by_transaction`);
    await db.query(`COMMENT ON COLUMN transaction_decisions.hash IS 'sha256(prev_hash || canonical entry); see decision-chain.ts and npm run audit:verify'`);

    // The review queue: one row per transaction that was ever held, kept apart from `transactions`
    // so that validate's screening update stays HOT (no indexed column of transactions changes).
    await db.query(`
      CREATE TABLE review_cases (
        transaction_id     text PRIMARY KEY REFERENCES transactions (id),
        direction          text NOT NULL DEFAULT 'OUTBOUND' CHECK (direction IN ('OUTBOUND', 'INBOUND')),
        status             text NOT NULL CHECK (status IN ('PENDING_EXTERNAL_APPROVAL', 'APPROVED', 'REJECTED')),
        opened_at          timestamptz NOT NULL,
        first_approved_by  text,
        first_approved_at  timestamptz,
        decided_at         timestamptz
      )`);
    await db.query(`CREATE INDEX review_cases_by_status ON review_cases (status, opened_at, transaction_id)`);
    await db.query(`CREATE INDEX review_cases_by_age ON review_cases (opened_at, transaction_id)`);
    await db.query(`
      INSERT INTO review_cases (transaction_id, direction, status, opened_at)
      SELECT id, direction, state, coalesce(screened_at, received_at) FROM transactions WHERE state = 'PENDING_EXTERNAL_APPROVAL'`);

    // The outbox: one notification per final decision, written in the decision's transaction.
    await db.query(`
      CREATE TABLE toqio_notifications (
        id               uuid PRIMARY KEY,
        transaction_id   text NOT NULL UNIQUE REFERENCES transactions (id),
        decision_id      bigint NOT NULL REFERENCES transaction_decisions (id),
        body             text NOT NULL,
        state            text NOT NULL CHECK (state IN ('QUEUED', 'DELIVERED', 'DEAD')),
        attempts         integer NOT NULL DEFAULT 0,
        attempts_at_queue integer NOT NULL DEFAULT 0,
        next_attempt_at  timestamptz,
        queued_at        timestamptz NOT NULL,
        created_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
        delivered_at     timestamptz,
        dead_at          timestamptz,
        last_error       text,
        redelivered_by   text,
        redelivered_at   timestamptz,
        CHECK ((state = 'QUEUED') = (next_attempt_at IS NOT NULL))
      )`);
    await db.query(`COMMENT ON COLUMN toqio_notifications.id IS 'sent as idempotency-key on every attempt'`);
    await db.query(`COMMENT ON COLUMN toqio_notifications.body IS 'the exact JSON every attempt sends'`);
    await db.query(`COMMENT ON COLUMN toqio_notifications.next_attempt_at IS 'when it is due; pushed forward by a claim, so it is also the lease of the worker sending it'`);
    await db.query(`COMMENT ON COLUMN toqio_notifications.attempts_at_queue IS 'attempts made before the last redelivery by hand: the backoff restarts from there'`);
    await db.query(`COMMENT ON COLUMN toqio_notifications.queued_at IS 'start of its maximum age: creation, or the last redelivery by hand'`);
    await db.query(`CREATE INDEX toqio_notifications_due ON toqio_notifications (next_attempt_at) WHERE state = 'QUEUED'`);
    await db.query(`CREATE INDEX toqio_notifications_dead ON toqio_notifications (dead_at) WHERE state = 'DEAD'`);
    await db.query(`
      CREATE TABLE toqio_notification_attempts (
        id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        notification_id  uuid NOT NULL REFERENCES toqio_notifications (id),
        attempt          integer NOT NULL,
        started_at       timestamptz NOT NULL,
        duration_ms      integer NOT NULL,
        outcome          text NOT NULL CHECK (outcome IN ('DELIVERED', 'REFUSED', 'TIMEOUT', 'NETWORK_ERROR')),
        http_status      integer,
        error            text
      )`);
    await db.query(`CREATE INDEX toqio_notification_attempts_by_notification ON toqio_notification_attempts (notification_id, id)`);
    await db.query(`
      CREATE TRIGGER toqio_notification_attempts_append_only BEFORE UPDATE OR DELETE ON toqio_notification_attempts
      FOR EACH ROW EXECUTE FUNCTION refuse_history_rewrite()`);
    // Row triggers do not fire on TRUNCATE: guard both histories against it too.
    for (const table of ['transaction_decisions', 'toqio_notification_attempts']) {
      await db.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_rewrite()`);
    }

    // Provider callbacks already applied, by the provider's own id (Standard Webhooks `webhook-id`).
    await db.query(`
      CREATE TABLE monitoring_callbacks (
        provider        text NOT NULL,
        event_id        text NOT NULL,
        transaction_id  text NOT NULL,
        received_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (provider, event_id)
      )`);

    // Transactions answered with the fallback, whose provider is asked again in the background.
    await db.query(`
      CREATE TABLE screening_retries (
        transaction_id   text PRIMARY KEY REFERENCES transactions (id),
        attempts         integer NOT NULL DEFAULT 0,
        next_attempt_at  timestamptz NOT NULL,
        queued_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
        last_error       text
      )`);
    await db.query(`CREATE INDEX screening_retries_due ON screening_retries (next_attempt_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE screening_retries`);
    await db.query(`DROP TABLE monitoring_callbacks`);
    await db.query(`DROP TABLE toqio_notification_attempts`);
    await db.query(`DROP TRIGGER transaction_decisions_no_truncate ON transaction_decisions`);
    await db.query(`DROP TABLE toqio_notifications`);
    await db.query(`DROP TABLE review_cases`);
    await db.query(`ALTER TABLE transaction_decisions DROP CONSTRAINT transaction_decisions_position`);
    await db.query(`CREATE INDEX transaction_decisions_by_transaction ON transaction_decisions (transaction_id, id)`);
    await db.query(`ALTER TABLE transaction_decisions ALTER COLUMN decided_at SET DEFAULT clock_timestamp()`);
    await db.query(`ALTER TABLE transaction_decisions DROP COLUMN sequence, DROP COLUMN final, DROP COLUMN prev_hash, DROP COLUMN hash`);
  }
}

interface LegacyEntry {
  id: string;
  transaction_id: string;
  status: 'APPROVED' | 'REJECTED' | 'PENDING_EXTERNAL_APPROVAL';
  source: 'PROVIDER' | 'FALLBACK' | 'ANALYST';
  decided_by: string;
  reasons: string[];
  decided_at: Date;
  amount: string;
  currency: string;
}

/**
 * Entries written before the chain existed get their position and hashes, in id order within
 * each transaction. Walked by (transaction_id, id), the index the first migration created, so
 * that only the transaction at a page boundary is carried over: memory stays one page however
 * many transactions there are. The bound on t.id is implied by the join, but without it the
 * merge join reads `transactions` from its first row on every page.
 */
async function backfillChains(db: QueryRunner): Promise<void> {
  await db.query(`ALTER TABLE transaction_decisions DISABLE TRIGGER transaction_decisions_append_only`);
  let after: { transactionId: string; id: string } | null = null;
  let last: { transactionId: string; sequence: number; hash: string } | null = null;
  for (;;) {
    const rows: LegacyEntry[] = await db.query(
      `SELECT d.id::text AS id, d.transaction_id, d.status, d.source, d.decided_by, d.reasons, d.decided_at, t.amount::text AS amount, t.currency
         FROM transaction_decisions d JOIN transactions t ON t.id = d.transaction_id
        WHERE $1::text IS NULL OR ((d.transaction_id, d.id) > ($1::text, $2::bigint) AND t.id >= $1::text)
        ORDER BY d.transaction_id, d.id LIMIT 5000`,
      [after?.transactionId ?? null, after?.id ?? null],
    );
    if (rows.length === 0) break;
    const updates = rows.map((row) => {
      const previous = last?.transactionId === row.transaction_id ? last : null;
      const sequence = (previous?.sequence ?? 0) + 1;
      const prevHash = previous?.hash ?? genesisHash(row.transaction_id, row.amount, row.currency);
      const final = row.status !== 'PENDING_EXTERNAL_APPROVAL';
      const hash = entryHash(prevHash, { transactionId: row.transaction_id, sequence, status: row.status, final, source: row.source, decidedBy: row.decided_by, reasons: row.reasons, decidedAt: row.decided_at });
      last = { transactionId: row.transaction_id, sequence, hash };
      // Stored at millisecond precision, as hashed.
      return { id: row.id, sequence, final, prev_hash: prevHash, hash, decided_at: row.decided_at.toISOString() };
    });
    await db.query(
      `UPDATE transaction_decisions d SET sequence = u.sequence, final = u.final, prev_hash = u.prev_hash, hash = u.hash, decided_at = u.decided_at
         FROM jsonb_to_recordset($1::jsonb) AS u(id bigint, sequence int, final boolean, prev_hash text, hash text, decided_at timestamptz)
        WHERE d.id = u.id`,
      [JSON.stringify(updates)],
    );
    const end = rows[rows.length - 1]!;
    after = { transactionId: end.transaction_id, id: end.id };
  }
  await db.query(`ALTER TABLE transaction_decisions ENABLE TRIGGER transaction_decisions_append_only`);
}
