// POST /transaction/validate over real HTTP on the whole app and a real PostgreSQL.
import { randomUUID } from 'node:crypto';
import { httpCall } from './support/http';
import { API_KEY, postValidate, startTestApp, TestApp } from './support/test-app';

const validBody = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  transactionId: randomUUID(),
  amount: 125.5,
  currency: 'GBP',
  customerId: 'cus-1',
  sourceAccountId: `acc-${randomUUID()}`,
  paymentScheme: 'FPS',
  reference: 'Invoice 42',
  beneficiary: { name: 'Ada Lovelace', iban: 'GB33BUKB20201555555555', bic: 'BUKBGB22', country: 'GB' },
  ...overrides,
});

describe('POST /transaction/validate', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { TOQIO_PREVIOUS_API_KEYS: 'old-key-1,old-key-2' } });
  });
  afterAll(() => t.close());

  describe('decisions of the default rules', () => {
    it('approves an ordinary payment and stores it with every field it was sent', async () => {
      const body = validBody({ toqioInternal: { flags: ['a', 'b'], score: 0.5 }, concept: 'rent' });
      const call = await postValidate(t.server, body);

      expect(call).toMatchObject({ status: 200, body: { transactionId: body.transactionId, status: 'APPROVED', reasons: [] } });
      expect(call.contentType).toMatch(/^application\/json/);
      const [row] = await t.db.query<Record<string, unknown>>('SELECT * FROM transactions WHERE id = $1', [body.transactionId]);
      expect(row).toMatchObject({
        state: 'APPROVED',
        amount: '125.5',
        currency: 'GBP',
        source_account_id: body.sourceAccountId,
        provider: 'rules',
        screening_outcome: 'DECIDED',
        provider_status: 'APPROVED',
        payload: body,
      });
      expect(row!.screening_ms).toEqual(expect.any(Number));
      expect(row!.screened_at).toBeInstanceOf(Date);
      const history = await t.db.query('SELECT status, source, decided_by, reasons FROM transaction_decisions WHERE transaction_id = $1', [body.transactionId]);
      expect(history).toEqual([{ status: 'APPROVED', source: 'PROVIDER', decided_by: 'rules', reasons: [] }]);
    });

    it.each(['KP', 'IR', 'CU', 'SY', 'kp'])('rejects a payment to %s', async (country) => {
      const body = validBody({ beneficiary: { name: 'X', country } });
      await expect(postValidate(t.server, body)).resolves.toMatchObject({
        status: 200,
        body: { status: 'REJECTED', reasons: [`Beneficiary country ${country.toUpperCase()} is under comprehensive sanctions`] },
      });
    });

    it.each([10000, '10000.00', 10000.01, '750000'])('holds %s for review', async (amount) => {
      const call = await postValidate(t.server, validBody({ amount, currency: 'EUR' }));
      expect(call.body).toMatchObject({ status: 'PENDING_EXTERNAL_APPROVAL', reasons: [expect.stringContaining('review threshold of 10000 EUR')] });
    });

    it('decides on the exact decimal the client wrote, not on its float', async () => {
      // JSON.parse reads 9999.999999999999999 as 10000; the service must not.
      const id = randomUUID();
      const call = await postValidate(t.server, `{"transactionId":"${id}","amount":9999.999999999999999,"currency":"GBP"}`);
      expect(call.body).toMatchObject({ status: 'APPROVED' });
      const [row] = await t.db.query<{ amount: string }>('SELECT amount::text FROM transactions WHERE id = $1', [id]);
      expect(row!.amount).toBe('9999.999999999999999');
    });

    it('holds the eleventh payment from one source account within a minute', async () => {
      const sourceAccountId = `acc-${randomUUID()}`;
      const statuses: unknown[] = [];
      for (let i = 0; i < 11; i += 1) statuses.push((await postValidate(t.server, validBody({ sourceAccountId }))).body.status);
      expect(statuses.slice(0, 10)).toEqual(Array(10).fill('APPROVED'));
      expect(statuses[10]).toBe('PENDING_EXTERNAL_APPROVAL');
      const other = await postValidate(t.server, validBody());
      expect(other.body.status).toBe('APPROVED');
    });

    it('accepts `id` in place of transactionId and bankPaymentScheme in place of paymentScheme', async () => {
      const id = randomUUID();
      const { transactionId: _omit, paymentScheme: _scheme, ...rest } = validBody();
      const call = await postValidate(t.server, { ...rest, id, bankPaymentScheme: 'SEPA' });
      expect(call).toMatchObject({ status: 200, body: { transactionId: id, status: 'APPROVED' } });
      const [row] = await t.db.query<{ payment_scheme: string }>('SELECT payment_scheme FROM transactions WHERE id = $1', [id]);
      expect(row!.payment_scheme).toBe('SEPA');
    });
  });

  describe('idempotency on transactionId', () => {
    it('answers a repeat with the current status without screening again', async () => {
      const body = validBody({ amount: '20000' });
      const first = await postValidate(t.server, body);
      const again = await postValidate(t.server, { ...body, amount: 20000.0, note: 'unknown fields may change' });

      expect(again).toMatchObject({ status: 200, body: first.body });
      const history = await t.db.query('SELECT id FROM transaction_decisions WHERE transaction_id = $1', [body.transactionId]);
      expect(history).toHaveLength(1);
    });

    it.each([
      ['amount', { amount: 125.51 }],
      ['currency', { currency: 'EUR' }],
      ['beneficiary', { beneficiary: { name: 'Ada Lovelace', iban: 'GB94BARC10201530093459', bic: 'BUKBGB22', country: 'GB' } }],
    ])('refuses a repeat with a different %s with 409 and changes nothing', async (field, change) => {
      const body = validBody();
      await postValidate(t.server, body);
      const [before] = await t.db.query('SELECT * FROM transactions WHERE id = $1', [body.transactionId]);

      const conflict = await postValidate(t.server, { ...body, ...change });

      expect(conflict.status).toBe(409);
      expect(conflict.contentType).toMatch(/^application\/problem\+json/);
      expect(conflict.body).toMatchObject({ status: 409, title: 'Transaction conflict', detail: expect.stringContaining(field) });
      const [after] = await t.db.query('SELECT * FROM transactions WHERE id = $1', [body.transactionId]);
      expect(after).toEqual(before);
    });

    it('screens two identical requests arriving at the same instant once, with one answer', async () => {
      const body = validBody({ amount: 15000 });
      const calls = await Promise.all(Array.from({ length: 8 }, () => postValidate(t.server, body)));

      for (const call of calls) expect(call).toMatchObject({ status: 200, body: calls[0]!.body });
      const history = await t.db.query('SELECT id FROM transaction_decisions WHERE transaction_id = $1', [body.transactionId]);
      expect(history).toHaveLength(1);
    });

    it('answers every faithful repeat while repeats with another currency arrive beside it; only those are refused', async () => {
      const body = validBody({ amount: 20000 });
      const first = await postValidate(t.server, body);
      expect(first.body.status).toBe('PENDING_EXTERNAL_APPROVAL');
      for (let round = 0; round < 10; round += 1) {
        const [other, same] = await Promise.all([postValidate(t.server, { ...body, currency: 'EUR' }), postValidate(t.server, body)]);
        expect([other.status, same.status, same.body.status]).toEqual([409, 200, 'PENDING_EXTERNAL_APPROVAL']);
      }
    });
  });

  describe('authentication', () => {
    it.each([
      ['no key', {}],
      ['a wrong key', { 'x-api-key': 'nope' }],
      ['the key in another header', { 'x-api-key': '', authorization: API_KEY }],
    ])('answers 401 problem+json for %s and stores nothing', async (_case, headers) => {
      const body = validBody();
      const response = await httpCall(t.server, 'POST', '/transaction/validate', { headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ status: 401, title: 'Unauthorized', detail: expect.stringContaining('x-api-key') });
      await expect(t.db.query('SELECT id FROM transactions WHERE id = $1', [body.transactionId])).resolves.toEqual([]);
    });

    it('accepts the previous keys during a rotation', async () => {
      await expect(postValidate(t.server, validBody(), { 'x-api-key': 'old-key-2' })).resolves.toMatchObject({ status: 200 });
    });
  });

  describe('bad input', () => {
    it('names each invalid field', async () => {
      const call = await postValidate(t.server, {
        amount: -5,
        currency: 'pounds',
        customerId: 42,
        createdAt: 'yesterday',
        beneficiary: { country: 'XX', iban: ['GB'] },
      });
      expect(call.status).toBe(400);
      expect(call.contentType).toMatch(/^application\/problem\+json/);
      expect(call.body).toMatchObject({ type: expect.stringContaining('invalid-request'), title: 'Invalid request', status: 400 });
      const fields = (call.body.errors as { field: string }[]).map((error) => error.field).sort();
      expect(fields).toEqual(['amount', 'beneficiary.country', 'beneficiary.iban', 'createdAt', 'currency', 'customerId', 'transactionId']);
    });

    it.each([
      ['a zero amount', { amount: 0 }, 'amount'],
      ['a negative string amount', { amount: '-1' }, 'amount'],
      ['an amount with a comma', { amount: '1,5' }, 'amount'],
      ['a boolean amount', { amount: true }, 'amount'],
      ['a null amount', { amount: null }, 'amount'],
      ['too many decimals', '{"transactionId":"dec","amount":0.1234567890123456789,"currency":"GBP"}', 'amount'],
      ['an infinite amount', '{"transactionId":"inf","amount":1e999,"currency":"GBP"}', 'amount'],
      ['a null currency', { currency: null }, 'currency'],
      ['a two-letter currency', { currency: 'GB' }, 'currency'],
      ['a 129-character id', { transactionId: 'x'.repeat(129) }, 'transactionId'],
      ['an empty id', { transactionId: '' }, 'transactionId'],
      ['a numeric id', { transactionId: 7 }, 'transactionId'],
      ['a null alias id and no transactionId', '{"id":null,"amount":1,"currency":"GBP"}', 'transactionId'],
      ['a null transactionId beside an alias', '{"transactionId":null,"id":"alias-1","amount":1,"currency":"GBP"}', 'transactionId'],
      ['a numeric alias id', '{"id":7,"amount":1,"currency":"GBP"}', 'id'],
      ['a beneficiary that is a string', { beneficiary: 'Ada' }, 'beneficiary'],
    ])('answers 400 for %s', async (_case, change, field) => {
      const body = typeof change === 'string' ? change : validBody(change);
      const call = await postValidate(t.server, body);
      expect(call.status).toBe(400);
      expect(call.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    });

    it.each([
      ['malformed JSON', '{"transactionId": "a",'],
      ['an empty body', ''],
      ['a JSON array', '[1,2]'],
      ['a JSON string', '"hello"'],
      ['JSON null', 'null'],
      ['a NUL character', '{"transactionId":"n","amount":1,"currency":"GBP","note":"a\\u0000b"}'],
      ['an unpaired surrogate', '{"transactionId":"s","amount":1,"currency":"GBP","beneficiary":{"name":"\\ud800"}}'],
      ['deep nesting', `{"transactionId":"d","amount":1,"currency":"GBP","x":${'['.repeat(5000)}${']'.repeat(5000)}}`],
      ['a prototype key', '{"transactionId":"p","amount":1,"currency":"GBP","__proto__":{"admin":true}}'],
      // An own constructor hid the DTO's class from class-validator: nothing was checked, or null made it throw (500).
      ['a constructor member hiding every rule', `{"constructor":"x","transactionId":"p","amount":1,"currency":"GBP","reference":"${'r'.repeat(2_000)}","beneficiary":"GB33"}`],
      ['a null constructor member', '{"constructor":null,"transactionId":"p","amount":1,"currency":"GBP"}'],
      ['a constructor member in the beneficiary', '{"transactionId":"p","amount":1,"currency":"GBP","beneficiary":{"constructor":1,"name":5,"country":["KP"]}}'],
      ['an extra number PostgreSQL cannot store', '{"transactionId":"n","amount":1,"currency":"GBP","extra":1e131072}'],
      ['an extra number with 20,000 decimals', `{"transactionId":"n","amount":1,"currency":"GBP","extra":0.${'0'.repeat(20_000)}1}`],
    ])('answers 400 problem+json for %s and stores nothing', async (_case, raw) => {
      const call = await postValidate(t.server, raw);
      expect(call.status).toBe(400);
      expect(call.contentType).toMatch(/^application\/problem\+json/);
      expect(call.body).toMatchObject({ status: 400, title: expect.any(String), detail: expect.any(String) });
      await expect(t.db.query("SELECT id FROM transactions WHERE id IN ('n','s','d','p')")).resolves.toEqual([]);
    });

    it("refuses an id in the namespace of money received, which a payment's screening needs, and stores nothing", async () => {
      const ids = ['paystack:T-REF-1', 'paystack-check:transfer.success:TRF_1', 'payto-query:CASE-1'];
      for (const transactionId of ids) {
        const call = await postValidate(t.server, { transactionId, amount: '10.00', currency: 'GBP' });
        const errors = call.body.errors as { field: string }[] | undefined;
        expect({ transactionId, status: call.status, field: errors?.[0]?.field }).toEqual({ transactionId, status: 400, field: 'transactionId' });
      }
      expect((await postValidate(t.server, { id: 'payto:MPIR-1', amount: '10.00', currency: 'GBP' })).body.errors).toEqual([{ field: 'id', message: expect.stringContaining('namespace of money received') }]);
      await expect(t.db.query('SELECT id FROM transactions WHERE id = ANY($1)', [[...ids, 'payto:MPIR-1']])).resolves.toEqual([]);
      // Any other colon is a Toqio id like another.
      expect((await postValidate(t.server, { transactionId: `toqio:${Date.now()}`, amount: '10.00', currency: 'GBP' })).status).toBe(200);
    });

    it('answers 413 for a body over 100 KiB', async () => {
      const call = await postValidate(t.server, validBody({ padding: 'x'.repeat(100 * 1024) }));
      expect(call).toMatchObject({ status: 413, body: { status: 413 } });
      expect(call.contentType).toMatch(/^application\/problem\+json/);
    });

    it('accepts a body just under 100 KiB', async () => {
      const body: Record<string, unknown> = validBody({ padding: '' });
      body.padding = 'x'.repeat(100 * 1024 - JSON.stringify(body).length);
      await expect(postValidate(t.server, body)).resolves.toMatchObject({ status: 200 });
    });

    it.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])('answers 415 for %s', async (type) => {
      const response = await httpCall(t.server, 'POST', '/transaction/validate', { headers: { 'content-type': type, 'x-api-key': API_KEY }, body: JSON.stringify(validBody()) });
      expect(response.status).toBe(415);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    });

    it('takes application/json with a charset and vendor +json types', async () => {
      for (const type of ['application/json; charset=utf-8', 'application/vnd.toqio+json']) {
        await expect(postValidate(t.server, validBody(), { 'content-type': type })).resolves.toMatchObject({ status: 200 });
      }
    });

    it('answers unknown routes with 404 problem+json', async () => {
      const response = await httpCall(t.server, 'GET', '/transaction/unknown');
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    });
  });
});
