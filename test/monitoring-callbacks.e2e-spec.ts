// Monitoring providers deciding held transactions through signed Standard Webhooks callbacks.
import { randomBytes, randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { FakeToqioWebhook } from './fakes/fake-toqio-webhook';
import { analystCall, ANALYST_TOKENS, ANALYSTS, decide } from './support/analyst-api';
import { httpCall, HttpTarget } from './support/http';
import { API_KEY, postValidate, startTestApp, TestApp } from './support/test-app';
import { readUntil } from './support/waiting';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;

interface CallbackCall {
  status: number;
  contentType: string;
  body: Record<string, any>;
}

interface CallbackOptions {
  provider?: string;
  id?: string;
  /** When the provider says it signed; defaults to now. */
  at?: Date;
  secret?: string;
  /** Replaces the computed headers (undefined drops one). */
  headers?: Record<string, string | undefined>;
  /** Changes the body after signing, as an attacker would. */
  tamper?: (signed: string) => string;
}

/** Signs `body` (an object or the exact text) like a provider would, and POSTs it. */
async function callback(target: HttpTarget, body: unknown, options: CallbackOptions = {}): Promise<CallbackCall> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const id = options.id ?? `msg_${randomUUID()}`;
  const at = options.at ?? new Date();
  const signed = new Webhook(options.secret ?? SECRET).sign(id, at, text);
  const computed: Record<string, string | undefined> = {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signed,
    ...options.headers,
  };
  const headers = Object.fromEntries(Object.entries(computed).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const { status, contentType, body: answer } = await httpCall(target, 'POST', `/webhooks/monitoring/${options.provider ?? 'rules'}`, { headers, body: options.tamper ? options.tamper(text) : text });
  return { status, contentType, body: answer };
}

const decided = (transactionId: string, status: string, reasons: string[] = ['Cleared by the case tool']) => ({
  type: 'transaction.decided',
  timestamp: new Date().toISOString(),
  data: { transactionId, status, reasons },
});

describe('monitoring provider callbacks (Standard Webhooks)', () => {
  let t: TestApp;
  const toqio = new FakeToqioWebhook();

  beforeAll(async () => {
    await toqio.start();
    t = await startTestApp({ env: { ANALYST_TOKENS, TOQIO_WEBHOOK_URL: toqio.url, MONITORING_WEBHOOK_SECRET: SECRET, NOTIFICATION_POLL_MS: '100' } });
  });
  afterAll(async () => {
    await t.close();
    await toqio.stop();
  });

  /** A payment the shipped rules hold for review (10,000 or more). */
  async function held(): Promise<string> {
    const transactionId = `cb-${randomUUID()}`;
    const call = await postValidate(t.server, { transactionId, amount: 12_000, currency: 'GBP', beneficiary: { name: 'Ada', country: 'GB' } });
    expect(call.body.status).toBe('PENDING_EXTERNAL_APPROVAL');
    return transactionId;
  }

  /** What a refused callback must leave untouched. */
  async function footprint(transactionId: string) {
    const [row] = await t.db.query<{ state: string; decisions: number; notifications: number; callbacks: number }>(
      `SELECT state,
              (SELECT count(*)::int FROM transaction_decisions WHERE transaction_id = $1) AS decisions,
              (SELECT count(*)::int FROM toqio_notifications WHERE transaction_id = $1) AS notifications,
              (SELECT count(*)::int FROM monitoring_callbacks) AS callbacks
         FROM transactions WHERE id = $1`,
      [transactionId],
    );
    return row;
  }

  function deliveriesOf(transactionId: string) {
    return toqio.received.filter((r) => r.body.transactionId === transactionId);
  }

  it("applies a signed decision as the provider's, final at once, and delivers it to Toqio exactly once", async () => {
    const transactionId = await held();

    const call = await callback(t.server, decided(transactionId, 'APPROVED', ['Case 4711 closed: invoice verified']));

    expect(call).toMatchObject({ status: 200, body: { transactionId, outcome: 'APPLIED' } });
    expect(call.contentType).toMatch(/^application\/json/);
    await toqio.waitFor(() => deliveriesOf(transactionId).length > 0);
    await new Promise((resolve) => setTimeout(resolve, 300)); // room for a wrong second delivery
    const received = deliveriesOf(transactionId);
    expect(received).toHaveLength(1);
    expect(received[0]!.headers).toMatchObject({ 'x-api-key': API_KEY, 'idempotency-key': expect.any(String) });
    expect(received[0]!.body).toEqual({
      transactionId,
      status: 'APPROVED',
      reason: 'Case 4711 closed: invoice verified',
      decidedBy: 'rules',
      decidedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
    });
    // The fake counts a delivery before answering it; the service records it once answered.
    const detail = await readUntil(() => analystCall(t.server, 'GET', `/transactions/${transactionId}`, { token: ANALYSTS.alice }), (d) => d.body.notifications[0]?.state === 'DELIVERED');
    expect(detail.body).toMatchObject({ status: 'APPROVED', reasons: ['Case 4711 closed: invoice verified'] });
    expect(detail.body.decisions.map((d: Record<string, unknown>) => [d.status, d.final, d.source, d.decidedBy])).toEqual([
      ['PENDING_EXTERNAL_APPROVAL', false, 'PROVIDER', 'rules'],
      ['APPROVED', true, 'PROVIDER', 'rules'],
    ]);
    expect(detail.body.notifications).toEqual([expect.objectContaining({ id: received[0]!.headers['idempotency-key'], state: 'DELIVERED' })]);
  });

  it('applies a rejection with the default reason when the provider gives none', async () => {
    const transactionId = await held();

    const call = await callback(t.server, { type: 'transaction.decided', timestamp: new Date().toISOString(), data: { transactionId, status: 'REJECTED' } });

    expect(call).toMatchObject({ status: 200, body: { transactionId, outcome: 'APPLIED' } });
    await toqio.waitFor(() => deliveriesOf(transactionId).length > 0);
    expect(deliveriesOf(transactionId)[0]!.body).toMatchObject({ status: 'REJECTED', decidedBy: 'rules', reason: 'Decided by monitoring provider "rules"' });
  });

  it('applies a signed decision whose event holds a NUL and deep nesting, storing its reasons cleaned', async () => {
    const transactionId = await held();
    let deep: unknown = 'bottom';
    for (let level = 0; level < 40; level += 1) deep = { level: deep };
    const event = { ...decided(transactionId, 'REJECTED', ['Blocked\u0000 by case 9']), context: { note: 'tab\u0000', deep } };

    const call = await callback(t.server, event);

    expect(call).toMatchObject({ status: 200, body: { transactionId, outcome: 'APPLIED' } });
    await toqio.waitFor(() => deliveriesOf(transactionId).length > 0);
    expect(deliveriesOf(transactionId)[0]!.body).toMatchObject({ status: 'REJECTED', reason: 'Blocked by case 9' });
  });

  it('answers a replayed webhook-id DUPLICATE, with no second entry or notification', async () => {
    const transactionId = await held();
    const id = `msg_${randomUUID()}`;
    const body = JSON.stringify(decided(transactionId, 'APPROVED'));
    expect((await callback(t.server, body, { id })).body.outcome).toBe('APPLIED');
    await toqio.waitFor(() => deliveriesOf(transactionId).length > 0);
    const before = await footprint(transactionId);

    const replay = await callback(t.server, body, { id });
    // Providers re-sign every retry: same id, later timestamp.
    const resent = await callback(t.server, body, { id, at: new Date(Date.now() + 2_000) });
    const changedMind = await callback(t.server, decided(transactionId, 'REJECTED'), { id });

    for (const call of [replay, resent, changedMind]) expect(call).toMatchObject({ status: 200, body: { transactionId, outcome: 'DUPLICATE' } });
    await new Promise((resolve) => setTimeout(resolve, 300)); // room for a wrong second delivery
    expect(await footprint(transactionId)).toEqual(before);
    expect(before).toMatchObject({ state: 'APPROVED', decisions: 2, notifications: 1 });
    expect(deliveriesOf(transactionId)).toHaveLength(1);
  });

  it('applies exactly one of several identical callbacks arriving at once', async () => {
    const transactionId = await held();
    const id = `msg_${randomUUID()}`;
    const body = JSON.stringify(decided(transactionId, 'REJECTED'));

    const calls = await Promise.all(Array.from({ length: 6 }, () => callback(t.server, body, { id })));

    expect(calls.map((call) => call.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(calls.map((call) => call.body.outcome).sort()).toEqual(['APPLIED', 'DUPLICATE', 'DUPLICATE', 'DUPLICATE', 'DUPLICATE', 'DUPLICATE']);
    expect(await footprint(transactionId)).toMatchObject({ state: 'REJECTED', decisions: 2, notifications: 1 });
  });

  it('gives exactly one of two different callbacks racing on one transaction the decision', async () => {
    const transactionId = await held();

    const calls = await Promise.all([callback(t.server, decided(transactionId, 'APPROVED')), callback(t.server, decided(transactionId, 'REJECTED'))]);

    expect(calls.map((call) => call.body.outcome).sort()).toEqual(['APPLIED', 'NOT_PENDING']);
    expect(await footprint(transactionId)).toMatchObject({ decisions: 2, notifications: 1 });
  });

  /** The notes of the transaction's detail, as analysts see them. */
  async function notesOf(transactionId: string): Promise<{ author: string; text: string }[]> {
    const { body } = await analystCall(t.server, 'GET', `/transactions/${encodeURIComponent(transactionId)}`, { token: ANALYSTS.alice });
    return body.notes;
  }

  it('answers NOT_PENDING for a transaction an analyst already decided, changing no decision and keeping the late one as a note, once', async () => {
    const transactionId = await held();
    expect((await decide(t.server, transactionId, 'alice', 'REJECTED', 'Beneficiary on an internal watch list')).status).toBe(200);
    await toqio.waitFor(() => deliveriesOf(transactionId).length > 0);
    const before = await footprint(transactionId);

    const id = `msg_${randomUUID()}`;
    const call = await callback(t.server, decided(transactionId, 'APPROVED', ['Alert closed: false positive']), { id });
    const replay = await callback(t.server, decided(transactionId, 'APPROVED', ['Alert closed: false positive']), { id });

    expect(call).toMatchObject({ status: 200, body: { transactionId, outcome: 'NOT_PENDING' } });
    expect(replay).toMatchObject({ status: 200, body: { transactionId, outcome: 'DUPLICATE' } });
    // The decision, the transaction and what Toqio is told stay as they were; only the callback's receipt is new.
    expect(await footprint(transactionId)).toEqual({ ...before, callbacks: before!.callbacks + 1 });
    expect(await notesOf(transactionId)).toEqual([
      expect.objectContaining({
        author: 'provider rules',
        text: 'Provider rules decided APPROVED after the transaction was final, against its REJECTED. It changes nothing: the transaction stays REJECTED. Its reasons: Alert closed: false positive',
      }),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(deliveriesOf(transactionId).map((r) => r.body)).toEqual([expect.objectContaining({ status: 'REJECTED', decidedBy: 'alice' })]);
  });

  it('answers NOT_PENDING for a transaction approved at validate, keeping a later rejection as a note in its chain', async () => {
    const transactionId = `auto-${randomUUID()}`;
    await postValidate(t.server, { transactionId, amount: 10, currency: 'GBP' });

    await expect(callback(t.server, decided(transactionId, 'REJECTED', ['Post-payment: mule pattern']))).resolves.toMatchObject({ status: 200, body: { outcome: 'NOT_PENDING' } });
    expect(await footprint(transactionId)).toMatchObject({ state: 'APPROVED', decisions: 1, notifications: 0 });
    expect(await notesOf(transactionId)).toEqual([expect.objectContaining({ author: 'provider rules', text: expect.stringMatching(/^Provider rules decided REJECTED after .* against its APPROVED\..*Post-payment: mule pattern$/) })]);
    const chain = await t.db.query<{ sequence: number }>('SELECT sequence FROM audit_chain_entries WHERE transaction_id = $1 ORDER BY sequence', [transactionId]);
    expect(chain.map((entry) => entry.sequence)).toEqual([1, 2]);
  });

  describe('refused before anything is recorded', () => {
    it.each<[string, CallbackOptions]>([
      ['a signature made with another secret', { secret: `whsec_${randomBytes(32).toString('base64')}` }],
      ['a signature of other bytes', { tamper: (signed) => signed.replace('APPROVED', 'REJECTED') }],
      ['a garbage signature', { headers: { 'webhook-signature': 'v1,bm90IGEgc2lnbmF0dXJl' } }],
      ['a signature of an unknown version only', { headers: { 'webhook-signature': 'v2,bm90IGEgc2lnbmF0dXJl' } }],
      ['a timestamp six minutes old', { at: new Date(Date.now() - 6 * 60_000) }],
      ['a timestamp six minutes ahead', { at: new Date(Date.now() + 6 * 60_000) }],
      ['a timestamp that is not a number', { headers: { 'webhook-timestamp': 'yesterday' } }],
      ['no webhook-signature', { headers: { 'webhook-signature': undefined } }],
      ['no webhook-id', { headers: { 'webhook-id': undefined } }],
      ['no webhook-timestamp', { headers: { 'webhook-timestamp': undefined } }],
    ])('answers 401 problem+json for %s', async (_case, options) => {
      const transactionId = await held();
      const body = decided(transactionId, 'APPROVED');
      const before = await footprint(transactionId);

      const call = await callback(t.server, body, options);

      expect(call).toMatchObject({ status: 401, body: { status: 401, title: 'Webhook not authentic' } });
      expect(call.contentType).toMatch(/^application\/problem\+json/);
      expect(await footprint(transactionId)).toEqual(before);
      expect(before).toMatchObject({ state: 'PENDING_EXTERNAL_APPROVAL', decisions: 1, notifications: 0 });
    });

    it('accepts a rotation header carrying an old and a new signature', async () => {
      const transactionId = await held();
      const id = `msg_${randomUUID()}`;
      const at = new Date();
      const text = JSON.stringify(decided(transactionId, 'APPROVED'));
      const stale = new Webhook(`whsec_${randomBytes(32).toString('base64')}`).sign(id, at, text);
      const current = new Webhook(SECRET).sign(id, at, text);

      const call = await callback(t.server, text, { id, at, headers: { 'webhook-signature': `${stale} ${current}` } });

      expect(call).toMatchObject({ status: 200, body: { outcome: 'APPLIED' } });
    });

    it.each<[string, (transactionId: string) => unknown, string | undefined]>([
      ['an unknown event type', (id) => ({ ...decided(id, 'APPROVED'), type: 'transaction.created' }), 'type'],
      ['no data', () => ({ type: 'transaction.decided', timestamp: new Date().toISOString() }), 'data'],
      ['a pending status', (id) => decided(id, 'PENDING_EXTERNAL_APPROVAL'), 'data.status'],
      ['a lower-case status', (id) => decided(id, 'approved'), 'data.status'],
      ['a numeric transactionId', () => ({ type: 'transaction.decided', data: { transactionId: 42, status: 'APPROVED' } }), 'data.transactionId'],
      ['a 129-character transactionId', () => decided('x'.repeat(129), 'APPROVED'), 'data.transactionId'],
      ['reasons that are not strings', (id) => ({ type: 'transaction.decided', data: { transactionId: id, status: 'APPROVED', reasons: [1] } }), 'data.reasons'],
      ['a JSON array', () => [], undefined],
    ])('answers 400 for a signed body with %s, and records nothing', async (_case, body, field) => {
      const transactionId = await held();
      const before = await footprint(transactionId);

      const call = await callback(t.server, body(transactionId));

      expect(call).toMatchObject({ status: 400, body: { status: 400 } });
      expect(call.contentType).toMatch(/^application\/problem\+json/);
      if (field) expect(call.body.errors).toEqual([expect.objectContaining({ field })]);
      expect(await footprint(transactionId)).toEqual(before);
    });

    it('answers 400 for a body that is not JSON', async () => {
      const call = await callback(t.server, 'not json');
      expect(call).toMatchObject({ status: 400, body: { status: 400 } });
    });

    it('answers 404 for a transaction this service never saw, and keeps no receipt', async () => {
      const id = `msg_${randomUUID()}`;
      const call = await callback(t.server, decided(`unknown-${randomUUID()}`, 'APPROVED'), { id });
      expect(call).toMatchObject({ status: 404, body: { status: 404 } });
      expect(await t.db.query('SELECT * FROM monitoring_callbacks WHERE event_id = $1', [id])).toEqual([]);
    });

    it.each(['flagright', 'RULES', 'scripted'])('answers 404 for the provider %s, which sends no callbacks here', async (provider) => {
      const transactionId = await held();
      const call = await callback(t.server, decided(transactionId, 'APPROVED'), { provider });
      expect(call).toMatchObject({ status: 404, body: { status: 404 } });
      expect(await footprint(transactionId)).toMatchObject({ state: 'PENDING_EXTERNAL_APPROVAL', decisions: 1 });
    });
  });
});

describe('monitoring provider callbacks without MONITORING_WEBHOOK_SECRET', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('answers 404 for every provider, even to a correctly signed callback', async () => {
    const transactionId = `off-${randomUUID()}`;
    await postValidate(t.server, { transactionId, amount: 12_000, currency: 'GBP' });

    for (const provider of ['rules', 'flagright']) {
      const call = await callback(t.server, decided(transactionId, 'APPROVED'), { provider });
      expect(call).toMatchObject({ status: 404, body: { status: 404 } });
    }
    const [{ state }] = await t.db.query<{ state: string }>('SELECT state FROM transactions WHERE id = $1', [transactionId]);
    expect(state).toBe('PENDING_EXTERNAL_APPROVAL');
  });
});
