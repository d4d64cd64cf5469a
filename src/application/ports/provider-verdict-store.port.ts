// Port to the per-provider verdicts kept beside the answered one: each part of a combination, and the shadow challenger's.
import { TransactionStatus } from '../../domain/transaction-status';
import { MonitoringProvider } from './monitoring-provider.port';
import { ProviderRole } from './provider-health.port';

export interface ProviderVerdictRecord {
  readonly transactionId: string;
  readonly provider: string;
  readonly role: ProviderRole;
  /** Null when the provider failed or ran out of time; `error` then says why. */
  readonly status: TransactionStatus | null;
  readonly reasons: readonly string[];
  readonly durationMs: number;
  readonly error?: string;
  readonly screenedAt: Date;
}

/** The shape the analyst console renders in a transaction's detail (shadowVerdicts, providerVerdicts). */
export interface ShadowVerdictView {
  readonly provider: string;
  readonly status: TransactionStatus | null;
  readonly reasons: readonly string[];
  readonly durationMs: number;
  readonly screenedAt: Date;
}

export interface StatusPair {
  /** The status answered to Toqio at validate. */
  readonly live: TransactionStatus;
  readonly shadow: TransactionStatus;
  readonly count: number;
}

export interface ShadowProviderReport {
  readonly provider: string;
  /** Shadow verdicts with a live answer to compare with. */
  readonly compared: number;
  readonly agreements: number;
  readonly disagreements: number;
  /** Shadow calls that failed or timed out. */
  readonly shadowFailures: number;
  /** Shadow verdicts whose transaction is still being screened live. */
  readonly awaitingLive: number;
  readonly pairs: readonly StatusPair[];
}

export abstract class ProviderVerdictStore {
  /** Records (or, for a later screening of the same transaction, replaces) each provider's verdict. */
  abstract record(records: readonly ProviderVerdictRecord[]): Promise<void>;

  /** One transaction's verdicts of the given role, oldest first. */
  abstract verdicts(transactionId: string, role: ProviderRole): Promise<readonly ShadowVerdictView[]>;

  /** Every shadow provider ever configured, with counts by (live, shadow) status pair. */
  abstract shadowReport(): Promise<readonly ShadowProviderReport[]>;
}

/** The challenger asked beside the live provider (MONITORING_SHADOW_PROVIDER); its answers never reach Toqio. */
export abstract class ShadowMonitoringProvider extends MonitoringProvider {}
