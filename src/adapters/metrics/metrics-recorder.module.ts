// Makes the service's instruments injectable everywhere: controllers, workers and the scrape.
import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { MetricsRecorder } from './metrics-recorder';

@Global()
@Module({})
export class MetricsRecorderModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: MetricsRecorderModule,
      providers: [{ provide: MetricsRecorder, useValue: new MetricsRecorder(config.operations.metricsEnabled) }],
      exports: [MetricsRecorder],
    };
  }
}
