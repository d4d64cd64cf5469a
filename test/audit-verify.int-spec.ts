// `npm run audit:verify` against real PostgreSQL: intact histories pass, and each way of rewriting history is named.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Pool } from 'pg';
import { DataSource } from 'typeorm';
import { AuditReport, verifyAuditTrail } from '../src/adapters/persistence/audit-verifier';
import { entryHash, genesisHash } from '../src/adapters/persistence/decision-chain';
import { PostgresChainAudit } from '../src/adapters/persistence/postgres-chain-audit';
import { MIGRATIONS } from '../src/adapters/persistence/migrations';
import { noticeBody } from '../src/domain/decision';
import { ANALYST_TOKENS, decide } from './support/analyst-api';
import { createTestDatabase, TestDatabase } from './support/database';
import { runAuditCli } from './support/audit-cli';
import { decidedEvent, sendCallback } from './support/signed-callback';
import { postValidate, startTestApp, TestApp } from './support/test-app';

async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url });
  await client.connect();
  return client;
}

/** Runs `work` with the append-only trigger off, as someone rewriting history would. */
async function behindTheTrigger(db: TestDatabase, work: () => Promise<unknown>): Promise<void> {
  await db.query('ALTER TABLE transaction_decisions DISABLE TRIGGER transaction_decisions_append_only');
  try {
    await work();
  } finally {
    await db.query('ALTER TABLE transaction_decisions ENABLE TRIGGER transaction_decisions_append_only');
  }
}

const MONITORING_WEBHOOK_SECRET = `whsec_${randomBytes(32).toString('base64')}`;

interface EntryRow {
  id: string;
  sequence: number;
  reasons: string[];
}

describe('audit:verify', () => {
  describe('on decisions made through the service', () => {
    let t: TestApp;
    let client: Client;
    /** Transaction ids by how they were decided. */
    const tx = { approved: '', analystApproved: '', fourEyes: '', rejected: '', held: '', providerRejected: '' };
    const verify = () => verifyAuditTrail(client, { batchSize: 2 });
    const entriesOf = (transactionId: string) =>
      t.db.query<EntryRow>('SELECT id::text AS id, sequence, reasons FROM transaction_decisions WHERE transaction_id = $1 ORDER BY sequence', [transactionId]);

    beforeAll(async () => {
      t = await startTestApp({ env: { ANALYST_TOKENS, FOUR_EYES_THRESHOLD: '50000', MONITORING_WEBHOOK_SECRET } });
      client = await connect(t.db.url);
      const validate = async (amount: string, expected: string) => {
        const transactionId = `audit-${randomUUID()}`;
        const call = await postValidate(t.server, `{"transactionId":"${transactionId}","amount":${amount},"currency":"GBP"}`);
        expect(call.body.status).toBe(expected);
        return transactionId;
      };
      tx.approved = await validate('125.50', 'APPROVED');
      tx.analystApproved = await validate('12000.10', 'PENDING_EXTERNAL_APPROVAL');
      tx.fourEyes = await validate('60000', 'PENDING_EXTERNAL_APPROVAL');
      tx.rejected = await validate('15000', 'PENDING_EXTERNAL_APPROVAL');
      tx.held = await validate('20000', 'PENDING_EXTERNAL_APPROVAL');
      tx.providerRejected = await validate('30000', 'PENDING_EXTERNAL_APPROVAL');
      expect((await decide(t.server, tx.analystApproved, 'alice', 'APPROVED', 'invoice matches')).status).toBe(200);
      expect((await decide(t.server, tx.fourEyes, 'alice', 'APPROVED', 'first look fine')).status).toBe(202);
      expect((await decide(t.server, tx.fourEyes, 'bob', 'APPROVED', 'second look fine')).status).toBe(200);
      expect((await decide(t.server, tx.rejected, 'carol', 'REJECTED', 'sanctions hit')).status).toBe(200);
      const callback = await sendCallback(t.baseUrl, decidedEvent(tx.providerRejected, 'REJECTED', ['Case 4711: mule account']), { secret: MONITORING_WEBHOOK_SECRET });
      expect(callback.body.outcome).toBe('APPLIED');
    });
    afterAll(async () => {
      await client?.end();
      await t?.close();
    });

    it('finds every chain intact, across pages', async () => {
      const report = await verify();

      expect(report).toMatchObject({ intact: true, entriesChecked: 11, transactionsChecked: 6, notificationsChecked: 4, firstBroken: null, problemCount: 0 });
      expect(report.triggers).toEqual([
        { table: 'transaction_decisions', trigger: 'transaction_decisions_append_only', state: 'ENABLED' },
        { table: 'transaction_decisions', trigger: 'transaction_decisions_no_truncate', state: 'ENABLED' },
        { table: 'toqio_notification_attempts', trigger: 'toqio_notification_attempts_append_only', state: 'ENABLED' },
        { table: 'toqio_notification_attempts', trigger: 'toqio_notification_attempts_no_truncate', state: 'ENABLED' },
        { table: 'case_entries', trigger: 'case_entries_append_only', state: 'ENABLED' },
        { table: 'case_entries', trigger: 'case_entries_no_truncate', state: 'ENABLED' },
        { table: 'audit_checkpoints', trigger: 'audit_checkpoints_append_only', state: 'ENABLED' },
        { table: 'audit_checkpoints', trigger: 'audit_checkpoints_no_truncate', state: 'ENABLED' },
      ]);
    });

    it('names an entry edited behind the disabled trigger, and nothing else', async () => {
      const [, edited] = await entriesOf(tx.analystApproved);
      await behindTheTrigger(t.db, () => t.db.query(`UPDATE transaction_decisions SET reasons = '["nothing to see"]' WHERE id = $1`, [edited!.id]));
      try {
        const report = await verify();

        expect(report).toMatchObject({
          intact: false,
          problemCount: 1,
          firstBroken: { transactionId: tx.analystApproved, entryId: edited!.id, sequence: 2, problems: [{ kind: 'HASH_MISMATCH' }] },
        });
      } finally {
        await behindTheTrigger(t.db, () => t.db.query('UPDATE transaction_decisions SET reasons = $2 WHERE id = $1', [edited!.id, JSON.stringify(edited!.reasons)]));
      }
      await expect(verify()).resolves.toMatchObject({ intact: true });
    });

    it('names the entry after a deleted one', async () => {
      const [, middle, last] = await entriesOf(tx.fourEyes);
      const [saved] = await t.db.query<Record<string, unknown>>('SELECT * FROM transaction_decisions WHERE id = $1', [middle!.id]);
      await behindTheTrigger(t.db, () => t.db.query('DELETE FROM transaction_decisions WHERE id = $1', [middle!.id]));
      try {
        const report = await verify();

        expect(report.intact).toBe(false);
        expect(report.firstBroken).toEqual({
          transactionId: tx.fourEyes,
          entryId: last!.id,
          sequence: 3,
          problems: [
            { kind: 'SEQUENCE_GAP', message: 'sequence 3 follows 1: entry 2 is missing' },
            { kind: 'PREV_HASH_MISMATCH', message: expect.stringContaining('not the hash of the entry before it') },
          ],
        });
        expect(report.problemCount).toBe(2);
      } finally {
        const columns = Object.keys(saved!);
        await t.db.query(
          `INSERT INTO transaction_decisions (${columns.join(', ')}) OVERRIDING SYSTEM VALUE VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
          columns.map((column) => (column === 'reasons' ? JSON.stringify(saved![column]) : saved![column])),
        );
      }
      await expect(verify()).resolves.toMatchObject({ intact: true });
    });

    it('names a transaction whose state was changed behind the chain', async () => {
      await t.db.query(`UPDATE transactions SET state = 'APPROVED' WHERE id = $1`, [tx.rejected]);
      try {
        const report = await verify();

        expect(report).toMatchObject({
          intact: false,
          problemCount: 1,
          firstBroken: { transactionId: tx.rejected, entryId: null, problems: [{ kind: 'STATE_MISMATCH', message: expect.stringMatching(/^state is APPROVED but its last final entry \(id \d+, sequence 2\) says REJECTED$/) }] },
        });
      } finally {
        await t.db.query(`UPDATE transactions SET state = 'REJECTED' WHERE id = $1`, [tx.rejected]);
      }
    });

    it('notices an amount changed after the fact, at the first entry', async () => {
      await t.db.query(`UPDATE transactions SET amount = 1.50 WHERE id = $1`, [tx.approved]);
      try {
        const [first] = await entriesOf(tx.approved);
        await expect(verify()).resolves.toMatchObject({
          intact: false,
          firstBroken: { transactionId: tx.approved, entryId: first!.id, sequence: 1, problems: [{ kind: 'PREV_HASH_MISMATCH' }] },
        });
      } finally {
        await t.db.query(`UPDATE transactions SET amount = 125.50 WHERE id = $1`, [tx.approved]);
      }
    });

    describe('a notification to Toqio whose body was changed in the database', () => {
      const notificationOf = async (transactionId: string) => {
        const [row] = await t.db.query<{ id: string; body: string }>('SELECT id::text AS id, body FROM toqio_notifications WHERE transaction_id = $1', [transactionId]);
        return row!;
      };
      /** Rewrites a notification's body as someone with write access to the table could, and puts it back after. */
      async function tampered(transactionId: string, changes: Record<string, string>, check: (report: AuditReport, notificationId: string) => void): Promise<void> {
        const { id, body } = await notificationOf(transactionId);
        await t.db.query('UPDATE toqio_notifications SET body = $2 WHERE id = $1', [id, JSON.stringify({ ...JSON.parse(body), ...changes })]);
        try {
          check(await verify(), id);
        } finally {
          await t.db.query('UPDATE toqio_notifications SET body = $2 WHERE id = $1', [id, body]);
        }
      }

      it('is named when a rejection became an approval, the provider\'s and the analyst\'s', async () => {
        for (const transactionId of [tx.providerRejected, tx.rejected]) {
          await tampered(transactionId, { status: 'APPROVED' }, (report, notificationId) => {
            expect(report).toMatchObject({
              intact: false,
              problemCount: 1,
              problemsByKind: { NOTIFICATION_MISMATCH: 1 },
              firstBroken: {
                transactionId,
                entryId: null,
                problems: [{ kind: 'NOTIFICATION_MISMATCH', message: expect.stringMatching(new RegExp(`^notification ${notificationId} to Toqio does not send what its decision, entry \\d+ \\(sequence 2\\), says: status "APPROVED" where the entry gives "REJECTED"$`)) }],
              },
            });
          });
        }
      });

      it('is named when decidedBy names someone else, or only the first of the four-eyes analysts', async () => {
        expect(JSON.parse((await notificationOf(tx.fourEyes)).body)).toMatchObject({ status: 'APPROVED', decidedBy: 'alice, bob' });
        for (const decidedBy of ['mallory', 'alice']) {
          await tampered(tx.fourEyes, { decidedBy }, (report) => {
            expect(report).toMatchObject({ intact: false, problemCount: 1, firstBroken: { transactionId: tx.fourEyes, problems: [{ kind: 'NOTIFICATION_MISMATCH' }] } });
            expect(report.firstBroken!.problems[0]!.message).toContain(`decidedBy "${decidedBy}" where the entry gives "alice, bob"`);
          });
        }
        await tampered(tx.analystApproved, { decidedBy: 'bob' }, (report) => {
          expect(report.firstBroken!.problems[0]!.message).toMatch(/, says: decidedBy "bob" where the entry gives "alice"$/);
        });
      });

      it('is named as missing when deleted, for an analyst\'s decision and a provider\'s, and never for a decision at validate', async () => {
        for (const transactionId of [tx.rejected, tx.providerRejected]) {
          const [deleted] = await t.db.query<Record<string, unknown>>('DELETE FROM toqio_notifications WHERE transaction_id = $1 RETURNING *', [transactionId]);
          try {
            const [, final] = await entriesOf(transactionId);
            const report = await verify();
            expect(report).toMatchObject({ intact: false, problemCount: 1, problemsByKind: { NOTIFICATION_MISSING: 1 } });
            expect(report.firstBroken).toMatchObject({
              transactionId,
              entryId: final!.id,
              sequence: 2,
              problems: [{ kind: 'NOTIFICATION_MISSING', message: expect.stringMatching(new RegExp(`^entry ${final!.id} \\(sequence 2\\), a final REJECTED by (analyst|provider) \\S+, has no notification to Toqio`)) }],
            });
          } finally {
            const columns = Object.keys(deleted!);
            await t.db.query(
              `INSERT INTO toqio_notifications (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
              columns.map((column) => deleted![column]),
            );
          }
        }
        await expect(verify()).resolves.toMatchObject({ intact: true });
      });

      it('is named when it was made to carry another decision than its own', async () => {
        const { id } = await notificationOf(tx.rejected);
        const [{ decision_id: own }] = await t.db.query<{ decision_id: string }>('SELECT decision_id::text FROM toqio_notifications WHERE id = $1', [id]);
        const [held] = await entriesOf(tx.rejected);
        const [, elsewhere] = await entriesOf(tx.analystApproved);
        for (const [decisionId, because] of [
          [held!.id, `carries entry ${held!.id} (sequence 1), which is no final decision of an analyst or a provider`],
          [elsewhere!.id, `carries decision entry ${elsewhere!.id}, which is not an entry of this transaction's chain`],
        ] as const) {
          await t.db.query('UPDATE toqio_notifications SET decision_id = $2 WHERE id = $1', [id, decisionId]);
          try {
            // The rejection it was moved from is left with no notification: named too, and first, as it names an entry.
            const report = await verify();
            expect(report).toMatchObject({ intact: false, problemCount: 2, problemsByKind: { NOTIFICATION_WITHOUT_DECISION: 1, NOTIFICATION_MISSING: 1 } });
            expect(report.firstBroken).toMatchObject({ transactionId: tx.rejected, sequence: 2, problems: [{ kind: 'NOTIFICATION_MISSING' }] });
            const pool = new Pool({ connectionString: t.db.url, max: 1 });
            const pack = await new PostgresChainAudit(pool).ofTransaction(tx.rejected).finally(() => pool.end());
            expect(pack!.problems).toContainEqual(expect.objectContaining({ kind: 'NOTIFICATION_WITHOUT_DECISION', message: `notification ${id} to Toqio ${because}` }));
          } finally {
            await t.db.query('UPDATE toqio_notifications SET decision_id = $2 WHERE id = $1', [id, own]);
          }
        }
        await expect(verify()).resolves.toMatchObject({ intact: true });
      });

      it('is named by the command, with the notification and its transaction', async () => {
        const { id, body } = await notificationOf(tx.providerRejected);
        await t.db.query('UPDATE toqio_notifications SET body = $2 WHERE id = $1', [id, body.replace('"REJECTED"', '"APPROVED"')]);
        try {
          const human = await runAuditCli([], { DATABASE_URL: t.db.url });
          expect(human.code).toBe(1);
          expect(human.stdout).toContain(`First broken transaction: "${tx.providerRejected}"`);
          expect(human.stdout).toContain(`  - NOTIFICATION_MISMATCH: notification ${id} to Toqio does not send what its decision`);
        } finally {
          await t.db.query('UPDATE toqio_notifications SET body = $2 WHERE id = $1', [id, body]);
        }
        await expect(verify()).resolves.toMatchObject({ intact: true });
      });
    });

    it('reports a disabled append-only trigger even when every chain verifies', async () => {
      await t.db.query('ALTER TABLE toqio_notification_attempts DISABLE TRIGGER toqio_notification_attempts_append_only');
      try {
        const report = await verify();

        expect(report).toMatchObject({ intact: false, firstBroken: null, problemCount: 1, problemsByKind: { TRIGGER_DISABLED: 1 } });
        expect(report.triggers).toContainEqual({ table: 'toqio_notification_attempts', trigger: 'toqio_notification_attempts_append_only', state: 'DISABLED' });
      } finally {
        await t.db.query('ALTER TABLE toqio_notification_attempts ENABLE TRIGGER toqio_notification_attempts_append_only');
      }
    });

    it('reports a dropped TRUNCATE guard, since row triggers do not see TRUNCATE', async () => {
      await t.db.query('DROP TRIGGER toqio_notification_attempts_no_truncate ON toqio_notification_attempts');
      try {
        await expect(verify()).resolves.toMatchObject({ intact: false, problemsByKind: { TRIGGER_MISSING: 1 } });
      } finally {
        await t.db.query(
          'CREATE TRIGGER toqio_notification_attempts_no_truncate BEFORE TRUNCATE ON toqio_notification_attempts FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_rewrite()',
        );
      }
      await expect(verify()).resolves.toMatchObject({ intact: true });
    });

    it('reports an append-only trigger dropped, or recreated so that it lets rows through', async () => {
      await t.db.query('DROP TRIGGER toqio_notification_attempts_append_only ON toqio_notification_attempts');
      await t.db.query('DROP TRIGGER transaction_decisions_append_only ON transaction_decisions');
      await t.db.query(`
        CREATE TRIGGER transaction_decisions_append_only BEFORE UPDATE OR DELETE ON transaction_decisions
        FOR EACH ROW WHEN (false) EXECUTE FUNCTION refuse_history_rewrite()`);
      try {
        const report = await verify();

        expect(report).toMatchObject({ intact: false, problemsByKind: { TRIGGER_MISSING: 1, TRIGGER_ALTERED: 1 } });
        expect(report.triggers.map((trigger) => trigger.state)).toEqual(['ALTERED', 'ENABLED', 'MISSING', 'ENABLED', 'ENABLED', 'ENABLED', 'ENABLED', 'ENABLED']);
      } finally {
        await t.db.query('DROP TRIGGER transaction_decisions_append_only ON transaction_decisions');
        for (const table of ['transaction_decisions', 'toqio_notification_attempts']) {
          await t.db.query(`
            CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table}
            FOR EACH ROW EXECUTE FUNCTION refuse_history_rewrite()`);
        }
      }
      await expect(verify()).resolves.toMatchObject({ intact: true });
    });

    it('runs as a command: 0 and a report when intact, 1 naming the entry when broken', async () => {
      const intact = await runAuditCli([], { DATABASE_URL: t.db.url });
      expect(intact).toMatchObject({ code: 0, stderr: '' });
      expect(intact.stdout).toMatch(/checked 11 entries of 6 transactions in [\d.]+ s/);
      expect(intact.stdout).toContain('checked 4 notifications to Toqio against their decisions');
      expect(intact.stdout).toContain('INTACT');

      const [, edited] = await entriesOf(tx.rejected);
      await behindTheTrigger(t.db, () => t.db.query(`UPDATE transaction_decisions SET decided_by = 'mallory' WHERE id = $1`, [edited!.id]));
      try {
        const human = await runAuditCli([], { DATABASE_URL: t.db.url });
        expect(human.code).toBe(1);
        expect(human.stdout).toContain(`First broken entry: id ${edited!.id} (transaction "${tx.rejected}", sequence 2)`);
        expect(human.stdout).toContain('HASH_MISMATCH');

        const machine = await runAuditCli(['--json'], { DATABASE_URL: t.db.url });
        expect(machine.code).toBe(1);
        expect(JSON.parse(machine.stdout)).toMatchObject({ intact: false, entriesChecked: 11, problemCount: 1, firstBroken: { entryId: edited!.id, transactionId: tx.rejected, sequence: 2 } });
      } finally {
        await behindTheTrigger(t.db, () => t.db.query(`UPDATE transaction_decisions SET decided_by = 'carol' WHERE id = $1`, [edited!.id]));
      }
    });

    it('exits 2 and says why when it cannot run, never printing the password', async () => {
      const nowhere = mkdtempSync(join(tmpdir(), 'audit-verify-'));
      try {
        const unset = await runAuditCli([], { EMBEDDED_DATABASE_DIR: join(nowhere, 'pg') });
        expect(unset.code).toBe(2);
        expect(unset.stderr).toContain('DATABASE_URL is not set');

        const refused = await runAuditCli(['--json'], { DATABASE_URL: 'postgres://auditor:s3cret-pw@127.0.0.1:1/audit' });
        expect(refused.code).toBe(2);
        expect(JSON.parse(refused.stdout)).toMatchObject({ intact: null, error: expect.stringContaining('cannot connect to 127.0.0.1:1/audit') });
        expect(refused.stdout + refused.stderr).not.toContain('s3cret-pw');

        const badArgument = await runAuditCli(['--batch-size', 'lots'], { DATABASE_URL: t.db.url });
        expect(badArgument.code).toBe(2);
        expect(badArgument.stderr).toContain('--batch-size');
      } finally {
        rmSync(nowhere, { recursive: true, force: true });
      }
    });
  });

  describe('on a migrated database', () => {
    let db: TestDatabase;
    let client: Client;
    const dataSources: DataSource[] = [];
    const migrate = async (migrations: typeof MIGRATIONS) => {
      const dataSource = new DataSource({ type: 'postgres', url: db.url, migrations, migrationsTableName: 'schema_migrations', logging: false });
      dataSources.push(dataSource);
      await dataSource.initialize();
      await dataSource.runMigrations({ transaction: 'each' });
    };

    beforeEach(async () => {
      db = await createTestDatabase();
      client = await connect(db.url);
    });
    afterEach(async () => {
      for (const dataSource of dataSources.splice(0)) if (dataSource.isInitialized) await dataSource.destroy();
      await client.end();
      await db.drop();
    });

    it('finds chains backfilled for decisions written before the chain existed intact', async () => {
      await migrate(MIGRATIONS.slice(0, 1));
      // The first schema's validate: one entry per screened transaction, microsecond decided_at.
      await db.query(`
        INSERT INTO transactions (id, state, amount, currency, payload) VALUES
          ('legacy-a', 'APPROVED', 125.50, 'GBP', '{}'), ('legacy-b', 'PENDING_EXTERNAL_APPROVAL', 12000, 'EUR', '{}'),
          ('legacy-c', 'REJECTED', 0.10, 'GBP', '{}'), ('legacy-d', 'SCREENING', 7, 'GBP', '{}')`);
      await db.query(`
        INSERT INTO transaction_decisions (transaction_id, status, source, decided_by, reasons) VALUES
          ('legacy-c', 'REJECTED', 'PROVIDER', 'rules', '["Beneficiary country is blocked"]'),
          ('legacy-a', 'APPROVED', 'FALLBACK', 'rules', '[]'),
          ('legacy-b', 'PENDING_EXTERNAL_APPROVAL', 'PROVIDER', 'rules', '["Large amount: review", "Ünïcode ✓"]')`);

      await migrate(MIGRATIONS);
      const report = await verifyAuditTrail(client, { batchSize: 1 });

      expect(report).toMatchObject({ intact: true, entriesChecked: 3, transactionsChecked: 4, problemCount: 0 });
    });

    it('names the broken entry with the lowest id, whichever transaction is read first', async () => {
      await migrate(MIGRATIONS);
      // Transactions inserted in reverse id order: later pages hold the older entries.
      const ids = Array.from({ length: 300 }, (_, i) => `bulk-${String(i).padStart(4, '0')}`).reverse();
      await insertChains(db, ids);
      const entries = await db.query<{ id: string; transaction_id: string }>('SELECT d.id::text AS id, d.transaction_id FROM transaction_decisions d ORDER BY d.id');
      const older = entries[10]!;
      const newer = entries[entries.length - 10]!;
      expect(newer.transaction_id < older.transaction_id).toBe(true);

      await behindTheTrigger(db, () => db.query(`UPDATE transaction_decisions SET decided_at = decided_at + interval '1 second' WHERE id IN ($1, $2)`, [older.id, newer.id]));
      const report: AuditReport = await verifyAuditTrail(client, { batchSize: 16 });

      expect(report).toMatchObject({ entriesChecked: entries.length, transactionsChecked: 300, problemCount: 2, problemsByKind: { HASH_MISMATCH: 2 } });
      expect(report.firstBroken).toMatchObject({ entryId: older.id, transactionId: older.transaction_id });
    });

    it('reports a transaction decided without any history', async () => {
      await migrate(MIGRATIONS);
      await db.query(`INSERT INTO transactions (id, state, amount, currency, payload) VALUES ('orphan', 'APPROVED', 10, 'GBP', '{}')`);

      await expect(verifyAuditTrail(client)).resolves.toMatchObject({
        intact: false,
        firstBroken: { transactionId: 'orphan', entryId: null, problems: [{ kind: 'MISSING_HISTORY' }] },
      });
    });
  });
});

/** Chains as the stores would write them, computed here and inserted in two statements. */
async function insertChains(db: TestDatabase, transactionIds: readonly string[]): Promise<void> {
  const transactions = transactionIds.map((id, i) => ({ id, state: i % 2 === 0 ? 'APPROVED' : 'REJECTED', amount: `${100 + i}.5`, currency: 'GBP' }));
  const entries = transactions.flatMap((transaction, i) => {
    let prevHash = genesisHash(transaction.id, transaction.amount, transaction.currency);
    const history = [
      { status: 'PENDING_EXTERNAL_APPROVAL' as const, final: false, source: 'PROVIDER' as const, decidedBy: 'rules' },
      { status: transaction.state as 'APPROVED' | 'REJECTED', final: true, source: 'ANALYST' as const, decidedBy: 'alice' },
    ];
    return history.map((content, index) => {
      const entry = { ...content, transactionId: transaction.id, sequence: index + 1, reasons: [`because ${i}`], decidedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i, index)) };
      const hash = entryHash(prevHash, entry);
      const row = { ...entry, decidedAt: entry.decidedAt.toISOString(), prevHash, hash };
      prevHash = hash;
      return row;
    });
  });
  await db.query(
    `INSERT INTO transactions (id, state, amount, currency, payload)
     SELECT id, state, amount, currency, '{}' FROM jsonb_to_recordset($1::jsonb) AS x(id text, state text, amount numeric, currency text)`,
    [JSON.stringify(transactions)],
  );
  await db.query(
    `INSERT INTO transaction_decisions (transaction_id, sequence, status, final, source, decided_by, reasons, decided_at, prev_hash, hash)
     SELECT "transactionId", sequence, status, final, source, "decidedBy", reasons, "decidedAt", "prevHash", hash
       FROM jsonb_to_recordset($1::jsonb) AS x("transactionId" text, sequence int, status text, final boolean, source text, "decidedBy" text,
                                                reasons jsonb, "decidedAt" timestamptz, "prevHash" text, hash text)`,
    [JSON.stringify(entries)],
  );
  // Each final decision with its notification to Toqio, as the review store writes them together.
  const finals = await db.query<{ id: string; transaction_id: string }>(`SELECT id::text AS id, transaction_id FROM transaction_decisions WHERE final`);
  const entryOf = new Map(entries.map((entry) => [`${entry.transactionId}:${entry.sequence}`, entry]));
  const notifications = await Promise.all(
    finals.map(async ({ id, transaction_id }) => {
      const entry = entryOf.get(`${transaction_id}:2`)!;
      const body = noticeBody({ transactionId: transaction_id, status: entry.status as 'APPROVED' | 'REJECTED', reason: entry.reasons.join('; '), decidedBy: entry.decidedBy, decidedAt: entry.decidedAt });
      return { id: randomUUID(), transactionId: transaction_id, decisionId: id, body };
    }),
  );
  await db.query(
    `INSERT INTO toqio_notifications (id, transaction_id, decision_id, body, state, next_attempt_at, queued_at)
     SELECT id, "transactionId", "decisionId", body, 'QUEUED', clock_timestamp(), clock_timestamp()
       FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, "transactionId" text, "decisionId" bigint, body text)`,
    [JSON.stringify(notifications)],
  );
}
