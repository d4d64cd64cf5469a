// The in-memory sanctions index as a module: followed from PostgreSQL, built while something needs it (SanctionsOnDemand: the active rule set; a backtest), before the service takes traffic when the active rule set does.
import { Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { SanctionsLists } from '../../application/ports/sanctions-lists.port';
import { PersistenceModule } from '../persistence/persistence.module';
import { MetricsRecorder } from '../metrics/metrics-recorder';
import { LiveSanctionsIndex } from './live-sanctions-index';
import { registerSanctionsMetrics } from './sanctions.metrics';

@Module({
  imports: [PersistenceModule],
  providers: [
    {
      provide: LiveSanctionsIndex,
      inject: [SanctionsLists, MetricsRecorder],
      useFactory: (lists: SanctionsLists, metrics: MetricsRecorder) => {
        const index = new LiveSanctionsIndex(lists, new Logger('Sanctions'));
        registerSanctionsMetrics(metrics, index);
        return index;
      },
    },
  ],
  exports: [LiveSanctionsIndex],
})
export class SanctionsModule implements OnModuleInit, OnApplicationShutdown {
  constructor(private readonly index: LiveSanctionsIndex) {}

  /** Migrations run before modules initialise (PersistenceModule), so the tables exist by now. Builds nothing until needed. */
  async onModuleInit(): Promise<void> {
    await this.index.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.index.stop();
  }
}
