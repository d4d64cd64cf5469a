// Review flow: analysts' queue, claims, decisions (one or in bulk), notes and attachments, provider callbacks, redelivery of dead notifications, and sanctions allowances.
import { DynamicModule, Module } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { CaseRecords } from '../application/case-records.use-case';
import { ClaimCase } from '../application/claim-case.use-case';
import { CaseClaimStore } from '../application/ports/case-claim-store.port';
import { AllowSanctionsMatch } from '../application/allow-sanctions-match.use-case';
import { DecideInBulk } from '../application/decide-in-bulk.use-case';
import { DecideTransaction } from '../application/decide-transaction.use-case';
import { CaseRecordStore } from '../application/ports/case-record-store.port';
import { MonitoringProvider } from '../application/ports/monitoring-provider.port';
import { NotificationOutbox } from '../application/ports/notification-outbox.port';
import { ReviewReadModel } from '../application/ports/review-read-model.port';
import { ReviewStore } from '../application/ports/review-store.port';
import { SanctionsLists } from '../application/ports/sanctions-lists.port';
import { ReceiveProviderCallback } from '../application/receive-provider-callback.use-case';
import { RedeliverNotification } from '../application/redeliver-notification.use-case';
import { ReviewQueue } from '../application/review-queue.use-case';
import { MetricsRecorder } from '../adapters/metrics/metrics-recorder';
import { PersistenceModule } from '../adapters/persistence/persistence.module';
import { analystsConfig } from '../config/analysts.config';
import { Decimal } from '../domain/decimal';
import { OperatorEventWakeUp } from './alerts.module';
import { DeliveryWakeUp } from './delivery.module';

/** The modules this flow uses: the monitoring adapters (for callbacks), delivery and alerts (to wake their workers). */
export interface ReviewDependencies {
  readonly monitoring: DynamicModule;
  readonly delivery: DynamicModule;
  readonly alerts: DynamicModule;
}

@Module({})
export class ReviewModule {
  static forRoot(uses: ReviewDependencies): DynamicModule {
    return {
      module: ReviewModule,
      imports: [PersistenceModule, uses.monitoring, uses.delivery, uses.alerts],
      providers: [
        {
          provide: ReviewQueue,
          inject: [ReviewReadModel, analystsConfig.KEY],
          useFactory: (readModel: ReviewReadModel, analysts: ConfigType<typeof analystsConfig>) =>
            new ReviewQueue(readModel, { pendingSlaMinutes: analysts.pendingSlaMinutes }),
        },
        {
          provide: DecideTransaction,
          inject: [ReviewStore, MetricsRecorder, DeliveryWakeUp, OperatorEventWakeUp, analystsConfig.KEY],
          useFactory: (store: ReviewStore, metrics: MetricsRecorder, delivery: DeliveryWakeUp, events: OperatorEventWakeUp, analysts: ConfigType<typeof analystsConfig>) =>
            new DecideTransaction(
              store,
              {
                threshold: analysts.fourEyesThreshold === undefined ? undefined : Decimal.parse(analysts.fourEyesThreshold),
                secondApprovalRole: analysts.fourEyesSecondRole,
              },
              {
                onNotificationQueued: () => delivery.wake(),
                onEventQueued: () => events.wake(),
                onDecided: (source, status) => metrics.decision(source === 'ANALYST' ? 'analyst' : 'provider', status),
              },
            ),
        },
        { provide: DecideInBulk, inject: [DecideTransaction], useFactory: (decide: DecideTransaction) => new DecideInBulk(decide) },
        {
          provide: ClaimCase,
          inject: [CaseClaimStore, analystsConfig.KEY],
          useFactory: (store: CaseClaimStore, analysts: ConfigType<typeof analystsConfig>) => new ClaimCase(store, { ttlMinutes: analysts.claimTtlMinutes }),
        },
        { provide: CaseRecords, inject: [CaseRecordStore], useFactory: (store: CaseRecordStore) => new CaseRecords(store) },
        {
          provide: RedeliverNotification,
          inject: [NotificationOutbox, DeliveryWakeUp],
          useFactory: (outbox: NotificationOutbox, delivery: DeliveryWakeUp) => new RedeliverNotification(outbox, () => delivery.wake()),
        },
        {
          provide: ReceiveProviderCallback,
          inject: [MonitoringProvider, DecideTransaction],
          useFactory: (provider: MonitoringProvider, decide: DecideTransaction) => new ReceiveProviderCallback(provider, decide),
        },
        { provide: AllowSanctionsMatch, inject: [SanctionsLists], useFactory: (lists: SanctionsLists) => new AllowSanctionsMatch(lists) },
      ],
      exports: [ReviewQueue, DecideTransaction, DecideInBulk, ClaimCase, CaseRecords, RedeliverNotification, ReceiveProviderCallback, AllowSanctionsMatch],
    };
  }
}
