// Database pool usage, read from TypeORM's pg pool at scrape time.
import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { Pool } from 'pg';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { databaseConfig } from '../../config/database.config';
import { MetricsRecorder } from './metrics-recorder';

/**
 * total/idle/waiting of the one pool every store shares: waiting above zero for long means
 * requests queue for a connection (DATABASE_POOL_SIZE too small, or the database slow).
 */
@Injectable()
export class DatabasePoolMetrics {
  constructor(metrics: MetricsRecorder, dataSource: DataSource, @Inject(databaseConfig.KEY) database: ConfigType<typeof databaseConfig>) {
    const pool = () => (dataSource.driver as PostgresDriver).master as Pool | undefined;
    new Gauge({
      name: 'tm_db_pool_connections',
      help: 'PostgreSQL pool connections of this replica: total open, idle, and requests waiting for one',
      labelNames: ['state'] as const,
      registers: [metrics.registry],
      collect() {
        const current = pool();
        this.set({ state: 'total' }, current?.totalCount ?? 0);
        this.set({ state: 'idle' }, current?.idleCount ?? 0);
        this.set({ state: 'waiting' }, current?.waitingCount ?? 0);
      },
    });
    new Gauge({
      name: 'tm_db_pool_max_connections',
      help: 'DATABASE_POOL_SIZE: the most connections this replica opens',
      registers: [metrics.registry],
    }).set(database.poolSize);
  }
}
