// The application: validated config in, adapters chosen from it, nothing else.
import { DynamicModule, Module } from '@nestjs/common';
import { ConsoleModule } from './adapters/console/console.module';
import { HealthModule } from './adapters/health/health.module';
import { HttpModule } from './adapters/http/http.module';
import { LoggingModule } from './adapters/logging/logging.module';
import { MetricsModule } from './adapters/metrics/metrics.module';
import { ServiceMetricsModule } from './adapters/metrics/service-metrics.module';
import { PaymentsModule } from './adapters/payments/payments.module';
import { AppConfigModule } from './config/config.module';
import { Configuration } from './config/configuration';
import { CoreModule } from './core.module';

@Module({})
export class AppModule {
  static forRoot(config: Configuration): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggingModule.forRoot(config),
        ServiceMetricsModule.forRoot(config.operations),
        CoreModule.forRoot(config),
        HttpModule,
        PaymentsModule.forRoot(config.payments),
        HealthModule,
        // METRICS_ENABLED=false: no /metrics and nothing recorded.
        ...(config.operations.metricsEnabled ? [MetricsModule] : []),
        ConsoleModule,
      ],
    };
  }
}
