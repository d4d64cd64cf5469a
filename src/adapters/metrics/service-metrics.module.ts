// Makes the service's instruments injectable everywhere: controllers, workers and the scrape.
import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { ServiceMetrics } from './service-metrics';

@Global()
@Module({})
export class ServiceMetricsModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ServiceMetricsModule,
      providers: [{ provide: ServiceMetrics, useValue: new ServiceMetrics(config.operations.metricsEnabled) }],
      exports: [ServiceMetrics],
    };
  }
}
