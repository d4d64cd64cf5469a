// SearchIndexUpkeep against a real PostgreSQL: review cases opened by validate's record leave trigram entries
// pending; the upkeep merges them, and search by those indexes still finds every case.
import { REVIEW_CASE_TRIGRAM_INDEXES, SearchIndexUpkeep } from '../src/adapters/persistence/search-index-upkeep';
import { Screening } from '../src/domain/verdict';
import { TransactionMother } from './mothers/transaction.mother';
import { transactionStoreFixture } from './support/transaction-store-fixture';

const held: Screening = {
  provider: 'rules',
  outcome: 'DECIDED',
  status: 'PENDING_EXTERNAL_APPROVAL',
  reasons: ['Amount at or above 10000'],
  verdict: { status: 'PENDING_EXTERNAL_APPROVAL', reasons: ['Amount at or above 10000'] },
  durationMs: 2,
};

describe('SearchIndexUpkeep', () => {
  const t = transactionStoreFixture();

  async function openCases(count: number, name: string): Promise<string[]> {
    const transactions = Array.from({ length: count }, () => TransactionMother.create({ beneficiary: { name, iban: 'GB33BUKB20201555555555', country: 'GB' } }));
    await Promise.all(transactions.map((transaction) => t.store.claim(transaction, [])));
    await Promise.all(transactions.map((transaction) => t.store.recordScreening(transaction, held)));
    return transactions.map((transaction) => transaction.id);
  }

  /** What a merge of `index` would find pending now (and merges it). */
  async function pendingPages(index: string): Promise<number> {
    const [row] = await t.db.query<{ pages: number }>('SELECT gin_clean_pending_list($1::regclass)::int AS pages', [index]);
    return row!.pages;
  }

  it('merges the entries that opening review cases left pending, in every trigram index', async () => {
    const upkeep = new SearchIndexUpkeep(t.pool);
    await openCases(200, 'Zebedee Quartermaine Holdings');

    await expect(upkeep.mergePending()).resolves.toBeGreaterThan(0);

    for (const index of REVIEW_CASE_TRIGRAM_INDEXES) await expect(pendingPages(index)).resolves.toBe(0);
    await expect(upkeep.mergePending()).resolves.toBe(0);
  });

  it('leaves every case findable through the trigram index once merged', async () => {
    const ids = await openCases(30, 'Ottoline Vandersteen');
    await new SearchIndexUpkeep(t.pool).mergePending();

    const client = await t.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL enable_seqscan = off');
      const { rows } = await client.query<{ id: string }>(`SELECT transaction_id AS id FROM review_cases WHERE beneficiary_name LIKE '%vandersteen%'`);
      await client.query('COMMIT');
      expect(rows.map((row) => row.id).sort()).toEqual([...ids].sort());
    } finally {
      client.release();
    }
  });

  it('merges in the background once started, and stops cleanly', async () => {
    const upkeep = new SearchIndexUpkeep(t.pool, 50);
    await openCases(100, 'Persephone Ashgrove');
    upkeep.start();
    await new Promise((resolve) => setTimeout(resolve, 600));
    await upkeep.stop();

    // Had no pass run, merging now would find the 100 cases' entries still pending.
    for (const index of REVIEW_CASE_TRIGRAM_INDEXES) await expect(pendingPages(index)).resolves.toBe(0);
  });
});
