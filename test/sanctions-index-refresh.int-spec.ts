// The in-memory sanctions index follows PostgreSQL: built while needed, rebuilt when a list is loaded elsewhere, dropped when no longer needed, allowances applied.
import { Client, Pool } from 'pg';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../src/adapters/persistence/migrations';
import { PostgresSanctionsLists } from '../src/adapters/persistence/postgres-sanctions-lists';
import { replaceSanctionsList } from '../src/adapters/persistence/sanctions-list.loader';
import { SANCTIONS_FORMATS } from '../src/adapters/sanctions/formats/sanctions-formats';
import { LiveSanctionsIndex, SanctionsIndexNotBuiltError } from '../src/adapters/sanctions/live-sanctions-index';
import { SanctionsEntryNotFoundError } from '../src/domain/domain-error';
import { createTestDatabase, TestDatabase } from './support/database';
import { EU_XML, listDirectory, UK_CSV, write } from './sanctions/list-files';
import { eventually } from './support/waiting';

const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

describe('the live sanctions index', () => {
  let db: TestDatabase;
  let pool: Pool;
  let loader: Client;
  let lists: PostgresSanctionsLists;
  const dir = listDirectory();
  const indexes: LiveSanctionsIndex[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    const dataSource = new DataSource({ type: 'postgres', url: db.url, migrations: MIGRATIONS, migrationsTableName: 'schema_migrations', logging: false });
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    await dataSource.destroy();
    pool = new Pool({ connectionString: db.url, max: 3 });
    lists = new PostgresSanctionsLists(pool, { connectionString: db.url });
    loader = new Client({ connectionString: db.url });
    await loader.connect();
  });
  afterAll(async () => {
    for (const index of indexes) await index.stop();
    await loader?.end();
    await pool?.end();
    await db?.drop();
  });

  async function started(pollMs = 60_000): Promise<LiveSanctionsIndex> {
    const index = new LiveSanctionsIndex(lists, quiet, pollMs);
    indexes.push(index);
    await index.start();
    await index.need('the suite', true);
    return index;
  }
  const load = (format: string, name: string, text: string) => {
    const file = write(dir, name, text);
    return replaceSanctionsList(loader, SANCTIONS_FORMATS[format].read(file, {}), { format, files: [file] });
  };
  const putin = { name: 'Vladimir Putin', minScore: 0.9 };

  it('starts empty when no list is loaded, and says so', async () => {
    const index = await started();
    expect(index.status()).toMatchObject({ loaded: false, lists: [], names: 0 });
    expect(index.screen(putin, 'c-1')).toEqual([]);
  });

  it('picks a load up on every replica through NOTIFY, well before its next poll', async () => {
    const first = await started();
    const second = await started();
    await load('uk-csv', 'uk.csv', UK_CSV);
    for (const index of [first, second]) {
      await eventually('the load reaches the index', async () => index.status().loaded, 3000);
      expect(index.status().lists).toEqual([expect.objectContaining({ source: 'UK', version: '2026-11-27', entries: 2 })]);
      expect(index.screen({ name: 'Владимир Путин', minScore: 0.85 }, 'c-1')[0]).toMatchObject({ source: 'UK', entryId: 'RUS0001' });
    }
  });

  it('builds from every current list at start, and polls when it hears nothing', async () => {
    class Deaf extends PostgresSanctionsLists {
      override async onChange(): Promise<() => Promise<void>> {
        return async () => undefined;
      }
    }
    const polling = new LiveSanctionsIndex(new Deaf(pool, { connectionString: db.url }), quiet, 200);
    indexes.push(polling);
    await polling.start();
    await polling.need('the suite', true);
    expect(polling.status().lists.map((l) => l.source)).toEqual(['UK']);
    await load('eu-xml', 'eu.xml', EU_XML);
    await eventually('the poll sees the load', async () => polling.status().lists.length === 2, 5000);
    expect(polling.status().lists.map((l) => l.source)).toEqual(['EU', 'UK']);
    expect(polling.screen({ name: 'Dmitry Rogozin', minScore: 0.8 }, undefined)[0]).toMatchObject({ source: 'EU', entryId: 'EU.2736.21' });
  });

  it('reads no entry until something needs the index, builds it while anything does, and drops it when nothing does', async () => {
    class Counted extends PostgresSanctionsLists {
      reads = 0;
      override readEntries(...args: Parameters<PostgresSanctionsLists['readEntries']>) {
        this.reads += 1;
        return super.readEntries(...args);
      }
    }
    const store = new Counted(pool, { connectionString: db.url });
    const index = new LiveSanctionsIndex(store, quiet, 100);
    indexes.push(index);
    await index.start();
    await new Promise((resolve) => setTimeout(resolve, 300)); // a few polls
    expect(store.reads).toBe(0);
    expect(index.status()).toMatchObject({ needed: false, built: false, names: 0 });
    expect(() => index.screen(putin, 'c-1')).toThrow(SanctionsIndexNotBuiltError);

    await expect(index.need('a rule set', true)).resolves.toBe(true);
    await expect(index.need('a backtest', true)).resolves.toBe(true);
    expect(store.reads).toBe(1);
    expect(index.status()).toMatchObject({ needed: true, built: true, loaded: true });
    expect(index.screen(putin, 'c-1')).toHaveLength(1);

    await expect(index.need('a rule set', false)).resolves.toBe(false);
    expect(index.status()).toMatchObject({ needed: true, built: true }); // the backtest still holds it
    await index.need('a backtest', false);
    expect(index.status()).toMatchObject({ needed: false, built: false, loaded: false, names: 0 });
    expect(() => index.screen(putin, 'c-1')).toThrow(SanctionsIndexNotBuiltError);
    await expect(index.need('a rule set', true)).resolves.toBe(true);
    expect(store.reads).toBe(2);
  });

  it('drops a hit an analyst allowed for that customer and that name only', async () => {
    const index = await started();
    expect(index.screen(putin, 'c-7')).toHaveLength(1);
    const { allowance, created } = await lists.allow({ customerId: 'c-7', source: 'UK', entryId: 'RUS0001', name: 'PUTIN, Vladimir', reason: 'the customer\'s tenant, born 1988', allowedBy: 'alice' });
    expect(created).toBe(true);
    expect(allowance).toMatchObject({ customerId: 'c-7', source: 'UK', entryId: 'RUS0001', allowedBy: 'alice' });
    await eventually('the allowance reaches the index', async () => index.screen(putin, 'c-7').length === 0, 3000);
    expect(index.screen(putin, 'c-8')).toHaveLength(1);
    expect(index.screen({ name: 'Vladimir Poutine', minScore: 0.9 }, 'c-7')).toHaveLength(1);
    // what a sanctions-name rule asks (the best hit and the count) leaves it out too
    expect(index.top(putin, 'c-7', 1)).toEqual({ hits: [], total: 0 });
    expect(index.top(putin, 'c-8', 1)).toMatchObject({ hits: [{ source: 'UK', entryId: 'RUS0001' }], total: 1 });
    expect(index.status().allowances).toBe(1);
    await expect(lists.allow({ customerId: 'c-7', source: 'UK', entryId: 'RUS0001', name: 'vladimir putin', reason: 'again', allowedBy: 'bob' })).resolves.toMatchObject({ created: false });
    await expect(lists.allow({ customerId: 'c-7', source: 'UK', entryId: 'NOPE', name: 'x', reason: 'r', allowedBy: 'bob' })).rejects.toThrow(SanctionsEntryNotFoundError);
  });
});
