// Port to how each monitoring provider is doing, for readiness details and metrics.

export type ProviderRole = 'LIVE' | 'SHADOW';
export type BreakerState = 'CLOSED' | 'OPEN' | 'HALF_OPEN';
/** SHORT_CIRCUITED: the breaker was open and the provider was not asked. */
export type ProviderCallOutcome = 'OK' | 'ERROR' | 'TIMEOUT' | 'SHORT_CIRCUITED';

export interface ProviderCall {
  readonly provider: string;
  readonly role: ProviderRole;
  readonly outcome: ProviderCallOutcome;
  readonly durationMs: number;
}

export interface ProviderStatus {
  readonly provider: string;
  readonly role: ProviderRole;
  readonly breaker: BreakerState;
  readonly consecutiveFailures: number;
  readonly lastSuccessAt: Date | null;
  readonly lastFailureAt: Date | null;
  /** Operator diagnostic; never carries credentials. */
  readonly lastError: string | null;
}

export abstract class ProviderHealth {
  abstract providers(): readonly ProviderStatus[];
  /** Called after every provider call, for metrics. */
  abstract onCall(listener: (call: ProviderCall) => void): void;
}
