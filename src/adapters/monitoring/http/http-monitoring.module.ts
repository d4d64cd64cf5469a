// The generic `http` adapter as a module; MonitoringModule wraps it and exports the MonitoringProvider port.
import { Module, OnApplicationShutdown } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { monitoringConfig } from '../../../config/monitoring.config';
import { vendorsConfig } from '../../../config/vendors.config';
import { StandardWebhooksCallbacks } from '../standard-webhooks/standard-webhooks.callbacks';
import { HttpMonitoringProvider } from './http-monitoring.provider';

@Module({
  providers: [
    {
      provide: HttpMonitoringProvider,
      inject: [vendorsConfig.KEY, monitoringConfig.KEY],
      useFactory: (vendors: ConfigType<typeof vendorsConfig>, monitoring: ConfigType<typeof monitoringConfig>) =>
        new HttpMonitoringProvider(vendors.http, monitoring.callbackSecrets.http ? new StandardWebhooksCallbacks(monitoring.callbackSecrets.http) : undefined),
    },
  ],
  exports: [HttpMonitoringProvider],
})
export class HttpMonitoringModule implements OnApplicationShutdown {
  constructor(private readonly provider: HttpMonitoringProvider) {}

  onApplicationShutdown(): void {
    this.provider.close();
  }
}
