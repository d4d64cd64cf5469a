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
import { ResolveStaleClaims } from '../application/resolve-stale-claims.use-case';
import { ValidateTransaction } from '../application/validate-transaction.use-case';
import { LateScreeningWorker } from '../adapters/background/late-screening.worker';
import { ShadowScreeningLifecycle } from '../adapters/background/shadow-screening.lifecycle';
import { StaleClaimsWorker } from '../adapters/background/stale-claims.worker';
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
        {
          decisionTimeoutMs: monitoring.decisionTimeoutMs,
          fallbackStatus: monitoring.fallbackStatus,
          deadlineMs: monitoring.validateDeadlineMs,
          staleClaimMs: staleClaimMs(config),
        },
        shadow ? (transaction, context) => shadow.start(transaction, context) : undefined,
      ),
  };
}

/**
 * A claim older than this has no live claimant: past its deadline and any work it left running
 * (whose statements end at the deadline), with margin for clocks.
 */
function staleClaimMs(config: AppConfig): number {
  return Math.max(config.monitoring.validateDeadlineMs, config.monitoring.decisionTimeoutMs) + 5_000;
}

/** Claims a validate left SCREENING when it passed its deadline are screened and recorded in the background. */
function staleClaimsWorker(config: AppConfig): Provider {
  const { monitoring } = config;
  return {
    provide: StaleClaimsWorker,
    inject: [TransactionStore, MonitoringProvider],
    useFactory: (store: TransactionStore, provider: MonitoringProvider) =>
      new StaleClaimsWorker(
        new ResolveStaleClaims(store, provider, { staleClaimMs: staleClaimMs(config), timeoutMs: monitoring.decisionTimeoutMs, fallbackStatus: monitoring.fallbackStatus }),
        Math.min(5_000, staleClaimMs(config)),
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
        staleClaimsWorker(config),
        { provide: ReadProviderVerdicts, inject: [ProviderVerdictStore], useFactory: (store: ProviderVerdictStore) => new ReadProviderVerdicts(store) },
      ],
      exports: [ValidateTransaction, ReadProviderVerdicts],
    };
  }
}
