import { ModuleRef } from '@nestjs/core';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { HotPathPool } from '../persistence/hot-path-pool';
import { DatabasePoolMetrics } from './database-pool.metrics';
import { MetricsRecorder } from './metrics-recorder';

/** A pg pool as the gauges see it: its size and its current counts. */
function poolOf(max: number, counts: { total: number; idle: number; waiting: number }): Pool {
  return { options: { max }, totalCount: counts.total, idleCount: counts.idle, waitingCount: counts.waiting } as unknown as Pool;
}

/** The values of the pool's series in one scrape, by series. */
async function scrape(main: Pool | undefined, hotPath: HotPathPool | undefined): Promise<Record<string, number>> {
  const metrics = new MetricsRecorder();
  const dataSource = { driver: { master: main } } as unknown as DataSource;
  const moduleRef = {
    get: (token: unknown) => {
      if (token !== HotPathPool || hotPath === undefined) throw new Error('not found');
      return hotPath;
    },
  } as unknown as ModuleRef;
  new DatabasePoolMetrics(metrics, dataSource, moduleRef);
  const text = await metrics.registry.metrics();
  return Object.fromEntries([...text.matchAll(/^(tm_db_pool_\S+) (\S+)$/gm)].map(([, series, value]) => [series, Number(value)]));
}

describe('DatabasePoolMetrics', () => {
  it("counts validate's pools with the main pool, and their max is what they open together (DATABASE_POOL_SIZE)", async () => {
    // DATABASE_POOL_SIZE=20: the main pool 9, validate's records 6 and claims 5.
    const main = poolOf(9, { total: 5, idle: 3, waiting: 0 });
    const hotPath = new HotPathPool(poolOf(6, { total: 6, idle: 4, waiting: 1 }), poolOf(5, { total: 5, idle: 5, waiting: 2 }));
    expect(await scrape(main, hotPath)).toEqual({
      'tm_db_pool_connections{state="total"}': 16,
      'tm_db_pool_connections{state="idle"}': 12,
      'tm_db_pool_connections{state="waiting"}': 3,
      tm_db_pool_max_connections: 20,
    });
  });

  it('counts one hot-path pool once when claims share it', async () => {
    const shared = poolOf(1, { total: 1, idle: 1, waiting: 0 });
    expect(await scrape(poolOf(2, { total: 2, idle: 0, waiting: 4 }), new HotPathPool(shared))).toEqual({
      'tm_db_pool_connections{state="total"}': 3,
      'tm_db_pool_connections{state="idle"}': 1,
      'tm_db_pool_connections{state="waiting"}': 4,
      tm_db_pool_max_connections: 3,
    });
  });

  it('reads zero, not an error, before the pools exist', async () => {
    expect(await scrape(undefined, undefined)).toEqual({
      'tm_db_pool_connections{state="total"}': 0,
      'tm_db_pool_connections{state="idle"}': 0,
      'tm_db_pool_connections{state="waiting"}': 0,
      tm_db_pool_max_connections: 0,
    });
  });
});
