// Analysts' notes and attachments through HTTP: stored, listed in the detail, chained with the decisions, refused when wrong.
import { createHash, randomUUID } from 'node:crypto';
import request from 'supertest';
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

  it('accepts 10,000 emoji, each one character, sent escaped as JSON writers do by default', async () => {
    const transactionId = await held();
    const escaped = JSON.stringify({ text: '😀'.repeat(10_000) }).replace(/[\u0080-\uffff]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`);
    const call = await analystCall(t.server, 'POST', `/transactions/${transactionId}/notes`, { token: ANALYSTS.alice, body: escaped });
    expect(call.status).toBe(201);
    expect([...call.body.text]).toHaveLength(10_000);
  });

  it('answers 404 for an unknown transaction and 401 without a token, before reading the body', async () => {
    expect((await note(`unknown-${randomUUID()}`, { text: 'hello' })).status).toBe(404);
    const anonymous = await analystCall(t.server, 'POST', '/transactions/x/notes', { body: { text: 'hello' } });
    expect(anonymous.status).toBe(401);
  });

  it('refuses a note from a viewer (403) and stores nothing, while a viewer reads the notes', async () => {
    const transactionId = await held();
    const call = await note(transactionId, { text: 'viewers only read' }, ANALYSTS.vic);
    expect(call.status).toBe(403);
    expect(call.body.detail).toContain('analyst');
    const read = await analystCall(t.server, 'GET', `/transactions/${transactionId}`, { token: ANALYSTS.vic });
    expect(read.body.notes).toEqual([]);
  });

  it('refuses to edit or delete a note in the database: notes are append-only', async () => {
    const transactionId = await held();
    await note(transactionId, { text: 'first thoughts' });
    await expect(t.db.query(`UPDATE case_entries SET text = 'rewritten' WHERE transaction_id = $1`, [transactionId])).rejects.toThrow(/append-only/);
    await expect(t.db.query(`DELETE FROM case_entries WHERE transaction_id = $1`, [transactionId])).rejects.toThrow(/append-only/);
  });
});

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR fake image body')]);
const PDF = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n');

describe('case attachments', () => {
  let t: TestApp;
  let client: Client;

  beforeAll(async () => {
    t = await startTestApp({ env: { ANALYST_TOKENS, ATTACHMENT_MAX_BYTES: String(64 * 1024) } });
    client = new Client({ connectionString: t.db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await t.close();
  });

  async function held(): Promise<string> {
    const transactionId = `files-${randomUUID()}`;
    expect((await postValidate(t.server, { transactionId, amount: 12_000, currency: 'GBP' })).body.status).toBe('PENDING_EXTERNAL_APPROVAL');
    return transactionId;
  }
  const upload = (transactionId: string, content: Buffer, filename: string, contentType: string, token: string = ANALYSTS.alice) =>
    request(t.server).post(`/transactions/${encodeURIComponent(transactionId)}/attachments`).set('authorization', `Bearer ${token}`).attach('file', content, { filename, contentType });
  const download = (transactionId: string, attachmentId: string) =>
    request(t.server)
      .get(`/transactions/${encodeURIComponent(transactionId)}/attachments/${attachmentId}`)
      .set('authorization', `Bearer ${ANALYSTS.bob}`)
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done(null, Buffer.concat(chunks)));
      });

  it('stores a file with its digest in the chain, lists it, and serves the same bytes as a download that is never rendered', async () => {
    const transactionId = await held();

    const created = await upload(transactionId, PDF, 'invoice (Nov) ✓.pdf', 'application/pdf');

    expect(created.status).toBe(201);
    const sha256 = createHash('sha256').update(PDF).digest('hex');
    expect(created.body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), filename: 'invoice (Nov) ✓.pdf', contentType: 'application/pdf', size: PDF.length, sha256, by: 'alice', at: expect.any(String) });
    const detail = await analystCall(t.server, 'GET', `/transactions/${transactionId}`, { token: ANALYSTS.bob });
    expect(detail.body.attachments).toEqual([created.body]);

    const file = await download(transactionId, created.body.id);
    expect(file.status).toBe(200);
    expect(Buffer.compare(file.body as Buffer, PDF)).toBe(0);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.headers['content-disposition']).toBe(`attachment; filename="invoice (Nov) _.pdf"; filename*=UTF-8''invoice%20%28Nov%29%20%E2%9C%93.pdf`);
    expect(file.headers['x-content-type-options']).toBe('nosniff');

    const [entry] = await t.db.query<{ sequence: number; sha256: string }>(`SELECT sequence, sha256 FROM case_entries WHERE transaction_id = $1`, [transactionId]);
    expect(entry).toEqual({ sequence: 2, sha256 });
    await expect(verifyAuditTrail(client)).resolves.toMatchObject({ intact: true });
  });

  it('accepts PNG, JPEG, UTF-8 text and CSV, each served with its type', async () => {
    const transactionId = await held();
    const files: [Buffer, string, string][] = [
      [PNG, 'scan.png', 'image/png'],
      [Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]), 'photo.jpg', 'image/jpeg'],
      [Buffer.from('Call log: customer confirmed — 12:04\n'), 'call.txt', 'text/plain; charset=utf-8'],
      [Buffer.from('date,amount\n2026-11-30,12000.00\n'), 'statement.csv', 'text/csv'],
    ];
    for (const [content, filename, contentType] of files) {
      const created = await upload(transactionId, content, filename, contentType);
      expect([filename, created.status]).toEqual([filename, 201]);
      const file = await download(transactionId, created.body.id);
      expect(file.headers['content-type']).toBe(contentType.startsWith('text/') ? `${contentType.split(';')[0]}; charset=utf-8` : contentType);
    }
  });

  it('refuses a type outside the allowlist with 415, and a file that is not what its type says with 422, storing nothing', async () => {
    const transactionId = await held();
    const refused: [Buffer, string, number][] = [
      [Buffer.from('<html><script>alert(1)</script></html>'), 'text/html', 415],
      [Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/svg+xml', 415],
      [PDF, 'application/octet-stream', 415],
      [Buffer.from('MZ\x90\x00 not a pdf'), 'application/pdf', 422],
      [PDF, 'image/png', 422],
      [Buffer.from([0x61, 0x00, 0x62]), 'text/plain', 422],
      [Buffer.from([0x61, 0xc3, 0x28]), 'text/csv', 422],
    ];
    for (const [content, contentType, status] of refused) {
      const call = await upload(transactionId, content, 'file', contentType);
      expect([contentType, call.status, call.headers['content-type']]).toEqual([contentType, status, expect.stringMatching(/^application\/problem\+json/)]);
    }
    const [{ count }] = await t.db.query<{ count: number }>(`SELECT count(*)::int AS count FROM case_entries WHERE transaction_id = $1`, [transactionId]);
    expect(count).toBe(0);
  });

  it('refuses a file over ATTACHMENT_MAX_BYTES with 413, and bodies that are not one file with 4xx', async () => {
    const transactionId = await held();
    const big = await upload(transactionId, Buffer.concat([PDF, Buffer.alloc(64 * 1024)]), 'big.pdf', 'application/pdf');
    expect(big.status).toBe(413);
    const path = `/transactions/${transactionId}/attachments`;
    const auth = `Bearer ${ANALYSTS.alice}`;
    const wrongField = await request(t.server).post(path).set('authorization', auth).attach('document', PDF, { filename: 'a.pdf', contentType: 'application/pdf' });
    expect(wrongField.status).toBe(400);
    const inheritedName = await request(t.server).post(path).set('authorization', auth).attach('toString', PDF, { filename: 'a.pdf', contentType: 'application/pdf' });
    expect(inheritedName.status).toBe(400);
    expect(inheritedName.body.detail).toBe('The file must be in a part named "file"');
    const json = await request(t.server).post(path).set('authorization', auth).send({ file: 'x' });
    expect(json.status).toBe(415);
    const cutShort = await request(t.server).post(path).set('authorization', auth).set('content-type', 'multipart/form-data; boundary=abc').send('--abc\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-');
    expect(cutShort.status).toBeGreaterThanOrEqual(400);
    expect(cutShort.status).toBeLessThan(500);
    const noBoundary = await request(t.server).post(path).set('authorization', auth).set('content-type', 'multipart/form-data').send('whatever');
    expect(noBoundary.status).toBe(400);
    const [{ count }] = await t.db.query<{ count: number }>(`SELECT count(*)::int AS count FROM case_entries WHERE transaction_id = $1`, [transactionId]);
    expect(count).toBe(0);
  });

  it('refuses a file from a viewer (403), while a viewer downloads', async () => {
    const transactionId = await held();
    const created = await upload(transactionId, PDF, 'a.pdf', 'application/pdf');
    expect((await upload(transactionId, PDF, 'b.pdf', 'application/pdf', ANALYSTS.vic)).status).toBe(403);
    const file = await request(t.server).get(`/transactions/${transactionId}/attachments/${created.body.id}`).set('authorization', `Bearer ${ANALYSTS.vic}`);
    expect(file.status).toBe(200);
  });

  it('answers 404 for an unknown transaction or attachment, and refuses multipart on routes that take JSON', async () => {
    expect((await upload(`unknown-${randomUUID()}`, PDF, 'a.pdf', 'application/pdf')).status).toBe(404);
    const transactionId = await held();
    expect((await download(transactionId, randomUUID())).status).toBe(404);
    expect((await download(transactionId, 'not-a-uuid')).status).toBe(404);
    const decision = await request(t.server).post(`/transactions/${transactionId}/decision`).set('authorization', `Bearer ${ANALYSTS.alice}`).attach('file', PDF, 'a.pdf');
    expect(decision.status).toBe(415);
  });

  it('names an attachment whose bytes were replaced behind the trigger', async () => {
    const transactionId = await held();
    const created = await upload(transactionId, PNG, 'scan.png', 'image/png');
    await t.db.query('ALTER TABLE case_entries DISABLE TRIGGER case_entries_append_only');
    try {
      await t.db.query(`UPDATE case_entries SET content = $2 WHERE attachment_id = $1`, [created.body.id, Buffer.concat([PNG, Buffer.from('tampered')])]);
      const report = await verifyAuditTrail(client);
      expect(report).toMatchObject({ intact: false, problemsByKind: { CONTENT_MISMATCH: 1 }, firstBroken: { transactionId, sequence: 2 } });
    } finally {
      await t.db.query(`UPDATE case_entries SET content = $2 WHERE attachment_id = $1`, [created.body.id, PNG]);
      await t.db.query('ALTER TABLE case_entries ENABLE TRIGGER case_entries_append_only');
    }
  });
});
