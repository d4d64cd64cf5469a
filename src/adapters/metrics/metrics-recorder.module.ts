// Makes the service's instruments injectable everywhere: controllers, workers and the scrape.
import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { operationsConfig } from '../../config/operations.config';
import { MetricsRecorder } from './metrics-recorder';

@Global()
@Module({})
export class MetricsRecorderModule {
  static forRoot(operations: ConfigType<typeof operationsConfig>): DynamicModule {
    return {
      module: MetricsRecorderModule,
      providers: [{ provide: MetricsRecorder, useValue: new MetricsRecorder(operations.metricsEnabled) }],
      exports: [MetricsRecorder],
    };
  }
}
