// Property, per analyst route (decision, bulk decisions, queue query and search filters): whatever an authenticated analyst sends, no 5xx and nothing half-written.
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { ANALYST_TOKENS, ANALYSTS, DECIDERS } from './support/analyst-api';
import { FUZZ_TIMEOUT_MS, fuzzRoute, pathSegment } from './support/fuzz';
import { postValidate, startTestApp, TestApp } from './support/test-app';
import { inParallel } from './support/waiting';

const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', 'a\u0007b', 'a\u0000b', '\uD800', '中'.repeat(130), 'x'.repeat(1100), '../..', '%', '%2F', '?q=1#x'),
);

describe('the analyst API under random input', () => {
  let t: TestApp;
  const held: string[] = [];
  const tokens = [...DECIDERS];

  beforeAll(async () => {
    t = await startTestApp({ env: { ANALYST_TOKENS, FOUR_EYES_THRESHOLD: '50000' } });
    // Held by the shipped rules (10,000 or more); some above the four-eyes threshold.
    await inParallel(Array.from({ length: 60 }, (_, i) => i), 8, async (i) => {
      const transactionId = i % 3 === 0 ? `fz ${'😀'.repeat(40)} ${i}-${randomUUID()}` : `fz-${i}-${randomUUID()}`;
      const call = await postValidate(t.server, { transactionId, amount: i % 2 === 0 ? 25_000 : 75_000, currency: 'GBP' });
      if (call.body.status === 'PENDING_EXTERNAL_APPROVAL') held.push(transactionId);
    });
  });
  afterAll(() => t.close());

  it('POST /transactions/{id}/decision: no 5xx, nothing half-written', async () => {
    const id = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...held) }, { weight: 1, arbitrary: text.filter((value) => value.length > 0) });
    const decision = fc.record({
      status: fc.oneof({ weight: 6, arbitrary: fc.constantFrom('APPROVED', 'REJECTED') }, fc.constant('PENDING_EXTERNAL_APPROVAL'), text),
      reason: fc.oneof({ weight: 6, arbitrary: fc.string({ minLength: 1, maxLength: 80, unit: 'grapheme' }) }, text, fc.integer()),
    });
    const body = fc.oneof(
      { weight: 6, arbitrary: decision.map((value) => JSON.stringify(value)) },
      { weight: 1, arbitrary: fc.tuple(decision, fc.jsonValue({ maxDepth: 2 })).map(([value, extra]) => JSON.stringify({ ...value, extra })) },
      // A member named constructor once hid the DTO's rules from class-validator (or, null, made it throw).
      { weight: 1, arbitrary: fc.tuple(decision, fc.oneof(fc.constant(null), text)).map(([value, member]) => JSON.stringify({ ...value, constructor: member })) },
      { weight: 1, arbitrary: fc.oneof(fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)), fc.string({ unit: 'binary', maxLength: 60 })) },
    );
    const cases = fc.tuple(id, body, fc.constantFrom(...tokens));
    const send = ([transactionId, payload, token]: [string, string, string]) =>
      fetch(`${t.baseUrl}/transactions/${pathSegment(transactionId)}/decision`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: payload });
    await fuzzRoute('POST /transactions/{id}/decision', cases, [200, 202, 400, 404, 409, 414], send, t.db);
  }, FUZZ_TIMEOUT_MS);

  it('POST /transactions/decisions (bulk): no 5xx, nothing half-written', async () => {
    const id = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...held) }, { weight: 1, arbitrary: text });
    const item = fc.oneof(
      { weight: 6, arbitrary: fc.record({ transactionId: id, status: fc.oneof({ weight: 6, arbitrary: fc.constantFrom('APPROVED', 'REJECTED') }, text), reason: fc.oneof({ weight: 6, arbitrary: fc.string({ minLength: 1, maxLength: 40 }) }, text) }) },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
    );
    const body = fc.oneof(
      { weight: 6, arbitrary: fc.array(item, { minLength: 1, maxLength: 8 }).map((items) => JSON.stringify({ items })) },
      { weight: 1, arbitrary: fc.array(item, { minLength: 95, maxLength: 110 }).map((items) => JSON.stringify({ items })) },
      { weight: 1, arbitrary: fc.oneof(fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)), fc.string({ unit: 'binary', maxLength: 60 })) },
    );
    const cases = fc.tuple(body, fc.constantFrom(...tokens));
    const send = ([payload, token]: [string, string]) =>
      fetch(`${t.baseUrl}/transactions/decisions`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: payload });
    await fuzzRoute('POST /transactions/decisions', cases, [200, 400, 403], send, t.db);
  }, FUZZ_TIMEOUT_MS);

  it('GET /transactions (the queue query): no 5xx', async () => {
    const first = await fetch(`${t.baseUrl}/transactions?limit=5`, { headers: { authorization: `Bearer ${ANALYSTS.carol}` } });
    const issued = ((await first.json()) as { nextCursor: string }).nextCursor;
    const cursor = fc.oneof(
      { weight: 3, arbitrary: fc.constant(issued) },
      fc.tuple(fc.oneof(fc.stringMatching(/^-?\d{1,17}$/), text), fc.oneof(fc.constantFrom(...held), text)).map((pair) => Buffer.from(JSON.stringify(pair)).toString('base64url')),
      fc.jsonValue({ maxDepth: 2 }).map((value) => Buffer.from(JSON.stringify(value) ?? '').toString('base64url')),
      text,
    );
    const query = fc.record(
      {
        status: fc.oneof({ weight: 4, arbitrary: fc.constantFrom('PENDING_EXTERNAL_APPROVAL', 'APPROVED', 'REJECTED') }, text),
        direction: fc.oneof({ weight: 4, arbitrary: fc.constantFrom('INBOUND', 'OUTBOUND') }, text),
        assignee: fc.oneof({ weight: 4, arbitrary: fc.constantFrom('me', 'none', 'alice') }, text),
        limit: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 200 }).map(String) }, fc.integer({ min: -5, max: 600 }).map(String), text),
        cursor,
        // The search filters: mostly well formed, so that the SQL behind them runs, now and then not.
        q: fc.oneof({ weight: 8, arbitrary: fc.string({ minLength: 3, maxLength: 30, unit: 'grapheme' }) }, fc.constantFrom('fz-1', '😀😀😀', '%_\\', 'a%b_c', 'gb29 nwbk'), text),
        sourceAccountId: fc.oneof({ weight: 4, arbitrary: fc.string({ minLength: 1, maxLength: 20 }) }, text),
        customerId: fc.oneof({ weight: 4, arbitrary: fc.string({ minLength: 1, maxLength: 20 }) }, text),
        beneficiaryIban: fc.oneof({ weight: 4, arbitrary: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ]{0,40}$/) }, text),
        minAmount: fc.oneof({ weight: 8, arbitrary: fc.stringMatching(/^\d{1,24}(\.\d{1,18})?$/) }, text),
        maxAmount: fc.oneof({ weight: 8, arbitrary: fc.stringMatching(/^\d{1,24}(\.\d{1,18})?$/) }, text),
        currency: fc.oneof({ weight: 4, arbitrary: fc.constantFrom('GBP', 'eur', 'GOLD') }, text),
        from: fc.oneof({ weight: 8, arbitrary: fc.date({ min: new Date('1970-01-01'), max: new Date('2040-01-01'), noInvalidDate: true }).map((date) => date.toISOString()) }, fc.constantFrom('2026-12-01', '0001-01-01', '9999-12-31T23:59:59Z'), text),
        to: fc.oneof({ weight: 8, arbitrary: fc.date({ min: new Date('2040-01-02'), max: new Date('2100-01-01'), noInvalidDate: true }).map((date) => date.toISOString()) }, fc.constantFrom('2026-12-01', '0001-01-01'), text),
      },
      { requiredKeys: [] },
    );
    // An unknown parameter now and then (refused: the query is strict).
    const withOther = fc.tuple(query, fc.oneof({ weight: 7, arbitrary: fc.constant(null) }, text)).map(([params, other]) => (other === null ? params : { ...params, other }));
    await fuzzRoute('GET /transactions', withOther, [200, 400], (params) => {
      const search = new URLSearchParams();
      for (const [key, value] of Object.entries(params)) search.set(key, String(value));
      return fetch(`${t.baseUrl}/transactions?${search}`, { headers: { authorization: `Bearer ${ANALYSTS.carol}` } });
    });
  }, FUZZ_TIMEOUT_MS);
});
