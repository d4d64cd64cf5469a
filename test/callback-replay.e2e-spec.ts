// A callback signed for one Standard Webhooks provider cannot be replayed to another: each has its own secret.
import { randomBytes } from 'node:crypto';
import { decidedEvent, sendCallback } from './support/signed-callback';
import { startTestApp, TestApp } from './support/test-app';

const RULES_SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const HTTP_SECRET = `whsec_${randomBytes(32).toString('base64')}`;

describe('provider callbacks with rules+http (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      env: { MONITORING_PROVIDER: 'rules+http', MONITORING_HTTP_URL: 'http://127.0.0.1:9/screen', RULES_WEBHOOK_SECRET: RULES_SECRET, MONITORING_HTTP_WEBHOOK_SECRET: HTTP_SECRET },
    });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('refuses a callback signed for rules when it is replayed to http, and the other way round (401)', async () => {
    const event = decidedEvent('replayed-1', 'APPROVED');
    const headers = { 'webhook-id': 'msg_replayed_1' };
    expect((await sendCallback(t.baseUrl, event, { provider: 'http', secret: RULES_SECRET, headers })).status).toBe(401);
    expect((await sendCallback(t.baseUrl, event, { provider: 'rules', secret: HTTP_SECRET, headers })).status).toBe(401);
    // Each provider's own signature passes verification (the transaction is unknown: 404).
    expect((await sendCallback(t.baseUrl, event, { provider: 'rules', secret: RULES_SECRET })).status).toBe(404);
    expect((await sendCallback(t.baseUrl, event, { provider: 'http', secret: HTTP_SECRET })).status).toBe(404);
  });
});
