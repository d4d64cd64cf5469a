// PostgreSQL adapter: the data source, migrations at start, and every store port.
import { BeforeApplicationShutdown, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { CaseAlertSource } from '../../application/ports/case-alert-source.port';
import { CaseClaimStore } from '../../application/ports/case-claim-store.port';
import { CaseRecordStore } from '../../application/ports/case-record-store.port';
import { ChainAudit } from '../../application/ports/chain-audit.port';
import { CheckpointStore } from '../../application/ports/checkpoint-store.port';
import { LateScreeningQueue } from '../../application/ports/late-screening-queue.port';
import { ManagedListStore } from '../../application/ports/managed-list-store.port';
import { RuleSetStore } from '../../application/ports/rule-set-store.port';
import { BacktestStore } from '../../application/ports/backtest-store.port';
import { TransactionHistory } from '../../application/ports/transaction-history.port';
import { NotificationOutbox } from '../../application/ports/notification-outbox.port';
import { OperatorEventQueue } from '../../application/ports/operator-event-outbox.port';
import { PaymentEventLog } from '../../application/ports/payment-event-log.port';
import { PaymentEventStore } from '../../application/ports/payment-event-store.port';
import { ReconciliationStore } from '../../application/ports/reconciliation-store.port';
import { PaymentAlertSource } from '../../application/ports/payment-alert-source.port';
import { ProviderVerdictStore } from '../../application/ports/provider-verdict-store.port';
import { ReviewReadModel } from '../../application/ports/review-read-model.port';
import { ReviewStore } from '../../application/ports/review-store.port';
import { SanctionsLists } from '../../application/ports/sanctions-lists.port';
import { SchemaStatus } from '../../application/ports/schema-status.port';
import { TransactionStore } from '../../application/ports/transaction-store.port';
import { auditConfig } from '../../config/audit.config';
import { databaseConfig } from '../../config/database.config';
import { eventsConfig } from '../../config/events.config';
import { monitoringConfig } from '../../config/monitoring.config';
import { MigrationRunner } from './migration-runner';
import { MIGRATIONS } from './migrations';
import { PostgresCaseAlertSource } from './postgres-case-alert.source';
import { PostgresCaseClaimStore } from './postgres-case-claim.store';
import { PostgresCaseRecordStore } from './postgres-case-record.store';
import { PostgresChainAudit } from './postgres-chain-audit';
import { PostgresCheckpointStore } from './postgres-checkpoint.store';
import { PostgresLateScreeningQueue } from './postgres-late-screening.queue';
import { PostgresManagedListStore } from './postgres-managed-list.store';
import { PostgresRuleSetStore } from './postgres-rule-set.store';
import { PostgresBacktestStore } from './postgres-backtest.store';
import { PostgresTransactionHistory } from './postgres-transaction.history';
import { PostgresNotificationOutbox } from './postgres-notification.outbox';
import { PostgresOperatorEventOutbox } from './postgres-operator-event.outbox';
import { PostgresPaymentEventLog } from './postgres-payment-event.log';
import { PostgresPaymentEventStore } from './postgres-payment-event.store';
import { PostgresReconciliationStore } from './postgres-reconciliation.store';
import { PostgresPaymentAlertSource } from './postgres-payment-alert.source';
import { PostgresProviderVerdictStore } from './postgres-provider-verdict.store';
import { PostgresReviewReadModel } from './postgres-review.read-model';
import { PostgresReviewStore } from './postgres-review.store';
import { PostgresSanctionsLists } from './postgres-sanctions-lists';
import { PostgresTransactionStore } from './postgres-transaction.store';
import { HotPathHealth, HotPathPool } from './hot-path-pool';
import { SearchIndexUpkeep } from './search-index-upkeep';

/** How long a statement on the main pool waits for a lock before it fails (55P03: a 503). */
export const MAIN_POOL_LOCK_TIMEOUT_MS = 5_000;

/** The stores use TypeORM's own pg pool directly (validate's its own, see HotPathPool): raw SQL, named prepared statements. */
const poolOf = (dataSource: DataSource): Pool => (dataSource.driver as PostgresDriver).master as Pool;

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [databaseConfig.KEY],
      useFactory: (database: ConfigType<typeof databaseConfig>) => ({
        type: 'postgres' as const,
        url: database.url,
        entities: [],
        migrations: MIGRATIONS,
        migrationsTableName: 'schema_migrations',
        synchronize: false,
        migrationsRun: false,
        retryAttempts: 2,
        retryDelay: 1000,
        extra: {
          max: HotPathPool.sizes(database.poolSize).main,
          application_name: 'toqio-transaction-monitoring',
          connectionTimeoutMillis: 5000,
          // A statement waiting longer than this for a lock (a table locked by a migration or by
          // hand) fails with 55P03, which every route answers 503 with Retry-After, instead of
          // holding its request, and the pool's connection, for as long as the lock is held.
          // Validate's pools bound theirs by VALIDATE_DEADLINE_MS (hot-path-pool.ts).
          lock_timeout: MAIN_POOL_LOCK_TIMEOUT_MS,
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
      inject: [DataSource, databaseConfig.KEY, monitoringConfig.KEY],
      useFactory: (dataSource: DataSource, database: ConfigType<typeof databaseConfig>, monitoring: ConfigType<typeof monitoringConfig>) =>
        HotPathPool.create(poolOf(dataSource).options, { deadlineMs: monitoring.validateDeadlineMs, max: HotPathPool.sizes(database.poolSize).hot }, new Logger('HotPathPool')),
    },
    {
      provide: PostgresTransactionStore,
      inject: [HotPathPool, databaseConfig.KEY, monitoringConfig.KEY],
      // Named prepared statements straight on validate's pool; claims and records each get up to
      // `batches` statements in flight. A statement running for half the deadline is a stall, not load.
      useFactory: (hot: HotPathPool, database: ConfigType<typeof databaseConfig>, monitoring: ConfigType<typeof monitoringConfig>) =>
        new PostgresTransactionStore(hot.pool, {
          claimPool: hot.claims,
          maxConcurrentBatches: HotPathPool.sizes(database.poolSize).batches,
          health: new HotPathHealth(monitoring.validateDeadlineMs / 2),
        }),
    },
    { provide: TransactionStore, useExisting: PostgresTransactionStore },
    {
      provide: ReviewStore,
      inject: [DataSource, eventsConfig.KEY],
      useFactory: (dataSource: DataSource, events: ConfigType<typeof eventsConfig>) => new PostgresReviewStore(poolOf(dataSource), { raiseEvents: events.webhook !== undefined }),
    },
    { provide: CaseAlertSource, inject: [DataSource], useFactory: (dataSource: DataSource) => new PostgresCaseAlertSource(poolOf(dataSource)) },
    { provide: CaseClaimStore, inject: [DataSource], useFactory: (dataSource: DataSource) => new PostgresCaseClaimStore(poolOf(dataSource)) },
    { provide: CaseRecordStore, inject: [DataSource], useFactory: (dataSource: DataSource) => new PostgresCaseRecordStore(poolOf(dataSource)) },
    { provide: ChainAudit, inject: [DataSource], useFactory: (dataSource: DataSource) => new PostgresChainAudit(poolOf(dataSource)) },
    {
      provide: CheckpointStore,
      inject: [DataSource, auditConfig.KEY],
      useFactory: (dataSource: DataSource, audit: ConfigType<typeof auditConfig>) => new PostgresCheckpointStore(poolOf(dataSource), audit.signingKey),
    },
    { provide: ReviewReadModel, inject: [DataSource], useFactory: (dataSource: DataSource) => new PostgresReviewReadModel(poolOf(dataSource)) },
    { provide: NotificationOutbox, inject: [DataSource], useFactory: (dataSource: DataSource) => new PostgresNotificationOutbox(poolOf(dataSource)) },
    { provide: PostgresOperatorEventOutbox, inject: [DataSource], useFactory: (dataSource: DataSource) => new PostgresOperatorEventOutbox(poolOf(dataSource)) },
    // The queue side only; the alerts flow decides whether raising events stores anything (OperatorEventOutbox).
    { provide: OperatorEventQueue, useExisting: PostgresOperatorEventOutbox },
    { provide: LateScreeningQueue, inject: [DataSource], useFactory: (dataSource: DataSource) => new PostgresLateScreeningQueue(poolOf(dataSource)) },
    { provide: PaymentEventStore, inject: [DataSource], useFactory: (dataSource: DataSource) => new PostgresPaymentEventStore(poolOf(dataSource)) },
    { provide: PaymentEventLog, inject: [DataSource], useFactory: (dataSource: DataSource) => new PostgresPaymentEventLog(poolOf(dataSource)) },
    { provide: ReconciliationStore, inject: [DataSource], useFactory: (dataSource: DataSource) => new PostgresReconciliationStore(poolOf(dataSource)) },
    { provide: PaymentAlertSource, inject: [DataSource], useFactory: (dataSource: DataSource) => new PostgresPaymentAlertSource(poolOf(dataSource)) },
    { provide: ProviderVerdictStore, inject: [DataSource], useFactory: (dataSource: DataSource) => new PostgresProviderVerdictStore(poolOf(dataSource)) },
    { provide: SanctionsLists, inject: [DataSource], useFactory: (dataSource: DataSource) => new PostgresSanctionsLists(poolOf(dataSource), poolOf(dataSource).options) },
    { provide: ManagedListStore, inject: [DataSource], useFactory: (dataSource: DataSource) => new PostgresManagedListStore(poolOf(dataSource), poolOf(dataSource).options) },
    { provide: RuleSetStore, inject: [DataSource], useFactory: (dataSource: DataSource) => new PostgresRuleSetStore(poolOf(dataSource), poolOf(dataSource).options) },
    { provide: SearchIndexUpkeep, inject: [DataSource], useFactory: (dataSource: DataSource) => new SearchIndexUpkeep(poolOf(dataSource)) },
    { provide: BacktestStore, inject: [DataSource], useFactory: (dataSource: DataSource) => new PostgresBacktestStore(poolOf(dataSource)) },
    // Backtests read on connections of their own, opened per job.
    { provide: TransactionHistory, inject: [DataSource], useFactory: (dataSource: DataSource) => new PostgresTransactionHistory(poolOf(dataSource).options) },
  ],
  exports: [PostgresTransactionStore, TransactionStore, ReviewStore, CaseAlertSource, CaseClaimStore, CaseRecordStore, ChainAudit, CheckpointStore, ReviewReadModel, NotificationOutbox, PostgresOperatorEventOutbox, OperatorEventQueue, LateScreeningQueue, PaymentEventStore, PaymentEventLog, ReconciliationStore, PaymentAlertSource, ProviderVerdictStore, SanctionsLists, ManagedListStore, RuleSetStore, BacktestStore, TransactionHistory, SchemaStatus],
})
export class PersistenceModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(private readonly searchIndexUpkeep: SearchIndexUpkeep) {}

  onApplicationBootstrap(): void {
    this.searchIndexUpkeep.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.searchIndexUpkeep.stop();
  }
}
