// Hostile input at the edge: byte order marks, cursors with a NUL, ids every intake stores that the analyst API must
// still reach, and dates JavaScript reads but PostgreSQL refuses.
import { createHmac, generateKeyPairSync, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { analystCall, ANALYST_TOKENS, ANALYSTS, decide } from './support/analyst-api';
import { API_KEY, postValidate, startTestApp, TestApp } from './support/test-app';
import { readUntil } from './support/waiting';

const PAYSTACK_SECRET = 'sk_test_hostile_0123456789abcdef0123456789';
const PAYTO_KEY = 'payto-hostile-key-0123456789abcdef';
const anz = generateKeyPairSync('rsa', { modulusLength: 2048 });

describe('hostile input at the edge', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      env: {
        ANALYST_TOKENS,
        PAYSTACK_SECRET_KEY: PAYSTACK_SECRET,
        PAYTO_API_KEY: PAYTO_KEY,
        PAYTO_SIGNING_PUBLIC_KEY: anz.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      },
    });
  });
  afterAll(() => t.close());

  const stateOf = async (id: string) => (await t.db.query<{ state: string }>('SELECT state FROM transactions WHERE id = $1', [id]))[0]?.state;
  const path = (id: string) => `/transactions/${encodeURIComponent(id)}`;
  const paystack = (text: string) =>
    fetch(`${t.baseUrl}/webhooks/paystack`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-paystack-signature': createHmac('sha512', PAYSTACK_SECRET).update(text).digest('hex') },
      body: text,
    });
  const charge = (reference: string, kobo: number) => ({
    event: 'charge.success',
    data: { id: Math.floor(Math.random() * 1e12), status: 'success', reference, amount: kobo, currency: 'NGN', paid_at: '2026-11-20T10:32:40.000Z', customer: { customer_code: 'CUS_1' } },
  });
  const paytoQuery = async (caseId: string, creationDateTime = '2026-11-20T10:05:00.000Z') => {
    const payload = {
      creation_date_time: creationDateTime,
      case_id: caseId,
      case_type: 'Mandate Query Payments',
      reminder_count: '0',
      narrative: 'Payer does not recognise',
      payment_details: { original_transaction_amount: { currency: 'AUD', amount: '562.89' } },
    };
    const token = await new SignJWT(payload).setProtectedHeader({ alg: 'RS256' }).setIssuedAt().sign(anz.privateKey);
    return fetch(`${t.baseUrl}/webhooks/payto/queries`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', apikey: PAYTO_KEY, 'x-message-id': randomUUID() },
      body: JSON.stringify({ secured_payload: token }),
    });
  };

  describe('case 4: a body that starts with a UTF-8 byte order mark', () => {
    it('validate answers 200 and stores the JSON document', async () => {
      const transactionId = `bom-${randomUUID()}`;
      const call = await postValidate(t.server, `\uFEFF{"transactionId":"${transactionId}","amount":12.50,"currency":"GBP"}`);
      expect(call).toMatchObject({ status: 200, body: { transactionId, status: 'APPROVED' } });
      const detail = await analystCall(t.server, 'GET', path(transactionId), { token: ANALYSTS.alice });
      expect(detail.body.payload).toEqual({ transactionId, amount: 12.5, currency: 'GBP' });
    });

    it('a correctly signed Paystack event is verified on the bytes sent and stored without the mark', async () => {
      const reference = `bom-${randomUUID()}`;
      const response = await paystack(`\uFEFF${JSON.stringify(charge(reference, 250_050))}`);
      expect(response.status).toBe(200);
      expect(await readUntil(() => stateOf(`paystack:${reference}`), (state) => state === 'APPROVED')).toBe('APPROVED');
      const [event] = await t.db.query<{ reference: string }>(`SELECT payload->'data'->>'reference' AS reference FROM payment_events WHERE payload->'data'->>'reference' = $1`, [reference]);
      expect(event).toEqual({ reference });
    });
  });

  describe('case 8: bytes that are not UTF-8, and a charset other than UTF-8', () => {
    const validateBytes = (bytes: Buffer, contentType = 'application/json') =>
      fetch(`${t.baseUrl}/transaction/validate`, { method: 'POST', headers: { 'content-type': contentType, 'x-api-key': API_KEY }, body: bytes });
    /** A validate body whose beneficiary name is "Zoë Smith" in Latin-1: 0xEB alone is no UTF-8. */
    const latin1 = (transactionId: string) => Buffer.from(`{"transactionId":"${transactionId}","amount":12,"currency":"GBP","beneficiary":{"name":"Zo\u00eb Smith","country":"GB"}}`, 'latin1');

    it('validate refuses a body that is not UTF-8 with a 400 naming it, and stores nothing', async () => {
      const transactionId = `latin1-${randomUUID()}`;
      const response = await validateBytes(latin1(transactionId));
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await response.json()).toMatchObject({ status: 400, detail: 'The request body is not valid UTF-8' });
      expect(await stateOf(transactionId)).toBeUndefined();
    });

    it('validate answers 415 for a declared charset other than UTF-8, and takes UTF-8 declared in any case', async () => {
      const refused = `latin1-${randomUUID()}`;
      const response = await validateBytes(latin1(refused), 'application/json; charset=ISO-8859-1');
      expect(response.status).toBe(415);
      expect(await response.json()).toMatchObject({ status: 415, detail: 'JSON is read as UTF-8 only; the body declares charset=iso-8859-1' });
      expect(await stateOf(refused)).toBeUndefined();

      const accepted = `utf8-${randomUUID()}`;
      const ok = await validateBytes(Buffer.from(`{"transactionId":"${accepted}","amount":12,"currency":"GBP","beneficiary":{"name":"Zoë Smith","country":"GB"}}`), 'application/json; charset="UTF-8"');
      expect(ok.status).toBe(200);
      const detail = await analystCall(t.server, 'GET', path(accepted), { token: ANALYSTS.alice });
      expect(detail.body.payload.beneficiary.name).toBe('Zoë Smith');
    });

    it('a Paystack event signed over bytes that are not UTF-8 is verified on those bytes, answered 200 and kept unread', async () => {
      const reference = `latin1-${randomUUID()}`;
      const bytes = Buffer.from(JSON.stringify(charge(reference, 250_050)).replace('"CUS_1"', '"CUS_\u00e9"'), 'latin1');
      const response = await fetch(`${t.baseUrl}/webhooks/paystack`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-paystack-signature': createHmac('sha512', PAYSTACK_SECRET).update(bytes).digest('hex') },
        body: bytes,
      });
      expect(response.status).toBe(200);
      const answer = (await response.json()) as { eventId: string; unparsed: string };
      expect(answer).toMatchObject({ received: true, unparsed: 'The request body is not valid UTF-8' });
      const [event] = await t.db.query<{ outcome: string; reason: string | null }>('SELECT outcome, reason FROM payment_events WHERE id = $1', [answer.eventId]);
      expect(event).toEqual({ outcome: 'UNPARSED', reason: 'The request body is not valid UTF-8' });
      expect(await stateOf(`paystack:${reference}`)).toBeUndefined();
    });
  });

  describe('case 9: an object that repeats a key', () => {
    it('validate refuses it with a 400 naming the key, and stores nothing: readers disagree on which value counts', async () => {
      const transactionId = `repeat-${randomUUID()}`;
      const call = await postValidate(t.server, `{"transactionId":"${transactionId}","beneficiary":{"country":"KP"},"amount":5,"currency":"GBP","beneficiary":{"country":"GB"}}`);
      expect(call).toMatchObject({ status: 400, body: { status: 400, detail: 'The request body repeats the key "beneficiary" in one object; send each key once' } });
      expect(await stateOf(transactionId)).toBeUndefined();
    });
  });

  describe('case 5: values decoded from a cursor', () => {
    const cursor = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

    it.each([
      ['a NUL in the id', ['1', 'a\u0000b']],
      ['a control character in the id', ['1', 'a\u0007b']],
      ['a lone surrogate in the id', ['1', 'a\uD800b']],
      ['an id longer than the id rule allows', ['1', 'x'.repeat(129)]],
    ])('%s is a 400 problem, not a 500', async (_what, value) => {
      const call = await analystCall(t.server, 'GET', `/transactions?cursor=${cursor(value)}`, { token: ANALYSTS.alice });
      expect(call.status).toBe(400);
      expect(call.contentType).toContain('application/problem+json');
    });
  });

  describe('case 6: one id rule, so every stored id can be read and decided through the API', () => {
    it('validate refuses control characters in transactionId and id', async () => {
      for (const body of [{ transactionId: 'ctl\u0007x' }, { id: 'ctl\u001bx' }, { transactionId: 'c1\u0085x' }]) {
        const call = await postValidate(t.server, { ...body, amount: 10, currency: 'GBP' });
        expect(call.status).toBe(400);
        expect(call.body.errors).toEqual([expect.objectContaining({ message: expect.stringContaining('no control characters') })]);
      }
    });

    it.each([
      ['100 emoji (200 UTF-16 units)', () => `${'😀'.repeat(99)}${randomUUID().slice(0, 1)}`],
      ['128 characters', () => `${randomUUID()}${'x'.repeat(92)}`],
      ['characters URLs reserve', () => `a/b?c#d%e f+${randomUUID()}`],
    ])('a held validate id of %s is read and decided through the analyst API', async (_what, makeId) => {
      const transactionId = makeId();
      expect((await postValidate(t.server, { transactionId, amount: 25_000, currency: 'GBP' })).body.status).toBe('PENDING_EXTERNAL_APPROVAL');
      expect((await analystCall(t.server, 'GET', path(transactionId), { token: ANALYSTS.alice })).status).toBe(200);
      expect((await decide(t.server, transactionId, 'bob', 'REJECTED')).status).toBe(200);
      expect(await stateOf(transactionId)).toBe('REJECTED');
    });

    it('validate refuses 129 characters', async () => {
      expect((await postValidate(t.server, { transactionId: 'x'.repeat(129), amount: 10, currency: 'GBP' })).status).toBe(400);
    });

    it('a held Paystack charge with the longest reference the rule allows is decided through the API; a longer one is kept unread, never a transaction', async () => {
      const reference = `${randomUUID()}${'中'.repeat(119 - 36)}`;
      expect((await paystack(JSON.stringify(charge(reference, 2_500_000_00)))).status).toBe(200);
      const id = `paystack:${reference}`;
      expect(await readUntil(() => stateOf(id), (state) => state === 'PENDING_EXTERNAL_APPROVAL')).toBe('PENDING_EXTERNAL_APPROVAL');
      expect((await decide(t.server, id, 'alice', 'REJECTED')).status).toBe(200);
      for (const refused of [`${reference}x`, 'ctl\u0007ref']) {
        const call = await paystack(JSON.stringify(charge(refused, 100)));
        expect(call.status).toBe(200);
        expect(((await call.json()) as { unparsed?: string }).unparsed).toMatch(/^data\.reference must be 1 to/);
        expect(await stateOf(`paystack:${refused}`)).toBeUndefined();
      }
    });

    it('a PayTo query with the longest case id the rule allows opens an alert decided through the API; a 300-character one is kept unread', async () => {
      const caseId = `${randomUUID()}${'c'.repeat(107 - 36)}`;
      expect((await paytoQuery(caseId)).status).toBe(200);
      const id = `payto-query:${caseId}`;
      expect(await readUntil(() => stateOf(id), (state) => state === 'PENDING_EXTERNAL_APPROVAL')).toBe('PENDING_EXTERNAL_APPROVAL');
      expect((await analystCall(t.server, 'GET', path(id), { token: ANALYSTS.carol })).status).toBe(200);
      expect((await decide(t.server, id, 'carol', 'APPROVED')).status).toBe(200);
      const tooLong = await paytoQuery('c'.repeat(300));
      expect(tooLong.status).toBe(200);
      expect(await t.db.query(`SELECT 1 FROM payment_events WHERE dedupe_key LIKE $1`, [`query:${'c'.repeat(300)}%`])).toEqual([]);
      expect(await t.db.query(`SELECT outcome FROM payment_events WHERE provider = 'payto' AND payload->>'case_id' = $1`, ['c'.repeat(300)])).toEqual([{ outcome: 'UNPARSED' }]);
    });
  });

  describe('case 7: dates JavaScript reads but PostgreSQL refuses (year 0, 30 February)', () => {
    const cursor = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
    const impossible = ['2024-02-30T00:00:00.000000Z', '2023-02-29T00:00:00.000000Z', '2024-04-31T00:00:00.000000Z', '0000-01-01T00:00:00.000000Z'];

    it.each(impossible)('a paging cursor at %s is a 400 problem on /payment-events and /reconciliation, not a 500', async (at) => {
      const events = await analystCall(t.server, 'GET', `/payment-events?cursor=${cursor([at, randomUUID()])}`, { token: ANALYSTS.alice });
      const reconciliation = await analystCall(t.server, 'GET', `/reconciliation?from=2026-11-20&to=2026-12-10&cursor=${cursor([at, 'k'])}`, { token: ANALYSTS.alice });
      for (const call of [events, reconciliation]) {
        expect(call.status).toBe(400);
        expect(call.contentType).toContain('application/problem+json');
      }
    });

    it.each(['0000-01-01T00:00:00Z', '-000001-01-01T00:00:00Z', '+275760-09-13T00:00:00Z'])(
      'a signed Paystack charge paid at %s is acknowledged and stored without the date, so that Paystack stops retrying',
      async (paidAt) => {
        const reference = `year-${randomUUID()}`;
        const event = charge(reference, 500_000);
        const response = await paystack(JSON.stringify({ ...event, data: { ...event.data, paid_at: paidAt } }));
        expect(response.status).toBe(200);
        const stored = await t.db.query<{ occurred_at: Date | null }>(`SELECT occurred_at FROM payment_events WHERE payload->'data'->>'reference' = $1`, [reference]);
        expect(stored).toEqual([{ occurred_at: null }]);
      },
    );

    it('a signed PayTo query created in the year 0 is answered and kept unread, so that ANZ stops redelivering', async () => {
      const caseId = `year0-${randomUUID()}`;
      expect((await paytoQuery(caseId, '0000-01-01T00:00:00Z')).status).toBe(200);
      expect(await t.db.query(`SELECT outcome FROM payment_events WHERE provider = 'payto' AND payload->>'case_id' = $1`, [caseId])).toEqual([{ outcome: 'UNPARSED' }]);
    });
  });
});
