// Chooses the monitoring adapter once, from validated configuration; each adapter is its own module.
import { DynamicModule, Module, Type } from '@nestjs/common';
import { AppConfig, MonitoringProviderName } from '../../config/app-config';
import { RulesMonitoringModule } from './rules/rules-monitoring.module';

const ADAPTERS: Record<MonitoringProviderName, Type> = {
  rules: RulesMonitoringModule,
};

@Module({})
export class MonitoringModule {
  static forRoot(config: AppConfig): DynamicModule {
    const adapter = ADAPTERS[config.monitoring.provider];
    return { module: MonitoringModule, imports: [adapter], exports: [adapter] };
  }
}
