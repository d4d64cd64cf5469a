// The managed lists' store against a real PostgreSQL: a value listed as several types, added and removed as each.
import { Pool } from 'pg';
import { PostgresManagedListStore } from '../src/adapters/persistence/postgres-managed-list.store';
import { ManageLists } from '../src/application/manage-lists.use-case';
import { createMigratedTestDatabase, TestDatabase } from './support/database';

describe('PostgresManagedListStore', () => {
  let db: TestDatabase;
  let pool: Pool;
  let lists: ManageLists;

  beforeAll(async () => {
    db = await createMigratedTestDatabase();
    pool = new Pool({ connectionString: db.url, max: 2 });
    const store = new PostgresManagedListStore(pool, { connectionString: db.url });
    await store.declare([{ name: 'watched', types: ['customer-id', 'source-account'], description: 'Watched accounts' }]);
    lists = new ManageLists(store);
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('stores a value every declared type accepts as each, and removes it as each, logging every one', async () => {
    await expect(lists.add('watched', ['acc-7'], 'seen twice', 'ada')).resolves.toMatchObject({ added: [{ type: 'customer-id' }, { type: 'source-account' }] });
    const { rows: listed } = await pool.query(`SELECT type, value FROM managed_list_entries WHERE list_name = 'watched' ORDER BY type`);
    expect(listed).toEqual([{ type: 'customer-id', value: 'acc-7' }, { type: 'source-account', value: 'acc-7' }]);

    await expect(lists.remove('watched', ' acc-7 ', 'cleared', 'bob')).resolves.toMatchObject({ removed: { value: 'acc-7' } });
    const { rows: left } = await pool.query(`SELECT count(*)::int AS n FROM managed_list_entries WHERE list_name = 'watched'`);
    expect(left[0].n).toBe(0);
    const { rows: log } = await pool.query(`SELECT action, type FROM managed_list_changes WHERE list_name = 'watched' ORDER BY action, type`);
    expect(log).toEqual([
      { action: 'ADDED', type: 'customer-id' },
      { action: 'ADDED', type: 'source-account' },
      { action: 'REMOVED', type: 'customer-id' },
      { action: 'REMOVED', type: 'source-account' },
    ]);
  });
});
