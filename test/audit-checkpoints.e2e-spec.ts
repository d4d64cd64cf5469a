// Signed checkpoints of the chains: made by one replica at a time, exported, and catching a chain recomputed behind the triggers.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CheckpointSigningWorker } from '../src/adapters/background/checkpoint-signing.worker';
import { AuditCheckpoints } from '../src/application/audit-checkpoints.use-case';
import { caseRecordHash, entryHash } from '../src/adapters/persistence/decision-chain';
import { analystCall, ANALYST_TOKENS, ANALYSTS, decide } from './support/analyst-api';
import { runAuditCli } from './support/audit-cli';
import { httpCall } from './support/http';
import { postValidate, startTestApp, TestApp } from './support/test-app';
import { temporaryDirectory } from './support/temp-dir';

function ed25519Pair(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

describe('signed checkpoints of the audit chains', () => {
  const keys = ed25519Pair();
  const dir = temporaryDirectory('checkpoints');
  const publicKeyFile = join(dir, 'audit.pub.pem');
  const otherKeyFile = join(dir, 'other.pub.pem');
  let t: TestApp;
  let replica: TestApp;
  const env = { ANALYST_TOKENS, AUDIT_SIGNING_KEY: keys.privatePem, AUDIT_CHECKPOINT_INTERVAL_SECONDS: '86400' };
  const held: string[] = [];

  async function hold(): Promise<string> {
    const transactionId = `signed-${randomUUID()}`;
    expect((await postValidate(t.server, { transactionId, amount: 12_000, currency: 'GBP' })).body.status).toBe('PENDING_EXTERNAL_APPROVAL');
    held.push(transactionId);
    return transactionId;
  }
  const note = (transactionId: string, text: string) => analystCall(t.server, 'POST', `/transactions/${transactionId}/notes`, { token: ANALYSTS.alice, body: { text } });
  const checkpoints = (after = 0, limit = 100) => analystCall(t.server, 'GET', `/audit/checkpoints?after=${after}&limit=${limit}`, { token: ANALYSTS.bob });
  const verify = (...args: string[]) => runAuditCli(['--json', ...args], { DATABASE_URL: t.db.url });

  beforeAll(async () => {
    writeFileSync(publicKeyFile, keys.publicPem);
    writeFileSync(otherKeyFile, ed25519Pair().publicPem);
    t = await startTestApp({ env });
    replica = await startTestApp({ env, db: t.db });
    // The tests sign explicitly. Each replica's worker makes a pass as it starts; one that ran late,
    // after the first hold, signed a checkpoint of its own (CI saw [1, 2, 3]). Stopping the
    // workers waits for those first passes to finish.
    await Promise.all([t, replica].map((app) => app.app.get(CheckpointSigningWorker).beforeApplicationShutdown()));
  });
  afterAll(async () => {
    await replica?.close();
    await t?.close();
  });

  it('signs the heads that moved, once, whichever replicas try at the same time', async () => {
    const first = await hold();
    const second = await hold();
    await note(first, 'Asked for the invoice');

    await Promise.all([t.app.get(AuditCheckpoints).signPending(), replica.app.get(AuditCheckpoints).signPending()]);
    await note(second, 'Customer called back');
    await Promise.all([t.app.get(AuditCheckpoints).signPending(), replica.app.get(AuditCheckpoints).signPending()]);

    const { status, body } = await checkpoints();
    expect(status).toBe(200);
    expect(body.items.map((c: { number: number }) => c.number)).toEqual([1, 2]);
    expect(body.items[0].heads).toEqual(
      [
        { transactionId: first, sequence: 2, hash: expect.stringMatching(/^[0-9a-f]{64}$/) },
        { transactionId: second, sequence: 1, hash: expect.stringMatching(/^[0-9a-f]{64}$/) },
      ].sort((a, b) => (a.transactionId < b.transactionId ? -1 : 1)),
    );
    expect(body.items[1]).toMatchObject({ previousDigest: body.items[0].digest, heads: [{ transactionId: second, sequence: 2 }] });
    expect(body.next).toBeNull();
    const page = await checkpoints(0, 1);
    expect(page.body).toMatchObject({ items: [{ number: 1 }], next: 1 });
  });

  it('verifies every checkpoint and head with the public key', async () => {
    const run = await verify('--public-key', publicKeyFile);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(JSON.parse(run.stdout)).toMatchObject({ intact: true, checkpoints: { checkpointsChecked: 2, headsChecked: 3 } });
  });

  it('says which key the checkpoints were signed with when another public key is given', async () => {
    const run = await verify('--public-key', otherKeyFile);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ intact: false, problemsByKind: { CHECKPOINT_SIGNATURE: 2 } });
  });

  it('catches a chain recomputed behind disabled triggers, which the chain check alone cannot', async () => {
    const transactionId = held[0]!;
    await decide(t.server, transactionId, 'carol', 'APPROVED', 'Invoice checked');
    await t.app.get(AuditCheckpoints).signPending();
    await recomputeWithEditedNote(t, transactionId, 'Invoice received and checked');

    const unsigned = await verify();
    expect(JSON.parse(unsigned.stdout)).toMatchObject({ intact: true });

    const signed = await verify('--public-key', publicKeyFile);
    expect(signed.code).toBe(1);
    const report = JSON.parse(signed.stdout);
    expect(report.problemsByKind).toEqual({ CHECKPOINT_HEAD_MISMATCH: 2 });
    expect(report.firstBroken).toMatchObject({ transactionId, problems: [{ kind: 'CHECKPOINT_HEAD_MISMATCH' }] });

    const human = await runAuditCli(['--public-key', publicKeyFile], { DATABASE_URL: t.db.url });
    expect(human.stdout).toContain('CHECKPOINT_HEAD_MISMATCH');
    expect(human.stdout).toContain('signed checkpoints: 3 checked');
  });

  it('keeps a rewritten chain broken in its evidence pack once the signer has signed its next entry', async () => {
    const transactionId = await hold();
    await note(transactionId, 'Asked for the invoice');
    await t.app.get(AuditCheckpoints).signPending();
    await recomputeWithEditedNote(t, transactionId, 'Invoice received and checked');
    // The next entry moves the head, and the signer signs the rewritten chain's new head.
    await note(transactionId, 'Customer called back');
    await t.app.get(AuditCheckpoints).signPending();

    const pack = () => analystCall(t.server, 'GET', `/transactions/${transactionId}/evidence`, { token: ANALYSTS.bob });
    const broken = { intact: false, problems: [{ kind: 'CHECKPOINT_HEAD_MISMATCH', sequence: 2 }], checkpoint: { sequence: 3, held: true } };
    expect((await pack()).body.chain).toMatchObject(broken);
    // A chain last signed before the signer kept every checkpoint: only the last is known to the pack.
    await t.db.query('UPDATE audit_signed_heads SET checkpoints = NULL WHERE transaction_id = $1', [transactionId]);
    expect((await pack()).body.chain).toMatchObject({ intact: true, checkpoint: { sequence: 3, held: true } });
    await t.db.query('UPDATE audit_signed_heads SET checkpoints = ARRAY[checkpoint - 1, checkpoint] WHERE transaction_id = $1', [transactionId]);
    const html = await httpCall(t.server, 'GET', `/transactions/${transactionId}/evidence?format=html`, { headers: { authorization: `Bearer ${ANALYSTS.bob}` } });
    expect(html.text).toContain('CHECKPOINT_HEAD_MISMATCH');
    expect(html.text).not.toContain('INTACT');
  });

  it('catches a checkpoint edited or removed behind its trigger', async () => {
    await t.db.query('ALTER TABLE audit_checkpoints DISABLE TRIGGER audit_checkpoints_append_only');
    try {
      await t.db.query(`UPDATE audit_checkpoints SET heads = '[]' WHERE number = 1`);
      await t.db.query(`DELETE FROM audit_signed_heads WHERE checkpoint = 2`);
      await t.db.query(`DELETE FROM audit_checkpoints WHERE number = 2`);
    } finally {
      await t.db.query('ALTER TABLE audit_checkpoints ENABLE TRIGGER audit_checkpoints_append_only');
    }
    const report = JSON.parse((await verify('--public-key', publicKeyFile)).stdout);
    expect(report.problemsByKind).toMatchObject({ CHECKPOINT_SIGNATURE: 1, CHECKPOINT_LINK: 1 });
  });

  it('refuses an unreadable or non-Ed25519 public key as unable to run (exit 2)', async () => {
    const rsa = join(dir, 'rsa.pub.pem');
    writeFileSync(rsa, generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString());
    const notEd = await runAuditCli(['--public-key', rsa], { DATABASE_URL: t.db.url });
    expect(notEd).toMatchObject({ code: 2, stderr: expect.stringContaining('not Ed25519') });
    const missing = await runAuditCli(['--public-key', join(dir, 'nope.pem')], { DATABASE_URL: t.db.url });
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringContaining('cannot read the public key') });
  });

  it('answers 401 without a token and 400 for a bad page', async () => {
    expect((await analystCall(t.server, 'GET', '/audit/checkpoints')).status).toBe(401);
    expect((await checkpoints(-1)).status).toBe(400);
    // A number past 999,999 is one the service itself hands out as `next` after some weeks at short intervals.
    expect(await checkpoints(1_000_000)).toMatchObject({ status: 200, body: { items: [], next: null } });
    expect((await checkpoints(10 ** 16)).status).toBe(400);
    expect((await analystCall(t.server, 'GET', '/audit/checkpoints?limit=5000', { token: ANALYSTS.bob })).status).toBe(400);
  });
});

/**
 * What someone able to disable the triggers would do: change a note, then recompute the hash of
 * every entry from there on so that each chain link holds again.
 */
async function recomputeWithEditedNote(t: TestApp, transactionId: string, text: string): Promise<void> {
  const tables = ['transaction_decisions', 'case_entries'];
  for (const table of tables) await t.db.query(`ALTER TABLE ${table} DISABLE TRIGGER ${table}_append_only`);
  try {
    await t.db.query(`UPDATE case_entries SET text = $2 WHERE transaction_id = $1 AND kind = 'NOTE'`, [transactionId, text]);
    const decisions = await t.db.query<Record<string, any>>(`SELECT *, 'DECISION' AS entry_kind FROM transaction_decisions WHERE transaction_id = $1`, [transactionId]);
    const notes = await t.db.query<Record<string, any>>(`SELECT *, kind AS entry_kind FROM case_entries WHERE transaction_id = $1`, [transactionId]);
    let prevHash = [...decisions, ...notes].find((row) => row.sequence === 1)!.prev_hash as string;
    for (const row of [...decisions, ...notes].sort((a, b) => a.sequence - b.sequence)) {
      const hash =
        row.entry_kind === 'DECISION'
          ? entryHash(prevHash, { transactionId, sequence: row.sequence, status: row.status, final: row.final, source: row.source, decidedBy: row.decided_by, reasons: row.reasons, decidedAt: row.decided_at })
          : caseRecordHash(prevHash, { kind: 'NOTE', transactionId, sequence: row.sequence, author: row.author, text: row.text, at: row.at });
      await t.db.query(`UPDATE ${row.entry_kind === 'DECISION' ? 'transaction_decisions' : 'case_entries'} SET prev_hash = $2, hash = $3 WHERE id = $1`, [row.id, prevHash, hash]);
      prevHash = hash;
    }
  } finally {
    for (const table of tables) await t.db.query(`ALTER TABLE ${table} ENABLE TRIGGER ${table}_append_only`);
  }
}
