// The Marble adapter as a module; MonitoringModule wraps it and exports the MonitoringProvider port.
import { Module, OnApplicationShutdown } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { vendorsConfig } from '../../../config/vendors.config';
import { MarbleMonitoringProvider } from './marble-monitoring.provider';

@Module({
  providers: [
    {
      provide: MarbleMonitoringProvider,
      inject: [vendorsConfig.KEY],
      useFactory: (vendors: ConfigType<typeof vendorsConfig>) => new MarbleMonitoringProvider(vendors.marble),
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
