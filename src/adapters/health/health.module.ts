// Terminus-based health endpoints: liveness, and readiness from the database, validate's use of it, its schema and the monitoring providers.
import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { PersistenceModule } from '../persistence/persistence.module';
import { HealthController } from './health.controller';
import { MigrationsHealthIndicator, MonitoringHealthIndicator, ValidateHealthIndicator } from './readiness.indicators';

@Module({})
export class HealthModule {
  /** `monitoring`: the monitoring adapters' module, whose provider health readiness reports. */
  static forRoot(monitoring: DynamicModule): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ logger: false, errorLogStyle: 'pretty' }), PersistenceModule, monitoring],
      controllers: [HealthController],
      providers: [MigrationsHealthIndicator, MonitoringHealthIndicator, ValidateHealthIndicator],
    };
  }
}
