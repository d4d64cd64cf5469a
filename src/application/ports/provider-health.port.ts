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
  /** While the breaker is open: when it lets the next call through as a trial. Null otherwise. */
  readonly trialDueAt: Date | null;
}

export abstract class ProviderHealth {
  abstract providers(): readonly ProviderStatus[];

  /**
   * Whether asking the live provider now could get an answer: false only while every live
   * provider's breaker is open and not yet due a trial call (asking would be refused unheard).
   */
  liveProviderCanBeAsked(now: Date = new Date()): boolean {
    const live = this.providers().filter((status) => status.role === 'LIVE');
    return live.length === 0 || live.some((status) => status.breaker !== 'OPEN' || (status.trialDueAt !== null && status.trialDueAt <= now));
  }
  /** Called after every provider call, for metrics. */
  abstract onCall(listener: (call: ProviderCall) => void): void;
}
