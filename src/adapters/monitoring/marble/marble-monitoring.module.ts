// The Marble adapter as a module; MonitoringModule wraps it and exports the MonitoringProvider port.
import { Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config';
import { MarbleMonitoringProvider } from './marble-monitoring.provider';

@Module({
  providers: [
    {
      provide: MarbleMonitoringProvider,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new MarbleMonitoringProvider(config.marble),
    },
  ],
  exports: [MarbleMonitoringProvider],
})
export class MarbleMonitoringModule implements OnApplicationShutdown {
  constructor(private readonly provider: MarbleMonitoringProvider) {}

  onApplicationShutdown(): void {
    this.provider.close();
  }
}
