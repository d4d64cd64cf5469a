// Database pool usage, read at scrape time from TypeORM's pg pool and validate's own (HotPathPool).
import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { Pool } from 'pg';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { HotPathPool } from '../persistence/hot-path-pool';
import { MetricsRecorder } from './metrics-recorder';

/**
 * total/idle/waiting of every pool DATABASE_POOL_SIZE is split into, summed: the main pool every
 * store shares and validate's (records and claims). Waiting above zero for long means requests
 * queue for a connection (DATABASE_POOL_SIZE too small, or the database slow). The LISTEN and
 * backtest connections, opened beside the pools, are not counted.
 */
@Injectable()
export class DatabasePoolMetrics {
  private hotPath?: HotPathPool;

  constructor(
    metrics: MetricsRecorder,
    private readonly dataSource: DataSource,
    private readonly moduleRef: ModuleRef,
  ) {
    const pools = () => this.pools();
    new Gauge({
      name: 'tm_db_pool_connections',
      help: "PostgreSQL pool connections of this replica, the main pool's and validate's together: total open, idle, and requests waiting for one",
      labelNames: ['state'] as const,
      registers: [metrics.registry],
      collect() {
        const current = pools();
        this.set({ state: 'total' }, sum(current, (pool) => pool.totalCount));
        this.set({ state: 'idle' }, sum(current, (pool) => pool.idleCount));
        this.set({ state: 'waiting' }, sum(current, (pool) => pool.waitingCount));
      },
    });
    new Gauge({
      name: 'tm_db_pool_max_connections',
      help: "The most connections this replica's pools open together (DATABASE_POOL_SIZE)",
      registers: [metrics.registry],
      collect() {
        this.set(sum(pools(), (pool) => pool.options.max ?? 0));
      },
    });
  }

  /** The pools open now. HotPathPool is PersistenceModule's own, so it is looked up rather than injected. */
  private pools(): Pool[] {
    const main = (this.dataSource.driver as PostgresDriver | undefined)?.master as Pool | undefined;
    try {
      this.hotPath ??= this.moduleRef.get(HotPathPool, { strict: false });
    } catch {
      // Not created (yet): only the main pool is counted.
    }
    return [...(main ? [main] : []), ...(this.hotPath?.pools() ?? [])];
  }
}

function sum(pools: readonly Pool[], count: (pool: Pool) => number): number {
  return pools.reduce((total, pool) => total + count(pool), 0);
}
