// One PostgresTransactionStore per suite on a freshly migrated database, for the store's integration suites.
import { Pool } from 'pg';
import { PostgresTransactionStore } from '../../src/adapters/persistence/postgres-transaction.store';
import { createMigratedTestDatabase, TestDatabase } from './database';

export interface TransactionStoreFixture {
  db: TestDatabase;
  pool: Pool;
  store: PostgresTransactionStore;
}

/** Registers beforeAll/afterAll; the fields are set once the suite starts, so read them inside tests. */
export function transactionStoreFixture(): TransactionStoreFixture {
  const fixture = {} as TransactionStoreFixture;
  beforeAll(async () => {
    fixture.db = await createMigratedTestDatabase();
    fixture.pool = new Pool({ connectionString: fixture.db.url, max: 10 });
    // As the service's own pools do: a connection lost while idle is dropped, not thrown at whichever test runs then.
    fixture.pool.on('error', () => undefined);
    fixture.store = new PostgresTransactionStore(fixture.pool);
  });
  afterAll(async () => {
    await fixture.pool.end();
    await fixture.db.drop();
  });
  return fixture;
}
