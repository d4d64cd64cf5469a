// Analysts' notes and attachments through HTTP: stored, listed in the detail, chained with the decisions, refused when wrong.
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { verifyAuditTrail } from '../src/adapters/persistence/audit-verifier';
import { analystCall, ANALYST_TOKENS, ANALYSTS, decide } from './support/analyst-api';
import { postValidate, startTestApp, TestApp } from './support/test-app';

describe('case notes', () => {
  let t: TestApp;
  let client: Client;

  beforeAll(async () => {
    t = await startTestApp({ env: { ANALYST_TOKENS } });
    client = new Client({ connectionString: t.db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await t.close();
  });

  async function held(): Promise<string> {
    const transactionId = `notes-${randomUUID()}`;
    const call = await postValidate(t.server, { transactionId, amount: 12_000, currency: 'GBP' });
    expect(call.body.status).toBe('PENDING_EXTERNAL_APPROVAL');
    return transactionId;
  }
  const note = (transactionId: string, body: unknown, token: string = ANALYSTS.alice) =>
    analystCall(t.server, 'POST', `/transactions/${encodeURIComponent(transactionId)}/notes`, { token, body });
  const detail = (transactionId: string) => analystCall(t.server, 'GET', `/transactions/${encodeURIComponent(transactionId)}`, { token: ANALYSTS.bob });

  it('answers 201 with the note, lists it in the detail, and keeps the chain intact across notes and decisions', async () => {
    const transactionId = await held();

    const first = await note(transactionId, { text: '  Called the customer: invoice matches.  ' });
    await decide(t.server, transactionId, 'bob', 'APPROVED', 'Checked');
    const second = await note(transactionId, { text: 'Filed with the 2026-11 reviews ✓' }, ANALYSTS.carol);

    expect(first.status).toBe(201);
    expect(first.body).toEqual({ author: 'alice', text: 'Called the customer: invoice matches.', at: expect.stringMatching(/^\d{4}-.*Z$/) });
    expect(second.status).toBe(201);
    const { body } = await detail(transactionId);
    expect(body.notes).toEqual([
      { author: 'alice', text: 'Called the customer: invoice matches.', at: first.body.at },
      { author: 'carol', text: 'Filed with the 2026-11 reviews ✓', at: second.body.at },
    ]);
    expect(body.status).toBe('APPROVED');
    const chain = await t.db.query<{ sequence: number; kind: string }>(
      `SELECT a.sequence, coalesce(e.kind, 'DECISION') AS kind FROM audit_chain_entries a LEFT JOIN case_entries e USING (id) WHERE a.transaction_id = $1 ORDER BY a.sequence`,
      [transactionId],
    );
    expect(chain.map((row) => `${row.sequence}:${row.kind}`)).toEqual(['1:DECISION', '2:NOTE', '3:DECISION', '4:NOTE']);
    const report = await verifyAuditTrail(client);
    expect(report).toMatchObject({ intact: true, problemCount: 0 });
  });

  it('refuses an empty, blank, too long or non-string text with 400 naming the field, and stores nothing', async () => {
    const transactionId = await held();
    for (const body of [{ text: '' }, { text: ' \n\t ' }, { text: 'x'.repeat(10_001) }, { text: 42 }, {}, { text: 'ok', extra: 1 }]) {
      const call = await note(transactionId, body);
      expect(call.status).toBe(400);
      expect(call.contentType).toMatch(/^application\/problem\+json/);
      expect(call.body.errors?.[0]?.field ?? call.body.detail).toBeTruthy();
    }
    const nul = await analystCall(t.server, 'POST', `/transactions/${transactionId}/notes`, { token: ANALYSTS.alice, body: '{"text":"a\\u0000b"}' });
    expect(nul.status).toBe(400);
    expect((await detail(transactionId)).body.notes).toEqual([]);
  });

  it('accepts exactly 10,000 characters once trimmed', async () => {
    const transactionId = await held();
    const call = await note(transactionId, { text: ` ${'é'.repeat(10_000)} ` });
    expect(call.status).toBe(201);
    expect(call.body.text).toHaveLength(10_000);
  });

  it('answers 404 for an unknown transaction and 401 without a token, before reading the body', async () => {
    expect((await note(`unknown-${randomUUID()}`, { text: 'hello' })).status).toBe(404);
    const anonymous = await analystCall(t.server, 'POST', '/transactions/x/notes', { body: { text: 'hello' } });
    expect(anonymous.status).toBe(401);
  });

  it('refuses to edit or delete a note in the database: notes are append-only', async () => {
    const transactionId = await held();
    await note(transactionId, { text: 'first thoughts' });
    await expect(t.db.query(`UPDATE case_entries SET text = 'rewritten' WHERE transaction_id = $1`, [transactionId])).rejects.toThrow(/append-only/);
    await expect(t.db.query(`DELETE FROM case_entries WHERE transaction_id = $1`, [transactionId])).rejects.toThrow(/append-only/);
  });
});
