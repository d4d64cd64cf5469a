// Wires the framework-free use cases to the ports the adapters export.
import { DynamicModule, Global, Module } from '@nestjs/common';
import { MonitoringProvider } from './application/ports/monitoring-provider.port';
import { TransactionStore } from './application/ports/transaction-store.port';
import { ValidateTransaction } from './application/validate-transaction.use-case';
import { MonitoringModule } from './adapters/monitoring/monitoring.module';
import { PersistenceModule } from './adapters/persistence/persistence.module';
import { AppConfig } from './config/app-config';

@Global()
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CoreModule,
      imports: [PersistenceModule, MonitoringModule.forRoot(config)],
      providers: [
        {
          provide: ValidateTransaction,
          inject: [TransactionStore, MonitoringProvider],
          useFactory: (store: TransactionStore, provider: MonitoringProvider) =>
            new ValidateTransaction(store, provider, {
              decisionTimeoutMs: config.monitoring.decisionTimeoutMs,
              fallbackStatus: config.monitoring.fallbackStatus,
            }),
        },
      ],
      exports: [ValidateTransaction, PersistenceModule],
    };
  }
}
