// An upload is one file and nothing else: a part after the file is refused like a part before it, and nothing is stored.
import { randomUUID } from 'node:crypto';
import { connect, Socket } from 'node:net';
import request from 'supertest';
import { analystCall, ANALYST_TOKENS, ANALYSTS } from './support/analyst-api';
import { postValidate, startTestApp, TestApp } from './support/test-app';

const BOUNDARY = 'XyZ';
const MAX_BYTES = 64 * 1024;
const filePart = (filename: string, contentType: string, content: string) =>
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n${content}\r\n`;
const fieldPart = (name: string, value: string) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
const END = `--${BOUNDARY}--\r\n`;
const FIRST = filePart('first.txt', 'text/plain', 'FIRST');

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Writes `bytes` on a kept-alive socket and reads one response (framed by its content-length). */
function exchange(socket: Socket, bytes: string | Buffer): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      const [statusLine, ...lines] = received.subarray(0, end).toString('latin1').split('\r\n');
      const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      const body = received.subarray(end + 4);
      if (body.length < Number(headers['content-length'] ?? 0)) return;
      cleanUp();
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: body.toString('utf8') });
    };
    const onEnd = () => {
      cleanUp();
      reject(new Error(`the connection closed after ${received.length} bytes of answer`));
    };
    const cleanUp = () => socket.off('data', onData).off('end', onEnd).off('error', reject);
    socket.on('data', onData).on('end', onEnd).on('error', reject);
    socket.write(bytes);
  });
}

describe('an attachment upload with parts after the file', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { ANALYST_TOKENS, ATTACHMENT_MAX_BYTES: String(MAX_BYTES) } });
  });
  afterAll(async () => {
    await t?.close();
  });

  async function held(): Promise<string> {
    const transactionId = `extra-parts-${randomUUID()}`;
    expect((await postValidate(t.server, { transactionId, amount: 12_000, currency: 'GBP' })).body.status).toBe('PENDING_EXTERNAL_APPROVAL');
    return transactionId;
  }
  const upload = (transactionId: string, body: string) =>
    request(t.server)
      .post(`/transactions/${encodeURIComponent(transactionId)}/attachments`)
      .set('authorization', `Bearer ${ANALYSTS.alice}`)
      .set('content-type', `multipart/form-data; boundary=${BOUNDARY}`)
      .send(Buffer.from(body));
  async function expectNothingStored(transactionId: string): Promise<void> {
    const [{ count }] = await t.db.query<{ count: number }>(`SELECT count(*)::int AS count FROM case_entries WHERE transaction_id = $1`, [transactionId]);
    expect(count).toBe(0);
    expect((await analystCall(t.server, 'GET', `/transactions/${encodeURIComponent(transactionId)}`, { token: ANALYSTS.bob })).body.attachments).toEqual([]);
  }

  it('stores a lone file sent in the same framing (the bodies below differ only by their extra part)', async () => {
    const transactionId = await held();
    const created = await upload(transactionId, `${FIRST}${END}`);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ filename: 'first.txt', size: 5 });
  });

  it('refuses a second file part after the file as it refuses a field before it (413, same problem), and stores neither file', async () => {
    const transactionId = await held();
    const fieldBefore = await upload(transactionId, `${fieldPart('note', 'hello')}${FIRST}${END}`);
    const secondFile = await upload(transactionId, `${FIRST}${filePart('second.pdf', 'application/pdf', 'NOTPDF')}${END}`);

    expect(fieldBefore.status).toBe(413);
    expect(secondFile.status).toBe(413);
    expect(secondFile.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(secondFile.body).toEqual({ ...fieldBefore.body, instance: expect.any(String) });
    expect(secondFile.body).toMatchObject({ type: 'https://toqio-tm.dev/problems/payload-too-large', status: 413, detail: 'Send exactly one file, in a part named "file", and nothing else' });
    await expectNothingStored(transactionId);
  });

  it('refuses a plain field after the file with the same 413, and stores nothing', async () => {
    const transactionId = await held();
    const trailingField = await upload(transactionId, `${FIRST}${fieldPart('comment', 'and one more thing')}${END}`);

    expect(trailingField.status).toBe(413);
    expect(trailingField.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(trailingField.body).toMatchObject({ type: 'https://toqio-tm.dev/problems/payload-too-large', detail: 'Send exactly one file, in a part named "file", and nothing else' });
    await expectNothingStored(transactionId);
  });

  it('refuses a trailing part far over ATTACHMENT_MAX_BYTES sent chunked, reads the body to its end, and serves the next request on the connection', async () => {
    const transactionId = await held();
    const body = Buffer.from(`${FIRST}${filePart('huge.pdf', 'application/pdf', 'x'.repeat(16 * MAX_BYTES))}${END}`);
    const socket = connect(Number(new URL(t.baseUrl).port), '127.0.0.1');
    try {
      const head = [`POST /transactions/${encodeURIComponent(transactionId)}/attachments HTTP/1.1`, 'host: x', `authorization: Bearer ${ANALYSTS.alice}`];
      const chunked = Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]);
      const refused = await exchange(socket, Buffer.concat([Buffer.from(`${[...head, `content-type: multipart/form-data; boundary=${BOUNDARY}`, 'transfer-encoding: chunked'].join('\r\n')}\r\n\r\n`), chunked]));
      expect([refused.status, refused.headers['content-type']]).toEqual([413, expect.stringMatching(/^application\/problem\+json/)]);

      const next = await exchange(socket, `GET /transactions/${encodeURIComponent(transactionId)} HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${ANALYSTS.bob}\r\n\r\n`);
      expect(next.status).toBe(200);
      expect(JSON.parse(next.body)).toMatchObject({ attachments: [] });
    } finally {
      socket.destroy();
    }
  });
});
