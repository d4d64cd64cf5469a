// Property: no body, content type or header a client can send makes validate answer 5xx.
import fc from 'fast-check';
import { FUZZ_RUNS, FUZZ_TIMEOUT_MS, halfWritten } from './support/fuzz';
import { httpCall } from './support/http';
import { API_KEY, startTestApp, TestApp } from './support/test-app';

// 1,000 cases near the contract, then half as many of each rougher kind.
const RUNS = FUZZ_RUNS;

describe('validate under random input', () => {
  let t: TestApp;
  const statuses = new Map<number, number>();

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
    process.stdout.write(`fuzz status mix: ${JSON.stringify(Object.fromEntries(statuses))}\n`);
  });

  async function send(body: string, contentType = 'application/json'): Promise<void> {
    const response = await httpCall(t.server, 'POST', '/transaction/validate', { headers: { 'content-type': contentType, 'x-api-key': API_KEY }, body });
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    const text = response.text;
    expect([200, 400, 409, 413, 415]).toContain(response.status);
    if (response.status !== 200) {
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(text)).toMatchObject({ status: response.status, title: expect.any(String), detail: expect.any(String) });
    } else {
      expect(['APPROVED', 'REJECTED', 'PENDING_EXTERNAL_APPROVAL']).toContain(JSON.parse(text).status);
    }
  }

  // Values near the contract: right field names, any JSON (or odd strings) as values.
  // A member named constructor once hid the DTO's rules from class-validator (or, null, made it throw).
  const reservedMember = fc.oneof(fc.constant(null), fc.string({ maxLength: 5 }), fc.integer());
  const nearlyValid = fc.record(
    {
      transactionId: fc.oneof(fc.string({ maxLength: 140 }), fc.string({ unit: 'binary', maxLength: 130 }), fc.uuid(), fc.integer(), fc.constant(null), fc.constantFrom('ctl\u0007x', '😀'.repeat(100), 'a\u0085b', '')),
      id: fc.oneof(fc.string({ maxLength: 10 }), fc.constant(null)),
      amount: fc.oneof(
        fc.double(),
        fc.integer(),
        fc.stringMatching(/^-?\d{0,30}(\.\d{0,25})?(e[+-]?\d{1,4})?$/),
        fc.constant('1e400'),
        fc.string(),
        fc.constant(null),
        fc.boolean(),
      ),
      currency: fc.oneof(fc.constantFrom('GBP', 'EUR', 'GOLD', 'gbp', 'G', 'ABCDEFGHIJKLMN'), fc.string(), fc.constant(null)),
      sourceAccountId: fc.oneof(fc.string({ maxLength: 200 }), fc.integer(), fc.constant(null)),
      createdAt: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.string(), fc.integer()),
      beneficiary: fc.oneof(
        fc.record({ country: fc.oneof(fc.constantFrom('KP', 'GB', 'kp', 'XX'), fc.string()), iban: fc.oneof(fc.string(), fc.integer()), name: fc.string({ unit: 'binary' }), constructor: reservedMember }, { requiredKeys: [] }),
        fc.jsonValue(),
      ),
      extra: fc.jsonValue({ maxDepth: 6 }),
      constructor: reservedMember,
    },
    { requiredKeys: [] },
  );

  it('answers anything near the contract with 200 or a problem', async () => {
    await fc.assert(
      fc.asyncProperty(nearlyValid, async (value) => send(JSON.stringify(value))),
      { numRuns: RUNS },
    );
  }, FUZZ_TIMEOUT_MS);

  it('answers arbitrary JSON documents with 200 or a problem', async () => {
    await fc.assert(fc.asyncProperty(fc.jsonValue({ maxDepth: 40 }), fc.boolean(), async (value, bom) => send(`${bom ? '\uFEFF' : ''}${JSON.stringify(value)}`)), { numRuns: RUNS / 2 });
  }, FUZZ_TIMEOUT_MS);

  it('answers arbitrary text, including lone surrogates and escapes, with a problem', async () => {
    const escapes = fc.constantFrom('\\u0000', '\\ud800', '\\udfff', '\\"', '\\\\', '\u2028', '\ufeff');
    // Number literals JSON.stringify never writes: huge exponents, very long fractions.
    const literal = fc
      .tuple(fc.integer({ min: 0, max: 99 }), fc.nat({ max: 30_000 }), fc.integer({ min: -300_000, max: 300_000 }))
      .map(([lead, zeros, exponent]) => `${lead}.${'0'.repeat(zeros)}1e${exponent}`);
    const texts = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.tuple(literal, fc.boolean()).map(([number, asAmount]) => `{"transactionId":"lit-${Math.random()}","amount":${asAmount ? number : 1},"currency":"GBP","x":${number}}`),
      fc.tuple(fc.constant('{"transactionId":"'), fc.array(fc.oneof(fc.string(), escapes)), fc.constant('","amount":1,"currency":"GBP"}')).map(([a, parts, b]) => a + parts.join('') + b),
    );
    await fc.assert(fc.asyncProperty(texts, async (text) => send(text)), { numRuns: RUNS / 2 });
  }, FUZZ_TIMEOUT_MS);

  it('answers random content types with 415 or a decision', async () => {
    const types = fc.oneof(fc.constantFrom('text/plain', 'application/xml', 'application/json;charset=latin1', 'application/ld+json', '*/*', ''), fc.string({ maxLength: 40 }).filter((s) => /^[\x21-\x7e ]*$/.test(s)));
    await fc.assert(
      fc.asyncProperty(types, async (type) => send(JSON.stringify({ transactionId: `ct-${Math.random()}`, amount: 1, currency: 'GBP' }), type)),
      { numRuns: RUNS / 4 },
    );
  }, FUZZ_TIMEOUT_MS);

  it('leaves nothing half-written: no row SCREENING, every held one in the queue', async () => {
    expect(await halfWritten(t.db)).toEqual([]);
  }, FUZZ_TIMEOUT_MS);
});
