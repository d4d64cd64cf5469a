// Aggregates computed with the claim, against a real PostgreSQL: the same values as the in-memory fake
// the unit specs rely on, batches that see their own rows, and windows read through the indexes.
import { claimBatchSql, claimOneSql } from '../src/adapters/persistence/postgres-transaction.queries';
import { AggregateQuery, aggregateKey } from '../src/domain/aggregate';
import { ScreeningContext } from '../src/domain/screening-context';
import { Transaction } from '../src/domain/transaction';
import { InMemoryTransactionStore } from './fakes/in-memory-transaction-store';
import { TransactionMother } from './mothers/transaction.mother';
import { transactionStoreFixture } from './support/transaction-store-fixture';

const QUERIES: readonly AggregateQuery[] = [
  { fn: 'count', groupBy: 'sourceAccountId', windowSeconds: 60 },
  { fn: 'count', groupBy: 'customerId', windowSeconds: 3_600 },
  { fn: 'sum', groupBy: 'sourceAccountId', windowSeconds: 86_400, currency: 'EUR' },
  { fn: 'sum', groupBy: 'customerId', windowSeconds: 86_400, currency: 'EUR', direction: 'OUTBOUND' },
  { fn: 'distinct', of: 'beneficiaryIban', groupBy: 'sourceAccountId', windowSeconds: 3_600 },
  { fn: 'count', groupBy: 'beneficiaryIban', windowSeconds: 3_600 },
  { fn: 'distinct', of: 'sourceAccountId', groupBy: 'counterparty', windowSeconds: 3_600 },
  // A count and a distinct count with filters: a row failing them must not count itself.
  { fn: 'count', groupBy: 'sourceAccountId', windowSeconds: 60, currency: 'EUR' },
  { fn: 'distinct', of: 'beneficiaryIban', groupBy: 'customerId', windowSeconds: 3_600, direction: 'OUTBOUND' },
];

/** The context as plain strings, comparable across the two stores. */
const plain = (context: ScreeningContext) => Object.fromEntries([...context.aggregates].map(([key, value]) => [key, value.toString()]));

describe('aggregates computed with the claim (PostgreSQL)', () => {
  const t = transactionStoreFixture();

  it('gives the values the in-memory fake gives, for every function, grouping and filter', async () => {
    const fake = new InMemoryTransactionStore();
    const run = `r${Date.now()}`;
    const sequence: Transaction[] = [
      payment(run, { sourceAccountId: 'acc-a', customerId: 'cust-1', amount: '100.10', currency: 'EUR', iban: 'DE89 3704 0044 0532 0130 00', name: 'Ada Lovelace' }),
      payment(run, { sourceAccountId: 'acc-a', customerId: 'cust-1', amount: '0.000000000000000001', currency: 'EUR', iban: 'de89370400440532013000', name: 'ADA LOVELACE' }),
      payment(run, { sourceAccountId: 'acc-a', customerId: 'cust-1', amount: '999999.99', currency: 'GBP', iban: 'GB33BUKB20201555555555', name: 'Charles Babbage' }),
      payment(run, { sourceAccountId: 'acc-b', customerId: 'cust-1', amount: '50', currency: 'EUR', iban: 'DE89370400440532013000', name: 'ada lovelace' }),
      payment(run, { sourceAccountId: 'acc-b', customerId: undefined, amount: '7.5', currency: 'EUR', iban: undefined, name: undefined }),
      payment(run, { sourceAccountId: 'acc-a', customerId: 'cust-1', amount: '20', currency: 'EUR', iban: 'FR7630006000011234567890189', name: 'Grace Hopper', direction: 'INBOUND' }),
    ];
    for (const transaction of sequence) {
      const real = await t.store.claim(transaction, QUERIES);
      const expected = await fake.claim(transaction, QUERIES);
      expect(real.claimed && expected.claimed).toBe(true);
      if (real.claimed && expected.claimed) expect(plain(real.context)).toEqual(plain(expected.context));
    }
    // The last one (inbound, not counted by the OUTBOUND sum), spelled out once rather than only compared:
    const last = await t.store.claim(payment(run, { sourceAccountId: 'acc-a', customerId: 'cust-1', amount: '1', currency: 'EUR', iban: 'DE89370400440532013000', name: 'Ada Lovelace' }), QUERIES);
    expect(last.claimed && plain(last.context)).toEqual({
      [aggregateKey(QUERIES[0]!)]: '5',
      [aggregateKey(QUERIES[1]!)]: '6',
      [aggregateKey(QUERIES[2]!)]: '121.100000000000000001',
      [aggregateKey(QUERIES[3]!)]: '151.100000000000000001',
      [aggregateKey(QUERIES[4]!)]: '3',
      [aggregateKey(QUERIES[5]!)]: '4',
      [aggregateKey(QUERIES[6]!)]: '2',
      [aggregateKey(QUERIES[7]!)]: '4',
      [aggregateKey(QUERIES[8]!)]: '2',
    });
  });

  it('leaves out what the transaction has no value for', async () => {
    const claim = await t.store.claim(payment(`n${Date.now()}`, { sourceAccountId: 'acc-n', customerId: undefined, amount: '1', currency: 'EUR', iban: undefined, name: undefined }), QUERIES);
    expect(claim.claimed && Object.keys(plain(claim.context)).sort()).toEqual([aggregateKey(QUERIES[0]!), aggregateKey(QUERIES[2]!), aggregateKey(QUERIES[4]!), aggregateKey(QUERIES[7]!)].sort());
  });

  it('takes a blank value (nothing but spaces) as none: payments without one share no group, and a distinct count leaves it out', async () => {
    const fake = new InMemoryTransactionStore();
    const run = `k${Date.now()}`;
    const account = `acc-${run}`;
    const sequence = [
      payment(run, { sourceAccountId: account, customerId: '', amount: '1', currency: 'EUR', iban: '', name: ' ' }),
      payment(run, { sourceAccountId: account, customerId: ' ', amount: '2', currency: 'EUR', iban: '  ', name: '' }),
      payment(run, { sourceAccountId: account, customerId: '', amount: '3', currency: 'EUR', iban: `XX00${run}`, name: '  ' }),
    ];
    const contexts: Record<string, string>[] = [];
    for (const transaction of sequence) {
      const [real, expected] = [await t.store.claim(transaction, QUERIES), await fake.claim(transaction, QUERIES)];
      if (!real.claimed || !expected.claimed) throw new Error(`${transaction.id} not claimed`);
      expect(plain(real.context)).toEqual(plain(expected.context));
      contexts.push(plain(real.context));
    }
    const [count, sum, ibans, byIban, countEur] = [0, 2, 4, 5, 7].map((i) => aggregateKey(QUERIES[i]!));
    expect(contexts[1]).toEqual({ [count]: '2', [sum]: '3', [ibans]: '0', [countEur]: '2' });
    expect(contexts[2]).toEqual({ [count]: '3', [sum]: '6', [ibans]: '1', [byIban]: '1', [countEur]: '3' });
  });

  it('lets each claim of one batch see the batch rows before it', async () => {
    const run = `b${Date.now()}`;
    const claims = await Promise.all(
      Array.from({ length: 10 }, () => t.store.claim(payment(run, { sourceAccountId: `acc-${run}`, customerId: `cust-${run}`, amount: '10.01', currency: 'EUR', iban: 'DE89370400440532013000', name: 'X' }), QUERIES)),
    );
    const sums = claims.map((claim) => (claim.claimed ? claim.context.aggregates.get(aggregateKey(QUERIES[2]!))!.toString() : 'not claimed'));
    expect(sums.sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 10 }, (_, i) => ((i + 1) * 10.01).toFixed(2).replace(/0$/, '').replace(/\.0$/, '')));
  });

  it('gives each claim of a mixed batch what claiming one at a time gives: its own group, filters and the first of a repeated id', async () => {
    const run = `m${Date.now()}`;
    const fake = new InMemoryTransactionStore();
    // Stored before the batch, so that each value adds history to the batch's own rows.
    const history = Array.from({ length: 6 }, (_, n) => mixed(run, n));
    for (const transaction of history) {
      await t.store.claim(transaction, QUERIES);
      await fake.claim(transaction, QUERIES);
    }
    const batch = Array.from({ length: 40 }, (_, n) => mixed(run, 100 + n));
    // The fourth one's id again, with other content: only its first occurrence is claimed, and counts.
    batch.splice(7, 0, TransactionMother.create({ id: batch[3]!.id, sourceAccountId: `acc-${run}-1`, amount: '999', currency: 'EUR' }));
    const real = await Promise.all(batch.map((transaction) => t.store.claim(transaction, QUERIES))); // one statement: one event-loop turn
    const expected: Awaited<ReturnType<InMemoryTransactionStore['claim']>>[] = [];
    for (const transaction of batch) expected.push(await fake.claim(transaction, QUERIES));
    expect(real.map((claim) => claim.claimed)).toEqual(expected.map((claim) => claim.claimed));
    expect(real.filter((claim) => !claim.claimed)).toHaveLength(1);
    real.forEach((claim, index) => {
      const wanted = expected[index]!;
      if (claim.claimed && wanted.claimed) expect({ index, ...plain(claim.context) }).toEqual({ index, ...plain(wanted.context) });
    });
  });

  it('answers a claim of one row alone as it would in a batch of one', async () => {
    const run = `o${Date.now()}`;
    for (let n = 0; n < 12; n++) await t.store.claim(mixed(run, n), QUERIES); // history for every group
    const one = claimOneSql(QUERIES);
    const batch = claimBatchSql(QUERIES);
    const client = await t.pool.connect();
    try {
      for (let n = 50; n < 80; n++) {
        const transaction = n === 79 ? mixed(run, 3) : mixed(run, n); // the last one already stored
        const input = claimInput(transaction);
        const answers: unknown[] = [];
        for (const text of [one, batch]) {
          await client.query('BEGIN');
          answers.push((await client.query(text, [input])).rows);
          await client.query('ROLLBACK');
        }
        expect({ n, rows: answers[0] }).toEqual({ n, rows: answers[1] });
      }
    } finally {
      client.release();
    }
  });

  it.each(
    (['sourceAccountId', 'customerId', 'beneficiaryIban', 'counterparty'] as const).flatMap((groupBy) => [
      [groupBy, 'a batch', claimBatchSql],
      [groupBy, 'one row', claimOneSql],
    ]),
  )('reads a window of %s through an index, never the whole table (claim of %s)', async (groupBy, _, claimSql) => {
    const input = [{ position: 1, first: true, id: `plan-${groupBy}-${Date.now()}`, direction: 'OUTBOUND', amount: '1', currency: 'EUR', source_account_id: 'acc-plan', customer_id: 'cust-plan', beneficiary: { name: 'Ada', iban: 'DE89370400440532013000' }, payload: {} }];
    const client = await t.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL enable_seqscan = off'); // a table this small would otherwise be scanned: the question is whether an index can serve
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${claimSql([{ fn: 'sum', groupBy, windowSeconds: 3_600, currency: 'EUR' }])}`, [JSON.stringify(input)]);
      const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
      expect(plan).not.toMatch(/Seq Scan on transactions a/);
      expect(plan).toMatch(/Index (Only )?Scan using transactions_\w+ on transactions a|Bitmap Index Scan on transactions_\w+/);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it.each([
    ['a batch', claimBatchSql],
    ['one row', claimOneSql],
  ])("sums a filtered window of a customer's payments from its index alone, no heap page per row, once vacuumed (claim of %s)", async (_, claimSql) => {
    const run = `v${Date.now()}`;
    for (let n = 0; n < 12; n++) await t.store.claim(mixed(run, n), QUERIES);
    await t.pool.query('VACUUM (ANALYZE) transactions'); // what autovacuum does as the table grows: the visibility map catches up
    const input = [{ position: 1, first: true, id: `cover-${run}`, direction: 'OUTBOUND', amount: '1', currency: 'EUR', source_account_id: `acc-${run}-0`, customer_id: `cust-${run}-0`, beneficiary: null, payload: {} }];
    const client = await t.pool.connect();
    try {
      await client.query('BEGIN');
      // Only the index can serve here: the question is whether it holds every column the sum and its filters read.
      await client.query('SET LOCAL enable_seqscan = off');
      await client.query('SET LOCAL enable_bitmapscan = off');
      await client.query('SET LOCAL enable_indexscan = off');
      const query: AggregateQuery = { fn: 'sum', groupBy: 'customerId', windowSeconds: 86_400, currency: 'EUR', direction: 'OUTBOUND' };
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${claimSql([query])}`, [JSON.stringify(input)]);
      expect(rows.map((row) => row['QUERY PLAN']).join('\n')).toMatch(/Index Only Scan using transactions_customer_recent on transactions a/);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});

interface PaymentFields {
  readonly sourceAccountId: string;
  readonly customerId: string | undefined;
  readonly amount: string;
  readonly currency: string;
  readonly iban: string | undefined;
  readonly name: string | undefined;
  readonly direction?: 'OUTBOUND' | 'INBOUND';
}

/**
 * The n-th of a spread that puts several transactions in each group and leaves some out of each
 * filter: three accounts, two customers (and none), two IBANs spelt two ways (and none), two
 * names, both currencies and both directions.
 */
function mixed(run: string, n: number): Transaction {
  // Of this run only, as the suite's other tests store IBANs and names too.
  const iban = [`GB00 ${run} 1`.toUpperCase(), `gb00${run}2`, `GB00${run}1`.toUpperCase(), undefined][n % 4];
  return payment(run, {
    sourceAccountId: `acc-${run}-${n % 3}`,
    customerId: n % 5 === 4 ? undefined : `cust-${run}-${n % 2}`,
    amount: `${(n * 37) % 500 + 1}.${String(n % 100).padStart(2, '0')}`,
    currency: n % 3 === 1 ? 'GBP' : 'EUR',
    iban,
    name: n % 7 === 6 ? undefined : [`Ada ${run}`, `GRACE ${run}`.toUpperCase()][n % 2],
    direction: n % 4 === 1 ? 'INBOUND' : 'OUTBOUND',
  });
}

/** A transaction as the store sends it to a claim alone (claimBatchJson's fields). */
function claimInput(transaction: Transaction): string {
  return JSON.stringify([
    {
      position: 1,
      first: true,
      id: transaction.id,
      direction: transaction.direction,
      amount: transaction.money.amount.toString(),
      currency: transaction.money.currency,
      source_account_id: transaction.sourceAccountId ?? null,
      customer_id: transaction.customerId ?? null,
      beneficiary: transaction.beneficiary ?? null,
      payload: {},
    },
  ]);
}

let counter = 0;
function payment(run: string, fields: PaymentFields): Transaction {
  const beneficiary = { ...(fields.name !== undefined ? { name: fields.name } : {}), ...(fields.iban !== undefined ? { iban: fields.iban } : {}) };
  return TransactionMother.create({
    id: `${run}-${(counter += 1)}`,
    sourceAccountId: fields.sourceAccountId,
    customerId: fields.customerId,
    amount: fields.amount,
    currency: fields.currency,
    beneficiary,
    direction: fields.direction ?? 'OUTBOUND',
  });
}
