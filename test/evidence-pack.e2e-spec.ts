// A case's evidence pack through HTTP: every record of it, its chain verified, as JSON and as a printable page.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { analystCall, ANALYST_TOKENS, ANALYSTS, decide } from './support/analyst-api';
import { postValidate, startTestApp, TestApp } from './support/test-app';

describe('evidence pack', () => {
  let t: TestApp;
  let transactionId: string;
  const PDF = Buffer.from('%PDF-1.7\n%%EOF\n');
  const evidence = (id: string, query = '') => analystCall(t.server, 'GET', `/transactions/${encodeURIComponent(id)}/evidence${query}`, { token: ANALYSTS.carol });

  beforeAll(async () => {
    t = await startTestApp({ env: { ANALYST_TOKENS } });
    transactionId = `evidence-${randomUUID()}`;
    const body = `{"transactionId":"${transactionId}","amount":12000.123456789012345678,"currency":"EUR","beneficiary":{"name":"Zoë <Müller>","country":"DE"},"customField":"$& kept"}`;
    expect((await postValidate(t.server, body)).body.status).toBe('PENDING_EXTERNAL_APPROVAL');
    const notes = `/transactions/${transactionId}/notes`;
    expect((await analystCall(t.server, 'POST', notes, { token: ANALYSTS.alice, body: { text: 'Beneficiary <script>alert("x")</script> checked' } })).status).toBe(201);
    const upload = await request(t.server).post(`/transactions/${transactionId}/attachments`).set('authorization', `Bearer ${ANALYSTS.alice}`).attach('file', PDF, { filename: 'invoice.pdf', contentType: 'application/pdf' });
    expect(upload.status).toBe(201);
    expect((await decide(t.server, transactionId, 'bob', 'REJECTED', 'No invoice & no answer')).status).toBe(200);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('gathers the payload as received, decisions, notes, attachment digests and notifications, with the chain verified', async () => {
    const { status, contentType, body } = await evidence(transactionId);

    expect(status).toBe(200);
    expect(contentType).toMatch(/^application\/json/);
    expect(body).toMatchObject({
      evidenceVersion: 1,
      generatedAt: expect.any(String),
      transaction: {
        transactionId,
        status: 'REJECTED',
        amount: '12000.123456789012345678',
        decisions: [{ sequence: 1, status: 'PENDING_EXTERNAL_APPROVAL' }, { sequence: 4, status: 'REJECTED', decidedBy: 'bob' }],
        notes: [{ author: 'alice', text: 'Beneficiary <script>alert("x")</script> checked' }],
        attachments: [{ filename: 'invoice.pdf', contentType: 'application/pdf', size: PDF.length, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), by: 'alice' }],
        notifications: [{ state: expect.any(String), body: { status: 'REJECTED', reason: 'No invoice & no answer' } }],
        paymentEvents: [],
      },
      chain: { intact: true, problems: [], checkpoint: null },
      payload: { transactionId, customField: '$& kept' },
    });
    expect(body.chain.entries.map((e: { sequence: number; kind: string }) => `${e.sequence}:${e.kind}`)).toEqual(['1:DECISION', '2:NOTE', '3:ATTACHMENT', '4:DECISION']);
    const raw = await request(t.server).get(`/transactions/${transactionId}/evidence`).set('authorization', `Bearer ${ANALYSTS.carol}`).buffer(true).parse((res, done) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      res.on('end', () => done(null, text));
    });
    expect(raw.body as string).toContain('"amount": 12000.123456789012345678');
  });

  it('renders a printable page with every value escaped and no script', async () => {
    const page = await request(t.server).get(`/transactions/${transactionId}/evidence?format=html`).set('authorization', `Bearer ${ANALYSTS.carol}`);
    const html = page.text;

    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(html).toContain('Beneficiary &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; checked');
    expect(html).toContain('Zoë &lt;Müller&gt;');
    expect(html).toContain('12,000.123456789012345678 EUR');
    expect(html).toContain('INTACT');
    expect(html).toContain('@media print');
    expect(html).not.toMatch(/<script/i);
  });

  it("shows on the page what the JSON says of the screening's rule set, the case's claim and each delivery", async () => {
    // A delivery that failed and was given up on, then sent again by hand: no worker runs here, so the record is written as one would.
    const [{ id: notificationId }] = await t.db.query<{ id: string }>(`SELECT id FROM toqio_notifications WHERE transaction_id = $1`, [transactionId]);
    await t.db.query(
      `INSERT INTO toqio_notification_attempts (notification_id, attempt, started_at, duration_ms, outcome, http_status, error)
       VALUES ($1, 1, '2030-01-15T09:00:00Z', 12, 'REFUSED', 500, 'Toqio answered 500 <maintenance & co>')`,
      [notificationId],
    );
    await t.db.query(
      `UPDATE toqio_notifications SET state = 'DEAD', attempts = 1, next_attempt_at = NULL, dead_at = now(), last_error = 'Toqio answered 500 <maintenance & co>' WHERE id = $1`,
      [notificationId],
    );
    expect((await analystCall(t.server, 'POST', `/notifications/${notificationId}/redeliver`, { token: ANALYSTS.carol })).status).toBe(202);
    const held = `evidence-${randomUUID()}`;
    expect((await postValidate(t.server, { transactionId: held, amount: '15000', currency: 'EUR' })).body.status).toBe('PENDING_EXTERNAL_APPROVAL');
    expect((await analystCall(t.server, 'POST', `/transactions/${held}/claim`, { token: ANALYSTS.alice })).status).toBe(200);

    const { body: decided } = await evidence(transactionId);
    const [notification] = decided.transaction.notifications;
    expect(decided.transaction.screening.ruleSetVersion).toEqual(expect.any(Number));
    expect(notification).toMatchObject({ lastError: 'Toqio answered 500 <maintenance & co>', redeliveredBy: 'carol', attempts: [{ error: 'Toqio answered 500 <maintenance & co>' }] });
    const page = await htmlOf(transactionId);
    expect(page).toContain(`<th scope="row">Rule-set version</th><td>${decided.transaction.screening.ruleSetVersion}</td>`);
    expect(page).toContain('<td>Toqio answered 500 &lt;maintenance &amp; co&gt;</td>');
    expect(page).toContain(`<td>by carol at ${notification.redeliveredAt}</td>`);
    expect(page).toContain('#1 REFUSED 500 2030-01-15T09:00:00.000Z: Toqio answered 500 &lt;maintenance &amp; co&gt;');
    expect(page).toContain('<th scope="row">Assignee</th><td>nobody</td>');

    const { body: claimed } = await evidence(held);
    expect(claimed.transaction).toMatchObject({ assignee: 'alice', claimedUntil: expect.any(String) });
    const claimedPage = await htmlOf(held);
    expect(claimedPage).toContain('<th scope="row">Assignee</th><td>alice</td>');
    expect(claimedPage).toContain(`<th scope="row">Claimed until</th><td>${claimed.transaction.claimedUntil}</td>`);
  });

  it('shows a broken chain as broken, naming the problem', async () => {
    await t.db.query('ALTER TABLE case_entries DISABLE TRIGGER case_entries_append_only');
    try {
      await t.db.query(`UPDATE case_entries SET text = 'nothing to see' WHERE transaction_id = $1 AND kind = 'NOTE'`, [transactionId]);
      const { body } = await evidence(transactionId);
      expect(body.chain).toMatchObject({ intact: false, problems: [{ kind: 'HASH_MISMATCH', sequence: 2 }] });
      expect(await htmlOf(transactionId)).toContain('BROKEN: 1 problem(s).');
    } finally {
      await t.db.query(`UPDATE case_entries SET text = 'Beneficiary <script>alert("x")</script> checked' WHERE transaction_id = $1 AND kind = 'NOTE'`, [transactionId]);
      await t.db.query('ALTER TABLE case_entries ENABLE TRIGGER case_entries_append_only');
    }
  });

  it('shows a notification to Toqio that no longer says what its decision says as broken', async () => {
    const [{ id, body: sent }] = await t.db.query<{ id: string; body: string }>('SELECT id::text AS id, body FROM toqio_notifications WHERE transaction_id = $1', [transactionId]);
    await t.db.query('UPDATE toqio_notifications SET body = $2 WHERE id = $1', [id, sent.replace('"REJECTED"', '"APPROVED"')]);
    try {
      const { body } = await evidence(transactionId);
      expect(body.chain).toMatchObject({
        intact: false,
        problems: [{ kind: 'NOTIFICATION_MISMATCH', sequence: null, message: expect.stringContaining(`notification ${id} to Toqio does not send what its decision, entry`) }],
      });
      expect(await htmlOf(transactionId)).toContain('NOTIFICATION_MISMATCH');
    } finally {
      await t.db.query('UPDATE toqio_notifications SET body = $2 WHERE id = $1', [id, sent]);
    }
    expect((await evidence(transactionId)).body.chain).toMatchObject({ intact: true });
  });

  it('answers 404 for an unknown transaction, 400 for an unknown format, 401 without a token', async () => {
    expect((await evidence(`unknown-${randomUUID()}`)).status).toBe(404);
    expect((await evidence(transactionId, '?format=xml')).status).toBe(400);
    expect((await analystCall(t.server, 'GET', `/transactions/${transactionId}/evidence`)).status).toBe(401);
  });

  async function htmlOf(id: string): Promise<string> {
    const response = await request(t.server).get(`/transactions/${encodeURIComponent(id)}/evidence?format=html`).set('authorization', `Bearer ${ANALYSTS.carol}`);
    return response.text;
  }
});
