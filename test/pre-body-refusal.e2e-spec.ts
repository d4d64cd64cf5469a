// Requests without credentials are refused from their headers, before their bodies are read or parsed.
import { generateKeyPairSync } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { randomUUID } from 'node:crypto';
import { ANALYST_TOKENS, ANALYSTS } from './support/analyst-api';
import { startTestApp, TestApp, API_KEY } from './support/test-app';

const PAYTO_KEY = 'payto-shared-key-0123456789abcdef';
const PAYSTACK_SECRET = 'sk_test_pre_body_0123456789abcdef';
const MONITORING_SECRET = `whsec_${Buffer.from('pre-body-monitoring-secret-0123456789').toString('base64')}`;
const ANZ_PUBLIC_PEM = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/**
 * Sends the headers of a request announcing `declaredBytes` of body, and none of the body: a
 * server that reads (or parses) the body before refusing never answers, and the call times out.
 */
function headersOnly(baseUrl: string, path: string, headers: Record<string, string>, declaredBytes = 64 * 1024): Promise<Answer> {
  const url = new URL(path, baseUrl);
  return new Promise((resolve, reject) => {
    const call = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(declaredBytes), ...headers } });
    const timer = setTimeout(() => {
      call.destroy();
      reject(new Error(`${path}: no answer before the body was sent`));
    }, 3_000);
    call.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        clearTimeout(timer);
        call.destroy();
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: response.statusCode ?? 0, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} });
      });
    });
    call.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    call.flushHeaders();
  });
}

async function post(baseUrl: string, path: string, headers: Record<string, string>, body: string): Promise<Answer> {
  const response = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

describe('Refusing unauthenticated requests before their bodies (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      env: {
        ANALYST_TOKENS,
        PAYSTACK_SECRET_KEY: PAYSTACK_SECRET,
        PAYTO_API_KEY: PAYTO_KEY,
        PAYTO_SIGNING_PUBLIC_KEY: ANZ_PUBLIC_PEM,
        MONITORING_WEBHOOK_SECRET: MONITORING_SECRET,
      },
    });
  });

  afterAll(async () => {
    await t?.close();
  });

  it.each([
    ['validate without a key', '/transaction/validate', {}, 401],
    ['validate with a wrong key', '/transaction/validate', { 'x-api-key': 'not-the-key' }, 401],
    ['an analyst decision without a token', '/transactions/any/decision', {}, 401],
    ['an analyst decision with a wrong token', '/transactions/any/decision', { authorization: 'Bearer wrong' }, 401],
    ['a redelivery without a token', `/notifications/${randomUUID()}/redeliver`, {}, 401],
    ['a note without a token', '/transactions/any/notes', {}, 401],
    ['an attachment without a token', '/transactions/any/attachments', { 'content-type': 'multipart/form-data; boundary=x' }, 401],
    ['an attachment with a wrong token', '/transactions/any/attachments', { 'content-type': 'multipart/form-data; boundary=x', authorization: 'Bearer wrong' }, 401],
    ['PayTo without its key', '/webhooks/payto/queries', { 'x-message-id': randomUUID() }, 401],
    ['PayTo with a wrong key', '/webhooks/payto/queries', { apikey: 'wrong', 'x-message-id': randomUUID() }, 401],
    ['PayTo with its key and no X-Message-Id', '/webhooks/payto/queries', { apikey: PAYTO_KEY }, 400],
    ['Paystack without a signature', '/webhooks/paystack', {}, 401],
    ['a provider callback without Standard Webhooks headers', '/webhooks/monitoring/rules', {}, 401],
    ['a provider callback without webhook-signature', '/webhooks/monitoring/rules', { 'webhook-id': 'msg_1', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)) }, 401],
    ['a callback from a provider that is not enabled', '/webhooks/monitoring/flagright', { 'x-flagright-signature': 'ab' }, 404],
  ] as const)('refuses %s from the headers alone', async (_name, path, headers, status) => {
    const answer = await headersOnly(t.baseUrl, path, headers);
    expect(answer.status).toBe(status);
    expect(answer.body).toMatchObject({ status });
  });

  it('refuses a 1 MiB body on validate as unauthenticated (401), not as too large', async () => {
    const answer = await headersOnly(t.baseUrl, '/transaction/validate', { 'x-api-key': 'not-the-key' }, 1024 * 1024);
    expect(answer.status).toBe(401);
  });

  it('refuses an attachment declared larger than ATTACHMENT_MAX_BYTES (10 MiB) from its headers, once authenticated', async () => {
    const headers = { 'content-type': 'multipart/form-data; boundary=x', authorization: `Bearer ${ANALYSTS.alice}` };
    const answer = await headersOnly(t.baseUrl, '/transactions/any/attachments', headers, 11 * 1024 * 1024);
    expect(answer.status).toBe(413);
    expect(answer.body).toMatchObject({ status: 413, detail: expect.stringContaining('ATTACHMENT_MAX_BYTES') });
  });

  it('checks signatures on the raw bytes before parsing them: a badly signed body that is not JSON is 401, not 400', async () => {
    const notJson = '[1,1,1,'.repeat(1000);
    expect((await post(t.baseUrl, '/webhooks/paystack', { 'x-paystack-signature': 'f'.repeat(128) }, notJson)).status).toBe(401);
    const now = String(Math.floor(Date.now() / 1000));
    const callback = await post(t.baseUrl, '/webhooks/monitoring/rules', { 'webhook-id': 'msg_x', 'webhook-timestamp': now, 'webhook-signature': 'v1,AAAA' }, notJson);
    expect(callback.status).toBe(401);
  });

  it('still answers the authenticated: a good key with a bad body is 400', async () => {
    expect((await post(t.baseUrl, '/transaction/validate', { 'x-api-key': API_KEY }, '{')).status).toBe(400);
  });

  it('limits each webhook route to what its senders need (256 KiB), and a redelivery (no body) to 1 KiB', async () => {
    const big = JSON.stringify({ event: 'charge.success', padding: 'x'.repeat(300 * 1024) });
    expect((await post(t.baseUrl, '/webhooks/paystack', { 'x-paystack-signature': 'f'.repeat(128) }, big)).status).toBe(413);
    const redeliver = await post(t.baseUrl, `/notifications/${randomUUID()}/redeliver`, { authorization: `Bearer ${ANALYSTS.alice}` }, JSON.stringify({ padding: 'x'.repeat(2048) }));
    expect(redeliver.status).toBe(413);
  });
});
