// Operators' metrics endpoint, fed by the review queue, the outbox, the monitoring adapters and the database pool.
import { DynamicModule, Module } from '@nestjs/common';
import { PersistenceModule } from '../persistence/persistence.module';
import { DatabasePoolMetrics } from './database-pool.metrics';
import { MetricsController } from './metrics.controller';
import { MetricsScrape } from './metrics-scrape';

/** The modules read at scrape time: review (its queue) and monitoring (provider health). */
export interface MetricsSources {
  readonly review: DynamicModule;
  readonly monitoring: DynamicModule;
}

@Module({})
export class MetricsModule {
  static forRoot(sources: MetricsSources): DynamicModule {
    return {
      module: MetricsModule,
      imports: [PersistenceModule, sources.review, sources.monitoring],
      controllers: [MetricsController],
      providers: [MetricsScrape, DatabasePoolMetrics],
    };
  }
}
