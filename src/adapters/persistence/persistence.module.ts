// PostgreSQL adapter: the data source, migrations at start, and every store port.
import { Logger, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { LateScreeningQueue } from '../../application/ports/late-screening-queue.port';
import { NotificationOutbox } from '../../application/ports/notification-outbox.port';
import { PaymentEventStore } from '../../application/ports/payment-event-store.port';
import { ProviderVerdictStore } from '../../application/ports/provider-verdict-store.port';
import { ReviewStore } from '../../application/ports/review-store.port';
import { SchemaStatus } from '../../application/ports/schema-status.port';
import { TransactionStore } from '../../application/ports/transaction-store.port';
import { AppConfig } from '../../config/app-config';
import { MigrationRunner } from './migration-runner';
import { MIGRATIONS } from './migrations';
import { PostgresLateScreeningQueue } from './postgres-late-screening.queue';
import { PostgresNotificationOutbox } from './postgres-notification.outbox';
import { PostgresPaymentEventStore } from './postgres-payment-event.store';
import { PostgresProviderVerdictStore } from './postgres-provider-verdict.store';
import { PostgresReviewStore } from './postgres-review.store';
import { PostgresTransactionStore } from './postgres-transaction.store';
import { createHotPathPool, HotPathHealth } from './hot-path-pool';

/** The stores use TypeORM's own pg pool directly: raw SQL, named prepared statements. */
const poolOf = (dataSource: DataSource): Pool => (dataSource.driver as PostgresDriver).master as Pool;

/**
 * Validate's claims and records get a pool of their own, sized for the batchers, whose every
 * statement is bounded by the validate deadline; the rest of DATABASE_POOL_SIZE stays with
 * everything else, so that neither can starve the other.
 */
export class HotPathPool implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(readonly pool: Pool) {}

  /** Opens the pool's connections before traffic does: the first burst after a start need not wait on them. */
  async onApplicationBootstrap(): Promise<void> {
    const clients = await Promise.all(Array.from({ length: this.pool.options.max ?? 1 }, () => this.pool.connect()));
    clients.forEach((client) => client.release());
  }

  static sizes(poolSize: number): { batches: number; hot: number; main: number } {
    const batches = Math.max(1, Math.floor(poolSize / 4));
    // Migrations and the workers need two connections of their own; below 4, the total exceeds the setting.
    const hot = Math.max(1, Math.min(poolSize - 2, 2 * batches + 1));
    return { batches, hot, main: Math.max(2, poolSize - hot) };
  }

  onApplicationShutdown(): Promise<void> {
    return this.pool.end();
  }
}

const hotPathLogger = new Logger('HotPathPool');

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        type: 'postgres' as const,
        url: config.database.url,
        entities: [],
        migrations: MIGRATIONS,
        migrationsTableName: 'schema_migrations',
        synchronize: false,
        migrationsRun: false,
        retryAttempts: 2,
        retryDelay: 1000,
        extra: {
          max: HotPathPool.sizes(config.database.poolSize).main,
          application_name: 'toqio-transaction-monitoring',
          connectionTimeoutMillis: 5000,
          keepAlive: true,
          keepAliveInitialDelayMillis: 5000,
          // JIT compilation costs tens of milliseconds and never pays back on short OLTP
          // statements. Plans are left to PostgreSQL (custom or generic per statement): forced
          // generic plans make validate slower as the tables grow.
          options: '-c jit=off',
        },
      }),
    }),
  ],
  providers: [
    MigrationRunner,
    { provide: SchemaStatus, useExisting: MigrationRunner },
    {
      provide: HotPathPool,
      inject: [DataSource, AppConfig],
      useFactory: (dataSource: DataSource, config: AppConfig) =>
        new HotPathPool(
          createHotPathPool(
            poolOf(dataSource).options,
            { deadlineMs: config.monitoring.validateDeadlineMs, max: HotPathPool.sizes(config.database.poolSize).hot },
            (error) => hotPathLogger.warn(`idle connection lost: ${error.message}`),
          ),
        ),
    },
    {
      provide: PostgresTransactionStore,
      inject: [HotPathPool, AppConfig],
      // Named prepared statements straight on the pool; claims and records each get up to
      // `batches` statements in flight.
      useFactory: (hot: HotPathPool, config: AppConfig) =>
        new PostgresTransactionStore(hot.pool, {
          maxConcurrentBatches: HotPathPool.sizes(config.database.poolSize).batches,
          // Half the deadline: longer is a stall, not load.
          health: new HotPathHealth(config.monitoring.validateDeadlineMs / 2),
        }),
    },
    { provide: TransactionStore, useExisting: PostgresTransactionStore },
    { provide: ReviewStore, inject: [DataSource], useFactory: (dataSource: DataSource) => new PostgresReviewStore(poolOf(dataSource)) },
    { provide: NotificationOutbox, inject: [DataSource], useFactory: (dataSource: DataSource) => new PostgresNotificationOutbox(poolOf(dataSource)) },
    { provide: LateScreeningQueue, inject: [DataSource], useFactory: (dataSource: DataSource) => new PostgresLateScreeningQueue(poolOf(dataSource)) },
    { provide: PaymentEventStore, inject: [DataSource], useFactory: (dataSource: DataSource) => new PostgresPaymentEventStore(poolOf(dataSource)) },
    { provide: ProviderVerdictStore, inject: [DataSource], useFactory: (dataSource: DataSource) => new PostgresProviderVerdictStore(poolOf(dataSource)) },
  ],
  exports: [PostgresTransactionStore, TransactionStore, ReviewStore, NotificationOutbox, LateScreeningQueue, PaymentEventStore, ProviderVerdictStore, SchemaStatus],
})
export class PersistenceModule {}
