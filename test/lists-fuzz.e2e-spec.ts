// Property, per managed-list route (add, remove, page): whatever an admin sends, no 5xx.
import fc from 'fast-check';
import { ANALYST_TOKENS, ANALYSTS } from './support/analyst-api';
import { FUZZ_TIMEOUT_MS, fuzzRoute, pathSegment } from './support/fuzz';
import { startTestApp, TestApp } from './support/test-app';

const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', 'a\u0007b', 'a\u0000b', '\uD800', '中'.repeat(130), 'x'.repeat(1100), '../..', '%', '%2F', 'GB82 WEST 1234 5698 7654 32', '40-47-84 70872490'),
);
const listName = fc.oneof({ weight: 4, arbitrary: fc.constantFrom('blocked-beneficiaries', 'trusted-beneficiaries') }, text.filter((value) => value.length > 0));

describe('the managed lists API under random input', () => {
  let t: TestApp;
  const admin = { authorization: `Bearer ${ANALYSTS.carol}`, 'content-type': 'application/json' };

  beforeAll(async () => {
    t = await startTestApp({ env: { ANALYST_TOKENS } });
  });
  afterAll(() => t.close());

  it('POST /lists/{name}/entries: no 5xx', async () => {
    const listed = fc.array(fc.constantFrom('GB82 WEST 1234 5698 7654 32', '40-47-84 70872490', 'DE89370400440532013000'), { minLength: 1, maxLength: 3 });
    const values = fc.oneof({ weight: 3, arbitrary: listed }, { weight: 3, arbitrary: fc.array(fc.oneof(text, fc.integer(), fc.constant(null)), { maxLength: 5 }) }, fc.jsonValue({ maxDepth: 2 }));
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
});
