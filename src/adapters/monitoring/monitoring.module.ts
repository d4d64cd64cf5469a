// Chooses the monitoring adapters once, from validated configuration: one provider, a combination, and a shadow challenger.
import { AggregateQuery } from '../../domain/aggregate';
import { DynamicModule, Logger, Module, Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { CallSignal } from '../../application/ports/call-signal';
import { MonitoringProvider } from '../../application/ports/monitoring-provider.port';
import { ProviderHealth, ProviderRole } from '../../application/ports/provider-health.port';
import { ProviderVerdictStore, ShadowMonitoringProvider } from '../../application/ports/provider-verdict-store.port';
import { ConfigType } from '@nestjs/config';
import { monitoringConfig } from '../../config/monitoring.config';
import { MonitoringProviderName } from '../../config/vendors.config';
import { ScreeningContext } from '../../domain/screening-context';
import { Transaction } from '../../domain/transaction';
import { Verdict } from '../../domain/verdict';
import { PersistenceModule } from '../persistence/persistence.module';
import { CombinedMonitoringProvider } from './combined/combined-monitoring.provider';
import { recordParts } from './combined/record-parts';
import { FlagrightMonitoringModule } from './flagright/flagright-monitoring.module';
import { FlagrightMonitoringProvider } from './flagright/flagright-monitoring.provider';
import { HttpMonitoringModule } from './http/http-monitoring.module';
import { HttpMonitoringProvider } from './http/http-monitoring.provider';
import { MarbleMonitoringModule } from './marble/marble-monitoring.module';
import { MarbleMonitoringProvider } from './marble/marble-monitoring.provider';
import { ProviderTelemetry } from './resilience/provider-telemetry';
import { ResilientMonitoringProvider } from './resilience/resilient-monitoring.provider';
import { RulesMonitoringModule } from './rules/rules-monitoring.module';
import { RulesMonitoringProvider } from './rules/rules-monitoring.provider';

/** Each adapter is a module of its own, exporting its provider class. */
const ADAPTERS: Record<MonitoringProviderName, { module: Type | DynamicModule; provider: Type<MonitoringProvider> }> = {
  rules: { module: RulesMonitoringModule.withLiveState(), provider: RulesMonitoringProvider },
  flagright: { module: FlagrightMonitoringModule, provider: FlagrightMonitoringProvider },
  marble: { module: MarbleMonitoringModule, provider: MarbleMonitoringProvider },
  http: { module: HttpMonitoringModule, provider: HttpMonitoringProvider },
};

/** The challenger behind its own injection token, so that it can never be taken for the live provider. */
class ShadowProvider extends ShadowMonitoringProvider {
  readonly name: string;

  constructor(private readonly inner: MonitoringProvider) {
    super();
    this.name = inner.name;
  }

  override get aggregates(): readonly AggregateQuery[] {
    return this.inner.aggregates;
  }

  override get abortable(): boolean {
    return this.inner.abortable;
  }

  screen(transaction: Transaction, context: ScreeningContext, signal: CallSignal): Promise<Verdict> {
    return this.inner.screen(transaction, context, signal);
  }
}

/**
 * The time a part of a combination may take: a little less than validate's budget, so that the
 * combination is complete (with the late ones counted as failed) before validate stops waiting.
 */
export function partTimeoutMs(decisionTimeoutMs: number): number {
  return Math.max(1, decisionTimeoutMs - Math.min(50, Math.floor(decisionTimeoutMs / 10)));
}

@Module({})
export class MonitoringModule {
  static forRoot(monitoring: ConfigType<typeof monitoringConfig>): DynamicModule {
    const names = [...new Set([...monitoring.providers, ...monitoring.shadowProviders])];
    const adapterModules = names.map((name) => ADAPTERS[name].module);
    const logger = new Logger('Monitoring');

    const build = (moduleRef: ModuleRef, telemetry: ProviderTelemetry, store: ProviderVerdictStore, role: ProviderRole): MonitoringProvider => {
      const list = role === 'LIVE' ? monitoring.providers : monitoring.shadowProviders;
      const timeoutMs = role === 'LIVE' ? partTimeoutMs(monitoring.decisionTimeoutMs) : monitoring.shadowTimeoutMs;
      const parts = list.map((name) =>
        telemetry.register(
          new ResilientMonitoringProvider(
            moduleRef.get(ADAPTERS[name].provider, { strict: false }),
            { role, timeoutMs, breakerThreshold: monitoring.breakerThreshold, halfOpenAfterMs: monitoring.breakerHalfOpenMs },
            telemetry.listener,
          ),
        ),
      );
      if (parts.length === 1) return parts[0]!;
      // A combined challenger is compared as a whole: its parts are not stored one by one.
      if (role === 'SHADOW') return new CombinedMonitoringProvider(parts, monitoring.fallbackStatus);
      return new CombinedMonitoringProvider(parts, monitoring.fallbackStatus, recordParts(store, role, (message) => logger.warn(message)));
    };

    // Injected (unused) so that Nest builds the adapters first: the rules adapter waits for the
    // sanctions index, and `build` looks the adapters up by class.
    const adapters = names.map((name) => ADAPTERS[name].provider);
    return {
      module: MonitoringModule,
      imports: [PersistenceModule, ...adapterModules],
      providers: [
        ProviderTelemetry,
        { provide: ProviderHealth, useExisting: ProviderTelemetry },
        {
          provide: MonitoringProvider,
          inject: [ModuleRef, ProviderTelemetry, ProviderVerdictStore, ...adapters],
          useFactory: (moduleRef: ModuleRef, telemetry: ProviderTelemetry, store: ProviderVerdictStore) => build(moduleRef, telemetry, store, 'LIVE'),
        },
        ...(monitoring.shadowProviders.length > 0
          ? [
              {
                provide: ShadowMonitoringProvider,
                inject: [ModuleRef, ProviderTelemetry, ProviderVerdictStore, ...adapters],
                useFactory: (moduleRef: ModuleRef, telemetry: ProviderTelemetry, store: ProviderVerdictStore) =>
                  new ShadowProvider(build(moduleRef, telemetry, store, 'SHADOW')),
              },
            ]
          : []),
      ],
      exports: [MonitoringProvider, ProviderHealth, ...(monitoring.shadowProviders.length > 0 ? [ShadowMonitoringProvider] : [])],
    };
  }
}
