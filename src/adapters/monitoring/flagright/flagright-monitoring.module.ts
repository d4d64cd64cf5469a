// The Flagright adapter as a module; MonitoringModule wraps it and exports the MonitoringProvider port.
import { Module, OnApplicationShutdown } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { vendorsConfig } from '../../../config/vendors.config';
import { FlagrightMonitoringProvider } from './flagright-monitoring.provider';

@Module({
  providers: [
    {
      provide: FlagrightMonitoringProvider,
      inject: [vendorsConfig.KEY],
      useFactory: (vendors: ConfigType<typeof vendorsConfig>) => new FlagrightMonitoringProvider(vendors.flagright),
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
