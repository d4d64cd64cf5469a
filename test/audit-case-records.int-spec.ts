// `npm run audit:verify` on chains that hold notes and attachments besides decisions: an edit of either is named.
import { randomUUID } from 'node:crypto';
import { analystCall, ANALYST_TOKENS, ANALYSTS, decide } from './support/analyst-api';
import { runAuditCli } from './support/audit-cli';
import { postValidate, startTestApp, TestApp } from './support/test-app';

describe('audit:verify with notes and attachments in the chain', () => {
  let t: TestApp;
  let transactionId: string;

  /** Runs `work` with the case entries' append-only trigger off, as someone rewriting history would. */
  async function behindTheTrigger(work: () => Promise<unknown>): Promise<void> {
    await t.db.query('ALTER TABLE case_entries DISABLE TRIGGER case_entries_append_only');
    try {
      await work();
    } finally {
      await t.db.query('ALTER TABLE case_entries ENABLE TRIGGER case_entries_append_only');
    }
  }

  beforeAll(async () => {
    t = await startTestApp({ env: { ANALYST_TOKENS } });
    transactionId = `audit-notes-${randomUUID()}`;
    expect((await postValidate(t.server, { transactionId, amount: 15_000, currency: 'EUR' })).body.status).toBe('PENDING_EXTERNAL_APPROVAL');
    const path = `/transactions/${transactionId}/notes`;
    expect((await analystCall(t.server, 'POST', path, { token: ANALYSTS.alice, body: { text: 'Asked for the invoice' } })).status).toBe(201);
    expect((await decide(t.server, transactionId, 'bob', 'REJECTED', 'No invoice came')).status).toBe(200);
    expect((await analystCall(t.server, 'POST', path, { token: ANALYSTS.carol, body: { text: 'Customer told by phone' } })).status).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('finds the chain of decisions and notes intact', async () => {
    const run = await runAuditCli(['--json'], { DATABASE_URL: t.db.url });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ intact: true, entriesChecked: 4, transactionsChecked: 1 });
  });

  it('names a note edited behind the disabled trigger: exit 1, HASH_MISMATCH on that entry', async () => {
    const [edited] = await t.db.query<{ id: string; text: string }>(`SELECT id::text AS id, text FROM case_entries WHERE transaction_id = $1 AND sequence = 2`, [transactionId]);
    await behindTheTrigger(() => t.db.query(`UPDATE case_entries SET text = 'Invoice received and checked' WHERE id = $1`, [edited!.id]));
    try {
      const run = await runAuditCli([], { DATABASE_URL: t.db.url });

      expect(run.code).toBe(1);
      expect(run.stdout).toContain(`First broken entry: id ${edited!.id} (transaction "${transactionId}", sequence 2)`);
      expect(run.stdout).toContain('HASH_MISMATCH');
    } finally {
      await behindTheTrigger(() => t.db.query(`UPDATE case_entries SET text = $2 WHERE id = $1`, [edited!.id, edited!.text]));
    }
    expect((await runAuditCli([], { DATABASE_URL: t.db.url })).code).toBe(0);
  });

  it('names a deleted note by the entry after it', async () => {
    const [deleted] = await t.db.query<Record<string, unknown>>(`SELECT * FROM case_entries WHERE transaction_id = $1 AND sequence = 2`, [transactionId]);
    await behindTheTrigger(() => t.db.query(`DELETE FROM case_entries WHERE id = $1`, [deleted!['id']]));
    try {
      const run = await runAuditCli(['--json'], { DATABASE_URL: t.db.url });

      expect(run.code).toBe(1);
      expect(JSON.parse(run.stdout)).toMatchObject({ intact: false, firstBroken: { sequence: 3, problems: [{ kind: 'SEQUENCE_GAP' }, { kind: 'PREV_HASH_MISMATCH' }] } });
    } finally {
      const columns = Object.keys(deleted!);
      await t.db.query(`INSERT INTO case_entries (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`, columns.map((c) => deleted![c]));
    }
  });

  it('reports the case entries trigger when it is disabled', async () => {
    await t.db.query('ALTER TABLE case_entries DISABLE TRIGGER case_entries_append_only');
    try {
      const run = await runAuditCli(['--json'], { DATABASE_URL: t.db.url });
      expect(run.code).toBe(1);
      expect(JSON.parse(run.stdout).triggers).toContainEqual({ table: 'case_entries', trigger: 'case_entries_append_only', state: 'DISABLED' });
    } finally {
      await t.db.query('ALTER TABLE case_entries ENABLE TRIGGER case_entries_append_only');
    }
  });
});
