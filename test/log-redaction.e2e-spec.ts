// The built service's log stream: one JSON line per request, with its id, and no secret or account number in it.
import { randomBytes } from 'node:crypto';
import { ANALYST_TOKENS, ANALYSTS } from './support/analyst-api';
import { createTestDatabase, TestDatabase } from './support/database';
import { ServiceProcess, startService } from './support/service-process';

const API_KEY = 'toqio-live-key-7f3a9c1e5b2d';
const PREVIOUS_KEY = 'toqio-old-key-0a1b2c3d4e5f';
const SECRETS = {
  apiKey: API_KEY,
  previousKey: PREVIOUS_KEY,
  analystToken: ANALYSTS.alice,
  cookie: 'cookie-secret-5d41402abc4b',
  webhookSignature: 'v1,c2lnbmF0dXJlLXNlY3JldC12YWx1ZQ==',
  paystackSignature: 'a3f5paystacksig9b8c7d6e5f40312',
  flagrightSignature: 'flagright-sig-8c2e4a6b0d',
  paytoKey: 'payto-apikey-3e7f9a1c5b',
  queryToken: 'querytoken-6b2d8f0a4c',
  iban: 'GB82WEST12345698765432',
  ibanSpaced: 'DE89 3704 0044 0532 0130 00',
  card: '4111111111111111',
  cardGrouped: '5500 0000 0000 0004',
  accountNumber: '31926819',
  flagrightApiKey: 'flagright-api-key-4d7e1a9c',
  flagrightWebhookSecret: 'flagright-webhook-secret-2b8f',
  marbleApiKey: 'marble-api-key-6c1d9e3f',
  marbleWebhookSecret: 'marble-webhook-secret-7a2e',
  marbleSignature: 'marble-signature-5f3b8d1a',
  httpAuthCredential: 'engine-credential-9e4c2a7b',
  databasePassword: 'db-password-3c9a7e1f',
};

/**
 * The URL the service is given carries a password that must stay out of the logs. A server that
 * trusts local connections (the CI's) ignores it, so the test sets its own; the embedded server of
 * a machine with only Node needs its generated one, which then becomes the secret to look for.
 */
function withPassword(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  if (url.password === '') url.password = SECRETS.databasePassword;
  else SECRETS.databasePassword = decodeURIComponent(url.password);
  return url.toString();
}

describe('logs of the running service', () => {
  let db: TestDatabase;
  let service: ServiceProcess;
  const requestIds: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    service = await startService({
      DATABASE_URL: withPassword(db.url),
      FLAGRIGHT_API_KEY: SECRETS.flagrightApiKey,
      FLAGRIGHT_WEBHOOK_SECRET: SECRETS.flagrightWebhookSecret,
      MARBLE_API_KEY: SECRETS.marbleApiKey,
      MARBLE_WEBHOOK_SECRET: SECRETS.marbleWebhookSecret,
      MARBLE_WEBHOOK_SIGNATURE_HEADER: 'x-marble-signature',
      MONITORING_HTTP_AUTH_VALUE: `Bearer ${SECRETS.httpAuthCredential}`,
      TOQIO_API_KEY: API_KEY,
      TOQIO_API_KEY_HEADER: 'x-toqio-key',
      TOQIO_PREVIOUS_API_KEYS: PREVIOUS_KEY,
      ANALYST_TOKENS,
      MONITORING_WEBHOOK_SECRET: `whsec_${randomBytes(32).toString('base64')}`,
      LOG_LEVEL: 'info',
    });
    const send = async (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) => {
      const id = `redaction-${requestIds.length + 1}`;
      requestIds.push(id);
      const response = await fetch(`${service.baseUrl}${path}`, { ...init, headers: { 'x-request-id': id, ...init.headers } });
      await response.arrayBuffer();
      return response.status;
    };
    const body = JSON.stringify({
      transactionId: 'log-1',
      amount: '12.50',
      currency: 'GBP',
      beneficiary: { name: 'Ada', iban: SECRETS.iban, accountNumber: SECRETS.accountNumber, country: 'GB' },
      card: { number: SECRETS.card, pan: SECRETS.cardGrouped },
      note: `pay to ${SECRETS.ibanSpaced}`,
    });
    const json = { 'content-type': 'application/json' };
    expect(await send('/transaction/validate', { method: 'POST', headers: { ...json, 'x-toqio-key': API_KEY, cookie: `session=${SECRETS.cookie}` }, body })).toBe(200);
    expect(await send('/transaction/validate', { method: 'POST', headers: { ...json, 'x-toqio-key': PREVIOUS_KEY }, body })).toBe(200);
    expect(await send('/transaction/validate', { method: 'POST', headers: { ...json, 'x-toqio-key': `${API_KEY}-wrong` }, body })).toBe(401);
    expect(await send(`/transactions/${SECRETS.iban}`, { headers: { authorization: `Bearer ${SECRETS.analystToken}` } })).toBe(404);
    expect(await send(`/transactions/${SECRETS.card}`, { headers: { authorization: `Bearer ${SECRETS.analystToken}` } })).toBe(404);
    expect(await send(`/transactions?status=PENDING_EXTERNAL_APPROVAL&accountNumber=${SECRETS.accountNumber}&token=${SECRETS.queryToken}`, { headers: { authorization: `Bearer ${SECRETS.analystToken}` } })).toBe(400);
    // Every configured secret, sent where the request line logs it (a header and the query), and
    // Marble's configured signature header.
    const configured = [SECRETS.flagrightApiKey, SECRETS.flagrightWebhookSecret, SECRETS.marbleApiKey, SECRETS.marbleWebhookSecret, SECRETS.httpAuthCredential, SECRETS.databasePassword];
    expect(
      await send(`/transactions/unknown?note=${configured.join(',')}`, {
        headers: { authorization: `Bearer ${SECRETS.analystToken}`, 'x-note': configured.join(' '), 'x-marble-signature': SECRETS.marbleSignature },
      }),
    ).toBe(404);
    expect(
      await send('/webhooks/monitoring/rules', {
        method: 'POST',
        headers: {
          ...json,
          'webhook-id': 'msg_1',
          'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
          'webhook-signature': SECRETS.webhookSignature,
          'x-paystack-signature': SECRETS.paystackSignature,
          'x-flagright-signature': SECRETS.flagrightSignature,
          apikey: SECRETS.paytoKey,
        },
        body,
      }),
    ).toBe(401);
    // Stop cleanly so every line is written.
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
  });
  afterAll(async () => {
    await service?.kill();
    await db?.drop();
  });

  const lines = () =>
    service
      .stdout()
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Record<string, any>);

  it('writes JSON only, one line per request, carrying its request id and status', () => {
    const requestLines = lines().filter((line) => line.req !== undefined);
    expect(requestLines.map((line) => line.req.id)).toEqual(requestIds);
    expect(requestLines.map((line) => line.res.statusCode)).toEqual([200, 200, 401, 404, 404, 400, 404, 401]);
    for (const line of requestLines) expect(line).toMatchObject({ level: 'info', msg: 'request completed', responseTime: expect.any(Number) });
  });

  it('masks every key, token, signature, cookie and account or card number that was sent', () => {
    const text = service.stdout();
    const leaked = Object.entries(SECRETS).filter(([, secret]) => text.includes(secret) || text.includes(encodeURIComponent(secret)));
    expect(leaked).toEqual([]);
    // The header names stay, so a reader sees that a credential was there.
    const first = lines().find((line) => line.req?.id === 'redaction-1')!;
    expect(first.req.headers).toMatchObject({ 'x-toqio-key': '[REDACTED]', cookie: '[REDACTED]' });
    const webhook = lines().find((line) => line.req?.id === `redaction-${requestIds.length}`)!;
    expect(webhook.req.headers).toMatchObject({
      'webhook-signature': '[REDACTED]',
      'x-paystack-signature': '[REDACTED]',
      'x-flagright-signature': '[REDACTED]',
      apikey: '[REDACTED]',
    });
    expect(lines().find((line) => line.req?.id === 'redaction-7')!.req.headers).toMatchObject({ 'x-marble-signature': '[REDACTED]' });
    expect(lines().find((line) => line.req?.id === 'redaction-6')!.req.url).toBe('/transactions?status=PENDING_EXTERNAL_APPROVAL&accountNumber=[REDACTED]&token=[REDACTED]');
  });
});
