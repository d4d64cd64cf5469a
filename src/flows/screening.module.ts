// Screening flow: validate's synchronous decision, the shadow challenger beside it, and late screenings of providers that failed.
import { DynamicModule, Logger, Module, Provider } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { DecideTransaction } from '../application/decide-transaction.use-case';
import { LateScreeningQueue } from '../application/ports/late-screening-queue.port';
import { MonitoringProvider } from '../application/ports/monitoring-provider.port';
import { ProviderHealth } from '../application/ports/provider-health.port';
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
import { monitoringConfig } from '../config/monitoring.config';
import { toqioConfig } from '../config/toqio.config';

/** The modules this flow uses: the monitoring adapters, and review (a late verdict is decided like a callback). */
export interface ScreeningDependencies {
  readonly monitoring: DynamicModule;
  readonly review: DynamicModule;
}

/** With MONITORING_SHADOW_PROVIDER: the challenger is asked beside every new transaction. */
function shadowProviders(shadowing: boolean): Provider[] {
  if (!shadowing) return [];
  return [
    {
      provide: ShadowScreening,
      inject: [ShadowMonitoringProvider, ProviderVerdictStore, monitoringConfig.KEY],
      useFactory: (challenger: ShadowMonitoringProvider, store: ProviderVerdictStore, monitoring: ConfigType<typeof monitoringConfig>) => {
        const logger = new Logger('ShadowScreening');
        const policy = { timeoutMs: monitoring.shadowTimeoutMs, maxInFlight: monitoring.shadowMaxInFlight };
        return new ShadowScreening(challenger, store, policy, (message) => logger.warn(message));
      },
    },
    { provide: ShadowScreeningLifecycle, inject: [ShadowScreening], useFactory: (shadow: ShadowScreening) => new ShadowScreeningLifecycle(shadow) },
  ];
}

/**
 * A claim older than this has no live claimant: past its deadline and any work it left running
 * (whose statements end at the deadline), with margin for clocks.
 */
function staleClaimMs(monitoring: ConfigType<typeof monitoringConfig>): number {
  return Math.max(monitoring.validateDeadlineMs, monitoring.decisionTimeoutMs) + 5_000;
}

const validateTransaction: Provider = {
  provide: ValidateTransaction,
  inject: [TransactionStore, MonitoringProvider, monitoringConfig.KEY, { token: ShadowScreening, optional: true }],
  useFactory: (store: TransactionStore, provider: MonitoringProvider, monitoring: ConfigType<typeof monitoringConfig>, shadow?: ShadowScreening) =>
    new ValidateTransaction(
      store,
      provider,
      {
        decisionTimeoutMs: monitoring.decisionTimeoutMs,
        fallbackStatus: monitoring.fallbackStatus,
        deadlineMs: monitoring.validateDeadlineMs,
        staleClaimMs: staleClaimMs(monitoring),
      },
      shadow,
    ),
};

/** Claims a validate left SCREENING when it passed its deadline are screened and recorded in the background. */
const staleClaimsWorker: Provider = {
  provide: StaleClaimsWorker,
  inject: [TransactionStore, MonitoringProvider, monitoringConfig.KEY],
  useFactory: (store: TransactionStore, provider: MonitoringProvider, monitoring: ConfigType<typeof monitoringConfig>) =>
    new StaleClaimsWorker(
      new ResolveStaleClaims(store, provider, { staleClaimMs: staleClaimMs(monitoring), timeoutMs: monitoring.decisionTimeoutMs, fallbackStatus: monitoring.fallbackStatus }),
      Math.min(5_000, staleClaimMs(monitoring)),
    ),
};

const lateScreeningWorker: Provider = {
  provide: LateScreeningWorker,
  inject: [LateScreeningQueue, MonitoringProvider, ProviderHealth, DecideTransaction, monitoringConfig.KEY, toqioConfig.KEY],
  useFactory: (
    queue: LateScreeningQueue,
    provider: MonitoringProvider,
    health: ProviderHealth,
    decide: DecideTransaction,
    monitoring: ConfigType<typeof monitoringConfig>,
    toqio: ConfigType<typeof toqioConfig>,
  ) =>
    new LateScreeningWorker(
      new RetryLateScreenings(queue, provider, decide, {
        // Nobody waits on a late screening, so it may take longer than validate's budget, never less.
        timeoutMs: Math.max(monitoring.lateScreeningTimeoutMs, monitoring.decisionTimeoutMs),
        schedule: {
          baseDelayMs: monitoring.lateScreeningRetryBaseMs,
          maxDelayMs: monitoring.lateScreeningRetryMaxDelayMs,
          maxAgeMs: monitoring.lateScreeningMaxAgeMs,
        },
      }, { health }),
      toqio.delivery.pollMs,
    ),
};

@Module({})
export class ScreeningModule {
  static forRoot(monitoring: ConfigType<typeof monitoringConfig>, uses: ScreeningDependencies): DynamicModule {
    return {
      module: ScreeningModule,
      imports: [PersistenceModule, uses.monitoring, uses.review],
      providers: [
        ...shadowProviders(monitoring.shadowProviders.length > 0),
        validateTransaction,
        lateScreeningWorker,
        staleClaimsWorker,
        { provide: ReadProviderVerdicts, inject: [ProviderVerdictStore], useFactory: (store: ProviderVerdictStore) => new ReadProviderVerdicts(store) },
      ],
      exports: [ValidateTransaction, ReadProviderVerdicts],
    };
  }
}
