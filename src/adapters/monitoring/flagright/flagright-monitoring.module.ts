// The Flagright adapter as a module; MonitoringModule wraps it and exports the MonitoringProvider port.
import { Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config';
import { FlagrightMonitoringProvider } from './flagright-monitoring.provider';

@Module({
  providers: [
    {
      provide: FlagrightMonitoringProvider,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new FlagrightMonitoringProvider(config.flagright),
    },
  ],
  exports: [FlagrightMonitoringProvider],
})
export class FlagrightMonitoringModule implements OnApplicationShutdown {
  constructor(private readonly provider: FlagrightMonitoringProvider) {}

  onApplicationShutdown(): void {
    this.provider.close();
  }
}
