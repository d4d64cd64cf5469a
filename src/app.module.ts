// The application: validated config in, adapters chosen from it, nothing else.
import { DynamicModule, Module } from '@nestjs/common';
import { ConsoleModule } from './adapters/console/console.module';
import { HealthModule } from './adapters/health/health.module';
import { HttpModule } from './adapters/http/http.module';
import { MetricsModule } from './adapters/metrics/metrics.module';
import { PaymentsModule } from './adapters/payments/payments.module';
import { AppConfig } from './config/app-config';
import { AppConfigModule } from './config/config.module';
import { CoreModule } from './core.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [AppConfigModule.forRoot(config), CoreModule.forRoot(config), HttpModule, PaymentsModule.forRoot(config), HealthModule, MetricsModule, ConsoleModule],
    };
  }
}
