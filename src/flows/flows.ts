// The flows and the monitoring adapters they share, built once from configuration so that each is one instance.
import { DynamicModule } from '@nestjs/common';
import { MonitoringModule } from '../adapters/monitoring/monitoring.module';
import { PaymentVerificationModule } from '../adapters/payments/payment-verification.module';
import { Configuration } from '../config/configuration';
import { AuditModule } from './audit.module';
import { AlertsModule } from './alerts.module';
import { DeliveryModule } from './delivery.module';
import { PaymentIntakeModule } from './payment-intake.module';
import { ReconciliationModule } from './reconciliation.module';
import { ReviewModule } from './review.module';
import { RulesAdminModule } from './rules-admin.module';
import { ScreeningModule } from './screening.module';

export interface Flows {
  readonly monitoring: DynamicModule;
  readonly screening: DynamicModule;
  readonly review: DynamicModule;
  readonly delivery: DynamicModule;
  readonly paymentIntake: DynamicModule;
  readonly audit: DynamicModule;
  readonly reconciliation: DynamicModule;
  readonly alerts: DynamicModule;
  readonly rulesAdmin: DynamicModule;
}

/**
 * Nest tells dynamic modules apart by object, not by content: a flow that imports another gets
 * the very object built here, so that there is one monitoring adapter, one worker of each kind.
 */
export function buildFlows(config: Configuration): Flows {
  const monitoring = MonitoringModule.forRoot(config.monitoring);
  const alerts = AlertsModule.forRoot(config.events);
  const delivery = DeliveryModule.forRoot(config.toqio);
  const review = ReviewModule.forRoot({ monitoring, delivery, alerts });
  const screening = ScreeningModule.forRoot(config.monitoring, { monitoring, review });
  const paymentIntake = PaymentIntakeModule.forRoot({ monitoring, verification: PaymentVerificationModule.forRoot(config.payments) });
  const audit = AuditModule.forRoot(config.audit);
  const rulesAdmin: DynamicModule = { module: RulesAdminModule };
  return { monitoring, screening, review, delivery, paymentIntake, alerts, reconciliation: ReconciliationModule.forRoot({ alerts }), audit, rulesAdmin };
}
