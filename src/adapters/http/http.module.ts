// Inbound HTTP adapter: Toqio's validate endpoint, the analyst API and provider callbacks.
import { DynamicModule, Module } from '@nestjs/common';
import { AnalystAuthGuard } from './analyst-auth.guard';
import { AnalystAuthenticator } from './analyst-authenticator';
import { AuditCheckpointsController } from './audit-checkpoints.controller';
import { BulkDecisionsController } from './bulk-decisions.controller';
import { CaseClaimsController } from './case-claims.controller';
import { CaseRecordsController } from './case-records.controller';
import { EvidenceController } from './evidence.controller';
import { MeController } from './me.controller';
import { MonitoringCallbackGate } from './monitoring-callback.gate';
import { MonitoringCallbacksController } from './monitoring-callbacks.controller';
import { MonitoringReportController } from './monitoring-report.controller';
import { NotificationsController } from './notifications.controller';
import { SanctionsController } from './sanctions.controller';
import { OperatorEventsController } from './operator-events.controller';
import { PaymentEventsController } from './payment-events.controller';
import { ListsController } from './lists.controller';
import { RulesController } from './rules.controller';
import { BacktestsController } from './backtests.controller';
import { ReconciliationController } from './reconciliation.controller';
import { ToqioApiKeyGuard } from './toqio-api-key.guard';
import { TransactionsController } from './transactions.controller';
import { ValidateTransactionController } from './validate-transaction.controller';

/** The flows whose use cases these controllers call: screening (validate, verdicts), review (queue, decisions, callbacks), alerts (operator events), reconciliation and payment intake (stored payment events). */
export interface HttpUseCases {
  readonly screening: DynamicModule;
  readonly review: DynamicModule;
  readonly audit: DynamicModule;
  readonly alerts: DynamicModule;
  readonly reconciliation: DynamicModule;
  readonly paymentIntake: DynamicModule;
  readonly rulesAdmin: DynamicModule;
}

@Module({})
export class HttpModule {
  static forRoot(useCases: HttpUseCases): DynamicModule {
    return {
      module: HttpModule,
      imports: [useCases.screening, useCases.review, useCases.alerts, useCases.reconciliation, useCases.audit, useCases.rulesAdmin, useCases.paymentIntake],
      controllers: [
        ValidateTransactionController,
        TransactionsController,
        BulkDecisionsController,
        CaseRecordsController,
        CaseClaimsController,
        EvidenceController,
        AuditCheckpointsController,
        NotificationsController,
        OperatorEventsController,
        MonitoringCallbacksController,
        MonitoringReportController,
        MeController,
        SanctionsController,
        ReconciliationController,
        PaymentEventsController,
        ListsController,
        RulesController,
        BacktestsController,
      ],
      providers: [ToqioApiKeyGuard, AnalystAuthenticator, AnalystAuthGuard, MonitoringCallbackGate],
    };
  }
}
