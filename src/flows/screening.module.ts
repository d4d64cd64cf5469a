// Screening flow: validate's synchronous decision, the shadow challenger beside it, and late screenings of providers that failed.
import { DynamicModule, Logger, Module, Provider } from '@nestjs/common';
import { DecideTransaction } from '../application/decide-transaction.use-case';
import { LateScreeningQueue } from '../application/ports/late-screening-queue.port';
import { MonitoringProvider } from '../application/ports/monitoring-provider.port';
import { ProviderVerdictStore, ShadowMonitoringProvider } from '../application/ports/provider-verdict-store.port';
import { TransactionStore } from '../application/ports/transaction-store.port';
import { ReadProviderVerdicts } from '../application/read-provider-verdicts.use-case';
import { RetryLateScreenings } from '../application/retry-late-screenings.use-case';
import { ShadowScreening } from '../application/shadow-screening.use-case';
import { ValidateTransaction } from '../application/validate-transaction.use-case';
import { LateScreeningWorker } from '../adapters/background/late-screening.worker';
import { ShadowScreeningLifecycle } from '../adapters/background/shadow-screening.lifecycle';
import { PersistenceModule } from '../adapters/persistence/persistence.module';
import { AppConfig } from '../config/app-config';

/** The modules this flow uses: the monitoring adapters, and review (a late verdict is decided like a callback). */
export interface ScreeningDependencies {
  readonly monitoring: DynamicModule;
  readonly review: DynamicModule;
}

/** With MONITORING_SHADOW_PROVIDER: the challenger is asked beside every new transaction. */
function shadowProviders(config: AppConfig): Provider[] {
  const { monitoring } = config;
  if (monitoring.shadowProviders.length === 0) return [];
  return [
    {
      provide: ShadowScreening,
      inject: [ShadowMonitoringProvider, ProviderVerdictStore],
      useFactory: (challenger: ShadowMonitoringProvider, store: ProviderVerdictStore) => {
        const logger = new Logger('ShadowScreening');
        const policy = { timeoutMs: monitoring.shadowTimeoutMs, maxInFlight: monitoring.shadowMaxInFlight };
        return new ShadowScreening(challenger, store, policy, (message) => logger.warn(message));
      },
    },
    { provide: ShadowScreeningLifecycle, inject: [ShadowScreening], useFactory: (shadow: ShadowScreening) => new ShadowScreeningLifecycle(shadow) },
  ];
}

function validateTransaction(config: AppConfig): Provider {
  const { monitoring } = config;
  return {
    provide: ValidateTransaction,
    inject: [TransactionStore, MonitoringProvider, { token: ShadowScreening, optional: true }],
    useFactory: (store: TransactionStore, provider: MonitoringProvider, shadow?: ShadowScreening) =>
      new ValidateTransaction(
        store,
        provider,
        { decisionTimeoutMs: monitoring.decisionTimeoutMs, fallbackStatus: monitoring.fallbackStatus },
        shadow ? (transaction, context) => shadow.start(transaction, context) : undefined,
      ),
  };
}

function lateScreeningWorker(config: AppConfig): Provider {
  const { monitoring } = config;
  return {
    provide: LateScreeningWorker,
    inject: [LateScreeningQueue, MonitoringProvider, DecideTransaction],
    useFactory: (queue: LateScreeningQueue, provider: MonitoringProvider, decide: DecideTransaction) =>
      new LateScreeningWorker(
        new RetryLateScreenings(queue, provider, decide, {
          // Nobody waits on a late screening, so it may take longer than validate's budget, never less.
          timeoutMs: Math.max(monitoring.lateScreeningTimeoutMs, monitoring.decisionTimeoutMs),
          schedule: {
            baseDelayMs: monitoring.lateScreeningRetryBaseMs,
            maxDelayMs: monitoring.lateScreeningRetryMaxDelayMs,
            maxAgeMs: monitoring.lateScreeningMaxAgeMs,
          },
        }),
        config.notifications.pollMs,
      ),
  };
}

@Module({})
export class ScreeningModule {
  static forRoot(config: AppConfig, uses: ScreeningDependencies): DynamicModule {
    return {
      module: ScreeningModule,
      imports: [PersistenceModule, uses.monitoring, uses.review],
      providers: [
        ...shadowProviders(config),
        validateTransaction(config),
        lateScreeningWorker(config),
        { provide: ReadProviderVerdicts, inject: [ProviderVerdictStore], useFactory: (store: ProviderVerdictStore) => new ReadProviderVerdicts(store) },
      ],
      exports: [ValidateTransaction, ReadProviderVerdicts],
    };
  }
}
