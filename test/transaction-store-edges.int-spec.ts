// PostgresTransactionStore at its edges, against a real PostgreSQL: an id twice in one batch, aggregate sums
// past an amount's bounds (found in review).
import { claimBatchSql } from '../src/adapters/persistence/postgres-transaction.queries';
import { AggregateQuery } from '../src/domain/aggregate';
import { TransactionMother } from './mothers/transaction.mother';
import { transactionStoreFixture } from './support/transaction-store-fixture';

const sumByCustomer: AggregateQuery = { fn: 'sum', groupBy: 'customerId', windowSeconds: 3600, currency: 'EUR' };

describe('PostgresTransactionStore at its edges', () => {
  const t = transactionStoreFixture();

  it('stores, of an id sent twice in one batch, the occurrence it reports as claimed (the first)', async () => {
    const mismatches: string[] = [];
    let claimed = 0;
    for (let round = 0; round < 10; round++) {
      // As the store sends them: `first` marks an id's first occurrence in the batch.
      const rows = Array.from({ length: 64 }, (_, i) => ({ position: i + 1, first: i < 40, id: `dup${round}-${String(i % 40).padStart(3, '0')}`, direction: 'OUTBOUND', amount: String(i + 1), currency: 'EUR', payload: {} }));
      const { rows: out } = await t.pool.query<{ claimed: boolean }>(claimBatchSql([]), [JSON.stringify(rows)]);
      for (const [i, row] of out.entries()) {
        if (!row.claimed) continue;
        claimed += 1;
        const [stored] = await t.db.query<{ amount: string }>('SELECT amount::text AS amount FROM transactions WHERE id = $1', [rows[i]!.id]);
        if (stored!.amount !== rows[i]!.amount) mismatches.push(`${rows[i]!.id}: claimed with ${rows[i]!.amount}, stored ${stored!.amount}`);
      }
    }
    expect(mismatches).toEqual([]);
    expect(claimed).toBe(10 * 40);
  });

  it('claims, and sweeps, a transaction whose aggregate sum passes 24 integer digits', async () => {
    const big = '900000000000000000000000'; // 24 digits: the largest amounts accepted
    await t.store.claim(TransactionMother.create({ customerId: 'cust-big', amount: big, currency: 'EUR' }), [sumByCustomer]);
    const second = TransactionMother.create({ customerId: 'cust-big', amount: big, currency: 'EUR' });
    const innocent = TransactionMother.create({ customerId: 'cust-other', currency: 'EUR' });
    const [claim, other] = await Promise.all([t.store.claim(second, [sumByCustomer]), t.store.claim(innocent, [sumByCustomer])]);
    expect(claim.claimed && claim.context.aggregates.get('sum by customerId over 3600s in EUR')!.toString()).toBe('1800000000000000000000000');
    expect(other.claimed).toBe(true);

    await t.db.query(`UPDATE transactions SET claimed_at = now() - interval '10 minutes' WHERE id = ANY($1)`, [[second.id, innocent.id]]);
    const taken = await t.store.takeStaleClaims(60_000, 1_000, [sumByCustomer]);
    expect(taken.map(({ transaction }) => transaction.id)).toEqual(expect.arrayContaining([second.id, innocent.id]));
  });
});
