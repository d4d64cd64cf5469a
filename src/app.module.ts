// The application: validated config in, adapters chosen from it, the flows wired between them.
import { DynamicModule, Module } from '@nestjs/common';
import { ConsoleModule } from './adapters/console/console.module';
import { HealthModule } from './adapters/health/health.module';
import { HttpModule } from './adapters/http/http.module';
import { LoggingModule } from './adapters/logging/logging.module';
import { MetricsModule } from './adapters/metrics/metrics.module';
import { MetricsRecorderModule } from './adapters/metrics/metrics-recorder.module';
import { PaymentsModule } from './adapters/payments/payments.module';
import { AppConfigModule } from './config/config.module';
import { Configuration } from './config/configuration';
import { buildFlows } from './flows/flows';

@Module({})
export class AppModule {
  static forRoot(config: Configuration): DynamicModule {
    const flows = buildFlows(config);
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggingModule.forRoot(config),
        MetricsRecorderModule.forRoot(config.operations),
        flows.screening,
        flows.review,
        flows.delivery,
        flows.paymentIntake,
        flows.audit,
        flows.reconciliation,
        flows.alerts,
        HttpModule.forRoot(flows),
        PaymentsModule.forRoot(config.payments, flows.paymentIntake),
        HealthModule.forRoot(flows.monitoring),
        // METRICS_ENABLED=false: no /metrics and nothing recorded.
        ...(config.operations.metricsEnabled ? [MetricsModule.forRoot(flows)] : []),
        ConsoleModule,
      ],
    };
  }
}
