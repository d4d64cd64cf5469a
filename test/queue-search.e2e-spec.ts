// Searching the review queue over HTTP: each filter, q as substring and as similar name, exact amounts, bad filters, and paging through a search.
import { randomUUID } from 'node:crypto';
import { analystCall, ANALYST_TOKENS, ANALYSTS } from './support/analyst-api';
import { postValidate, startTestApp, TestApp } from './support/test-app';

describe('queue search', () => {
  let t: TestApp;
  const run = randomUUID().slice(0, 8);
  const ids = { ada: `search-ada-${run}`, jo: `search-jo-${run}`, big: `search-big-${run}`, gold: `search-gold-${run}` };

  beforeAll(async () => {
    t = await startTestApp({ env: { ANALYST_TOKENS } });
    const hold = async (body: Record<string, unknown>) => expect((await postValidate(t.server, body)).body.status).toBe('PENDING_EXTERNAL_APPROVAL');
    await hold({
      transactionId: ids.ada, amount: '12000.50', currency: 'GBP', sourceAccountId: `acc-a-${run}`, customerId: `cust-a-${run}`, reference: `INV-${run}-001`,
      beneficiary: { name: 'Ada Lovelace', iban: 'GB29NWBK60161331926819', country: 'GB' },
    });
    await hold({
      transactionId: ids.jo, amount: '48250.00', currency: 'EUR', sourceAccountId: `acc-b-${run}`, customerId: `cust-a-${run}`, reference: `INV-${run}-002`,
      beneficiary: { name: 'John Smith', iban: 'DE89 3704 0044 0532 0130 00', country: 'DE' },
    });
    // Twenty digits before the point: a binary float could not tell 0.01 from 0.005 at this size.
    await hold({ transactionId: ids.big, amount: '10000000000000000000.01', currency: 'EUR', customerId: `cust-b-${run}`, beneficiary: { name: 'Grace Hopper' } });
    await hold({ transactionId: ids.gold, amount: 15000, currency: 'GOLD', sourceAccountId: `acc-a-${run}` });
  });
  afterAll(() => t.close());

  async function search(query: string): Promise<string[]> {
    const call = await analystCall(t.server, 'GET', `/transactions?${query}`, { token: ANALYSTS.vic });
    expect(call.status).toBe(200);
    return (call.body.items as { transactionId: string }[]).map((item) => item.transactionId);
  }

  it('narrows by each filter, all of them holding together', async () => {
    await expect(search(`sourceAccountId=acc-a-${run}`)).resolves.toEqual([ids.ada, ids.gold]);
    await expect(search(`customerId=cust-a-${run}`)).resolves.toEqual([ids.ada, ids.jo]);
    await expect(search('beneficiaryIban=gb29%20nwbk%206016%201331%209268%2019')).resolves.toEqual([ids.ada]);
    await expect(search('beneficiaryIban=DE89370400440532013000')).resolves.toEqual([ids.jo]);
    await expect(search('currency=gold')).resolves.toEqual([ids.gold]);
    await expect(search(`currency=EUR&customerId=cust-a-${run}`)).resolves.toEqual([ids.jo]);
    await expect(search('minAmount=15000&maxAmount=48250')).resolves.toEqual([ids.jo, ids.gold]);
    await expect(search(`minAmount=12000.5&maxAmount=12000.50&sourceAccountId=acc-a-${run}`)).resolves.toEqual([ids.ada]);
    await expect(search('status=APPROVED&currency=GOLD')).resolves.toEqual([]);
    await expect(search('direction=INBOUND&currency=GOLD')).resolves.toEqual([]);
  });

  it('compares amounts exactly, every digit counted', async () => {
    await expect(search('minAmount=10000000000000000000.005')).resolves.toEqual([ids.big]);
    await expect(search('minAmount=10000000000000000000.011')).resolves.toEqual([]);
    await expect(search('maxAmount=10000000000000000000.009&minAmount=1000000')).resolves.toEqual([]);
    await expect(search('maxAmount=10000000000000000000.010&minAmount=1000000')).resolves.toEqual([ids.big]);
  });

  it('finds q in the id, the reference, the beneficiary name and the IBAN, in any case, and similar names', async () => {
    await expect(search(`q=search-jo-${run}`)).resolves.toEqual([ids.jo]);
    await expect(search(`q=${encodeURIComponent(`inv-${run}-00`)}`)).resolves.toEqual([ids.ada, ids.jo]);
    await expect(search('q=lovelace')).resolves.toEqual([ids.ada]);
    await expect(search('q=GB29%20NWBK%206016')).resolves.toEqual([ids.ada]);
    await expect(search('q=%20%20hopper%20')).resolves.toEqual([ids.big]);
    await expect(search('q=Jon%20Smith')).resolves.toEqual([ids.jo]);
    await expect(search('q=grace%20hoper')).resolves.toEqual([ids.big]);
    await expect(search('q=nobody%20at%20all')).resolves.toEqual([]);
    // LIKE's wildcards are matched as typed, not as wildcards.
    await expect(search('q=%25%25%25')).resolves.toEqual([]);
    await expect(search('q=___')).resolves.toEqual([]);
    await expect(search('q=smith&currency=GBP')).resolves.toEqual([]);
  });

  it('narrows by when the case was held', async () => {
    const all = await search('limit=200');
    expect(all).toEqual(expect.arrayContaining(Object.values(ids)));
    await expect(search('from=2000-01-01&to=2000-01-02')).resolves.toEqual([]);
    await expect(search(`from=${new Date(Date.now() - 3_600_000).toISOString()}&currency=GOLD`)).resolves.toEqual([ids.gold]);
    await expect(search(`to=${new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)}&currency=GOLD&from=2026-01-01`)).resolves.toEqual([ids.gold]);
  });

  it.each([
    ['q=ab', 'q'],
    ['q=%20%20a%20%20', 'q'],
    [`q=${'x'.repeat(201)}`, 'q'],
    ['q=abc%01', 'q'],
    ['sourceAccountId=a%00b', 'sourceAccountId'],
    [`customerId=${'c'.repeat(129)}`, 'customerId'],
    ['beneficiaryIban=GB29-NWBK', 'beneficiaryIban'],
    ['beneficiaryIban=%20%20', 'beneficiaryIban'],
    ['minAmount=abc', 'minAmount'],
    ['minAmount=1e5', 'minAmount'],
    ['minAmount=-5', 'minAmount'],
    ['maxAmount=1.1234567890123456789', 'maxAmount'],
    ['minAmount=10&maxAmount=9.99', 'maxAmount'],
    ['currency=E1', 'currency'],
    ['from=yesterday', 'from'],
    ['from=2026-02-30', 'from'],
    ['to=2026-12-01T25:00:00Z', 'to'],
    ['from=2026-12-02&to=2026-12-01', 'to'],
    ['from=0000-01-01', 'from'],
    ['from=2026-W48', 'from'],
  ])('refuses %s with 400 naming %s', async (query, field) => {
    const call = await analystCall(t.server, 'GET', `/transactions?${query}`, { token: ANALYSTS.vic });
    expect(call).toMatchObject({ status: 400, body: { status: 400, errors: expect.arrayContaining([expect.objectContaining({ field })]) } });
    expect(call.contentType).toMatch(/^application\/problem\+json/);
  });

  it('pages through a search with the cursor, each case once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const call = await analystCall(t.server, 'GET', `/transactions?q=${run}&limit=1${cursor ? `&cursor=${cursor}` : ''}`, { token: ANALYSTS.vic });
      expect(call.status).toBe(200);
      seen.push(...(call.body.items as { transactionId: string }[]).map((item) => item.transactionId));
      cursor = call.body.nextCursor as string | null;
    } while (cursor);
    expect(seen).toEqual([ids.ada, ids.jo, ids.big, ids.gold]);
  });
});

describe('queue search over more cases than one walk examines', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { ANALYST_TOKENS } });
    // 2,000 held cases named Plain Person, then 600 named Filler Zed: a walk of the queue finds no
    // Filler in its first window, and there are too many Fillers for the index to be trusted alone.
    await t.db.query(`
      INSERT INTO transactions (id, state, amount, currency, beneficiary, payload, received_at, screened_at)
      SELECT 'bulk-' || lpad(g::text, 5, '0'), 'PENDING_EXTERNAL_APPROVAL', 10000 + g, 'EUR',
             jsonb_build_object('name', CASE WHEN g <= 2000 THEN 'Plain Person' ELSE 'Filler Zed' END), '{}', at, at
        FROM generate_series(1, 2600) AS g, LATERAL (SELECT now() - (2600 - g) * interval '1 second' AS at) v`);
    await t.db.query(`
      INSERT INTO review_cases (transaction_id, status, opened_at, amount, currency, beneficiary_name, search_text)
      SELECT id, state, screened_at, amount, currency, lower(beneficiary ->> 'name'), review_case_search_text(id, reference, beneficiary)
        FROM transactions WHERE id LIKE 'bulk-%'`);
  });
  afterAll(() => t.close());

  it('answers a short page with a cursor that goes on, and following it finds every match once', async () => {
    const first = await analystCall(t.server, 'GET', '/transactions?q=filler&limit=50', { token: ANALYSTS.vic });
    expect(first.status).toBe(200);
    expect(first.body.items.length).toBeLessThan(50);
    expect(first.body.nextCursor).not.toBeNull();
    const seen = (first.body.items as { transactionId: string }[]).map((item) => item.transactionId);
    let cursor = first.body.nextCursor as string | null;
    while (cursor) {
      const call = await analystCall(t.server, 'GET', `/transactions?q=filler&limit=200&cursor=${cursor}`, { token: ANALYSTS.vic });
      seen.push(...(call.body.items as { transactionId: string }[]).map((item) => item.transactionId));
      cursor = call.body.nextCursor as string | null;
    }
    expect(seen).toEqual(Array.from({ length: 600 }, (_, i) => `bulk-${String(2001 + i).padStart(5, '0')}`));
  });

  it('finds a rare name beyond the first window through the index, in one page', async () => {
    await t.db.query(`UPDATE review_cases SET beneficiary_name = 'quentin rarename', search_text = search_text || ' quentin rarename' WHERE transaction_id = 'bulk-02500'`);
    const call = await analystCall(t.server, 'GET', '/transactions?q=rarename', { token: ANALYSTS.vic });
    expect(call.body).toMatchObject({ items: [{ transactionId: 'bulk-02500' }], nextCursor: null });
  });
});
