// Inbound HTTP adapter: Toqio's validate endpoint, the analyst API and provider callbacks.
import { Module } from '@nestjs/common';
import { AnalystAuthGuard } from './analyst-auth.guard';
import { MonitoringCallbacksController } from './monitoring-callbacks.controller';
import { MonitoringReportController } from './monitoring-report.controller';
import { NotificationsController } from './notifications.controller';
import { ToqioApiKeyGuard } from './toqio-api-key.guard';
import { TransactionsController } from './transactions.controller';
import { ValidateTransactionController } from './validate-transaction.controller';

@Module({
  controllers: [ValidateTransactionController, TransactionsController, NotificationsController, MonitoringCallbacksController, MonitoringReportController],
  providers: [ToqioApiKeyGuard, AnalystAuthGuard],
})
export class HttpModule {}
