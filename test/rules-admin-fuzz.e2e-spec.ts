// Property, per rules administration route (list entries added, removed, paged; rule-set versions stored): whatever an admin sends, no 5xx.
import fc from 'fast-check';
import { ANALYST_TOKENS, ANALYSTS } from './support/analyst-api';
import { FUZZ_TIMEOUT_MS, fuzzRoute, pathSegment } from './support/fuzz';
import { startTestApp, TestApp } from './support/test-app';

const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', 'a\u0007b', 'a\u0000b', '\uD800', '中'.repeat(130), 'x'.repeat(1100), '../..', '%', '%2F', 'GB82 WEST 1234 5698 7654 32', '40-47-84 70872490'),
);
// Mappings that String() cannot turn into text: once a 500 wherever a problem message quoted a value.
const hostile = fc.constantFrom<unknown>({ toString: 1 }, { toString: null, valueOf: null }, [{ toString: {} }]);
const listName = fc.oneof({ weight: 4, arbitrary: fc.constantFrom('blocked-beneficiaries', 'trusted-beneficiaries') }, text.filter((value) => value.length > 0));

describe('the rules administration API under random input', () => {
  let t: TestApp;
  const admin = { authorization: `Bearer ${ANALYSTS.carol}`, 'content-type': 'application/json' };

  beforeAll(async () => {
    t = await startTestApp({ env: { ANALYST_TOKENS } });
  });
  afterAll(() => t.close());

  it('POST /lists/{name}/entries: no 5xx', async () => {
    const listed = fc.array(fc.constantFrom('GB82 WEST 1234 5698 7654 32', '40-47-84 70872490', 'DE89370400440532013000'), { minLength: 1, maxLength: 3 });
    const values = fc.oneof({ weight: 3, arbitrary: listed }, { weight: 3, arbitrary: fc.array(fc.oneof(text, fc.integer(), fc.constant(null), hostile), { maxLength: 5 }) }, fc.jsonValue({ maxDepth: 2 }));
    const reason = fc.oneof({ weight: 3, arbitrary: fc.constant('fuzz') }, text, fc.integer());
    const body = fc.oneof(
      { weight: 6, arbitrary: fc.record({ values, reason }).map((value) => JSON.stringify(value)) },
      fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
      fc.string({ unit: 'binary', maxLength: 60 }),
    );
    const send = ([name, payload]: [string, string]) => fetch(`${t.baseUrl}/lists/${pathSegment(name)}/entries`, { method: 'POST', headers: admin, body: payload });
    await fuzzRoute('POST /lists/{name}/entries', fc.tuple(listName, body), [200, 400, 404, 414], send);
  }, FUZZ_TIMEOUT_MS);

  it('DELETE /lists/{name}/entries/{value}: no 5xx', async () => {
    const body = fc.oneof({ weight: 4, arbitrary: fc.record({ reason: text }).map((value) => JSON.stringify(value)) }, fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value)));
    const send = ([name, value, payload]: [string, string, string]) =>
      fetch(`${t.baseUrl}/lists/${pathSegment(name)}/entries/${pathSegment(value)}`, { method: 'DELETE', headers: admin, body: payload });
    await fuzzRoute('DELETE /lists/{name}/entries/{value}', fc.tuple(listName, text.filter((value) => value.length > 0), body), [200, 400, 404, 414], send);
  }, FUZZ_TIMEOUT_MS);

  it('GET /lists/{name}: no 5xx', async () => {
    const query = fc.record({ limit: fc.oneof(fc.integer({ min: -5, max: 2000 }).map(String), text), after: text }, { requiredKeys: [] });
    const send = ([name, params]: [string, Record<string, string>]) =>
      fetch(`${t.baseUrl}/lists/${pathSegment(name)}?${new URLSearchParams(params)}`, { headers: { authorization: admin.authorization } });
    await fuzzRoute('GET /lists/{name}', fc.tuple(listName, query), [200, 400, 404, 414], send);
  }, FUZZ_TIMEOUT_MS);

  it('POST /rules/versions: no 5xx', async () => {
    const rule = fc.record({
      id: fc.oneof(fc.constantFrom('a', 'b'), text),
      type: fc.oneof(fc.constantFrom('velocity', 'list', 'amount-at-least', 'beneficiary-country', 'sanctions-name'), text),
      status: fc.oneof(fc.constantFrom('APPROVED', 'REJECTED', 'PENDING_EXTERNAL_APPROVAL'), text),
      reason: fc.oneof(fc.constant('r'), text),
      threshold: fc.oneof(fc.constantFrom('10', '-1', 0.5), text, hostile),
      maxTransactions: fc.oneof(fc.integer({ min: -2, max: 20 }), text),
      windowSeconds: fc.oneof(fc.integer({ min: -2, max: 4_000_000 }), text),
      list: fc.oneof(fc.constantFrom('blocked-beneficiaries', 'nowhere'), text),
      field: fc.oneof(fc.constantFrom('beneficiary.iban', 'customerId'), text),
      countries: fc.array(fc.oneof(text, hostile), { maxLength: 3 }),
      fields: fc.array(fc.oneof(fc.constantFrom('beneficiary.iban', 'constructor'), hostile), { maxLength: 2 }),
      lists: fc.array(fc.oneof(fc.constantFrom('ofac', 'un'), hostile), { maxLength: 2 }),
      suppresses: fc.array(fc.oneof(fc.constant('a'), hostile), { maxLength: 2 }),
    }, { requiredKeys: [] });
    const ruleSet = fc.record({ rules: fc.oneof(fc.array(rule, { maxLength: 3 }), fc.jsonValue({ maxDepth: 2 })), lists: fc.oneof(fc.constant(undefined), fc.jsonValue({ maxDepth: 2 })) }, { requiredKeys: ['rules'] });
    const request = fc.oneof(
      { weight: 3, arbitrary: ruleSet.map((value) => ({ type: 'application/json', body: JSON.stringify(value) })) },
      { weight: 2, arbitrary: fc.oneof(text, fc.string({ maxLength: 200 }), fc.constantFrom('rules:\n  - { id: a, type: velocity, maxTransactions: 3, windowSeconds: 60, status: REJECTED, reason: r }\n', 'rules:\n  - &a [*a]', 'a: &x\n  b: *x', '{', ': :', '- - -')).map((body) => ({ type: 'application/yaml', body })) },
    );
    const send = (value: { type: string; body: string }) => fetch(`${t.baseUrl}/rules/versions`, { method: 'POST', headers: { ...admin, 'content-type': value.type }, body: value.body });
    await fuzzRoute('POST /rules/versions', request, [201, 400, 413], send);
  }, FUZZ_TIMEOUT_MS);

  it('POST /rules/backtest: no 5xx', async () => {
    const instant = fc.oneof({ weight: 4, arbitrary: fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString()) }, text, fc.integer());
    const body = fc.record(
      {
        version: fc.oneof(fc.integer({ min: -2, max: 3 }), fc.double(), text),
        ruleSet: fc.oneof(fc.constant('rules:\n  - { id: a, type: amount-at-least, threshold: "5", status: REJECTED, reason: r }\n'), text, fc.jsonValue({ maxDepth: 2 })),
        from: instant,
        to: instant,
      },
      { requiredKeys: [] },
    );
    const send = (value: unknown) => fetch(`${t.baseUrl}/rules/backtest`, { method: 'POST', headers: admin, body: JSON.stringify(value) });
    await fuzzRoute('POST /rules/backtest', body, [202, 400, 404], send);
  }, FUZZ_TIMEOUT_MS);
});
