import { ClientBase, PoolConfig } from 'pg';
import { claimPoolConfig, HotPathHealth, HotPathPool, hotPathPoolConfig, hotPathSession } from './hot-path-pool';

const unavailable = () => Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' });

describe('HotPathHealth', () => {
  function setUp() {
    let now = 0;
    const health = new HotPathHealth(500, 5_000, () => now);
    return { health, advance: (ms: number) => (now += ms) };
  }

  it('is healthy while statements are served', async () => {
    const { health } = setUp();
    await health.observe(Promise.resolve('ok'));
    expect(health.problem()).toBeUndefined();
  });

  it('reports a statement the database could not serve until one is served again', async () => {
    const { health } = setUp();
    await expect(health.observe(Promise.reject(unavailable()))).rejects.toThrow('statement timeout');
    expect(health.problem()).toMatch(/statement timeout/);

    await health.observe(Promise.resolve('ok'));
    expect(health.problem()).toBeUndefined();
  });

  it('forgets a failure after a while with no traffic, so that a replica taken out of service can come back', async () => {
    const { health, advance } = setUp();
    await expect(health.observe(Promise.reject(unavailable()))).rejects.toThrow();
    advance(5_001);
    expect(health.problem()).toBeUndefined();
  });

  it('ignores errors that are not about the database serving (a bad row is not an outage)', async () => {
    const { health } = setUp();
    await expect(health.observe(Promise.reject(Object.assign(new Error('invalid input'), { code: '22P02' })))).rejects.toThrow();
    expect(health.problem()).toBeUndefined();
  });

  it('reports a statement stuck for longer than a statement should take, while it runs', async () => {
    const { health, advance } = setUp();
    let finish!: () => void;
    const running = health.observe(new Promise<void>((resolve) => (finish = resolve)));
    advance(400);
    expect(health.problem()).toBeUndefined();
    advance(200);
    expect(health.problem()).toMatch(/running for 600 ms/);
    finish();
    await running;
    expect(health.problem()).toBeUndefined();
  });
});

describe('hotPathPoolConfig', () => {
  /** What a config's onConnect sends a new connection, and with what read timeout. */
  async function sessionOf(config: PoolConfig): Promise<{ text: string; query_timeout?: number }[]> {
    const sent: { text: string; query_timeout?: number }[] = [];
    await config.onConnect!({ query: async (query: { text: string; query_timeout?: number }) => sent.push(query) } as unknown as ClientBase);
    return sent;
  }

  it('bounds every statement by the deadline, on the same server and credentials', async () => {
    const config = hotPathPoolConfig({ host: 'db', user: 'tm', password: 'secret', max: 20, connectionTimeoutMillis: 5_000 }, { deadlineMs: 2_000, max: 11 });
    expect(config).toMatchObject({ host: 'db', user: 'tm', password: 'secret', max: 11, query_timeout: 3_000, connectionTimeoutMillis: 2_000, keepAlive: true, min: 11 });
    // Set on the connection, not sent at start-up, where a pooler may refuse or drop them.
    expect(config).not.toHaveProperty('statement_timeout');
    expect(config).not.toHaveProperty('lock_timeout');
    expect(await sessionOf(config)).toEqual([
      { text: 'SET statement_timeout = 2000; SET lock_timeout = 1000; SET enable_seqscan = off; SET enable_bitmapscan = off', query_timeout: 2_000 },
    ]);
  });

  it("keeps the main pool's startup options; the claims' connections also commit without waiting for the flush", async () => {
    expect(hotPathPoolConfig({ options: '-c jit=off' }, { deadlineMs: 2_000, max: 3 }).options).toBe('-c jit=off');
    const claims = claimPoolConfig({ options: '-c jit=off' }, { deadlineMs: 500, max: 3 });
    expect(claims).toMatchObject({ options: '-c jit=off', application_name: 'toqio-transaction-monitoring/validate-claims', max: 3 });
    expect(await sessionOf(claims)).toEqual([{ text: `${hotPathSession(500)}; SET synchronous_commit = off`, query_timeout: 500 }]);
    expect(hotPathSession(500)).toBe('SET statement_timeout = 500; SET lock_timeout = 250; SET enable_seqscan = off; SET enable_bitmapscan = off');
  });

  it('fails a connection whose session could not be set, rather than hand it out without it', async () => {
    const config = hotPathPoolConfig({}, { deadlineMs: 2_000, max: 3 });
    const broken = { query: async () => Promise.reject(new Error('Query read timeout')) } as unknown as ClientBase;
    await expect(Promise.resolve(config.onConnect!(broken))).rejects.toThrow('Query read timeout');
  });
});

describe('HotPathPool.sizes', () => {
  it('splits DATABASE_POOL_SIZE between the main pool and validate\'s without ever opening more, from the smallest size accepted', () => {
    for (let size = 3; size <= 500; size++) {
      const { batches, hot, main } = HotPathPool.sizes(size);
      expect({ size, total: hot + main }).toEqual({ size, total: size });
      // Migrations need two connections of the main pool; validate's claims and records one at least.
      expect(main).toBeGreaterThanOrEqual(2);
      expect(hot).toBeGreaterThanOrEqual(1);
      expect(batches).toBeGreaterThanOrEqual(1);
    }
    expect(HotPathPool.sizes(20)).toEqual({ batches: 5, hot: 11, main: 9 });
    expect(HotPathPool.sizes(3)).toEqual({ batches: 1, hot: 1, main: 2 });
  });

  it('refuses a size the two pools cannot keep to, rather than open more than it says', () => {
    expect(() => HotPathPool.sizes(2)).toThrow('DATABASE_POOL_SIZE must be at least 3 (got 2)');
    expect(() => HotPathPool.sizes(1)).toThrow('DATABASE_POOL_SIZE must be at least 3 (got 1)');
  });
});
