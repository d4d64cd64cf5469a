// Every migration, in order; the data source and the readiness check both read this list.
import { InitialSchema1763760000000 } from './1763760000000-initial-schema';
import { ReviewAndOutbox1763900000000 } from './1763900000000-review-and-outbox';
import { PaymentEvents1764000000000 } from './1764000000000-payment-events';
import { ProviderVerdicts1764100000000 } from './1764100000000-provider-verdicts';
import { StaleClaims1764200000000 } from './1764200000000-stale-claims';
import { OperatorEvents1764300000000 } from './1764300000000-operator-events';
import { PaymentVerifications1764450000000 } from './1764450000000-payment-verifications';
import { Reconciliation1764460000000 } from './1764460000000-reconciliation';
import { PaymentAlerts1764470000000 } from './1764470000000-payment-alerts';
import { CaseRecords1764700000000 } from './1764700000000-case-records';
import { AuditCheckpoints1764710000000 } from './1764710000000-audit-checkpoints';
import { SanctionsLists1765000000000 } from './1765000000000-sanctions-lists';
import { AggregateIndexes1765050000000 } from './1765050000000-aggregate-indexes';
import { UnparsedPaymentEvents1765100000000 } from './1765100000000-unparsed-payment-events';
import { CaseClaims1765200000000 } from './1765200000000-case-claims';
import { CaseAlerts1765210000000 } from './1765210000000-case-alerts';
import { CaseSearch1765300000000 } from './1765300000000-case-search';
import { ManagedLists1765400000000 } from './1765400000000-managed-lists';
import { RuleSetVersions1765400000001 } from './1765400000001-rule-set-versions';
import { RuleBacktests1765400000002 } from './1765400000002-rule-backtests';
import { PaymentEventKindStatistics1765480000000 } from './1765480000000-payment-event-kind-statistics';
import { RefundEffectIndex1765480000001 } from './1765480000001-refund-effect-index';
import { FollowUpWithoutForeignKey1765490000000 } from './1765490000000-follow-up-without-foreign-key';
import { CoveringAggregateIndexes1765500000000 } from './1765500000000-covering-aggregate-indexes';
import { VacuumAfterInserts1765600000000 } from './1765600000000-vacuum-after-inserts';
import { SignedHeadCheckpoints1765700000000 } from './1765700000000-signed-head-checkpoints';

export const MIGRATIONS = [
  InitialSchema1763760000000,
  ReviewAndOutbox1763900000000,
  PaymentEvents1764000000000,
  ProviderVerdicts1764100000000,
  StaleClaims1764200000000,
  OperatorEvents1764300000000,
  PaymentVerifications1764450000000,
  Reconciliation1764460000000,
  PaymentAlerts1764470000000,
  CaseRecords1764700000000,
  AuditCheckpoints1764710000000,
  SanctionsLists1765000000000,
  AggregateIndexes1765050000000,
  UnparsedPaymentEvents1765100000000,
  CaseClaims1765200000000,
  CaseAlerts1765210000000,
  CaseSearch1765300000000,
  ManagedLists1765400000000,
  RuleSetVersions1765400000001,
  RuleBacktests1765400000002,
  PaymentEventKindStatistics1765480000000,
  RefundEffectIndex1765480000001,
  FollowUpWithoutForeignKey1765490000000,
  CoveringAggregateIndexes1765500000000,
  VacuumAfterInserts1765600000000,
  SignedHeadCheckpoints1765700000000,
];
