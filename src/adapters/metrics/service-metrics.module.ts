// Makes the service's instruments injectable everywhere: controllers, workers and the scrape.
import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { operationsConfig } from '../../config/operations.config';
import { ServiceMetrics } from './service-metrics';

@Global()
@Module({})
export class ServiceMetricsModule {
  static forRoot(operations: ConfigType<typeof operationsConfig>): DynamicModule {
    return {
      module: ServiceMetricsModule,
      providers: [{ provide: ServiceMetrics, useValue: new ServiceMetrics(operations.metricsEnabled) }],
      exports: [ServiceMetrics],
    };
  }
}
