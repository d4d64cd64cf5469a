// Wraps one provider with its own timeout and circuit breaker, and reports every call for health and metrics.
import { Logger } from '@nestjs/common';
import { AggregateQuery } from '../../../domain/aggregate';
import { CircuitBreakerPolicy, CircuitState, ConsecutiveBreaker, circuitBreaker, handleWhen, isBrokenCircuitError } from 'cockatiel';
import { CallAbort, CallSignal } from '../../../application/ports/call-signal';
import { CallbackCredentials, CallbackRequest, MonitoringProvider, NEVER_ABORTED, ProviderDecision, ProviderTimeoutError } from '../../../application/ports/monitoring-provider.port';
import { BreakerState, ProviderCallOutcome, ProviderRole, ProviderStatus } from '../../../application/ports/provider-health.port';
import { ScreeningContext } from '../../../domain/screening-context';
import { Transaction } from '../../../domain/transaction';
import { Verdict } from '../../../domain/verdict';
import { ProviderRequestError } from '../http-client/json-http-client';

const logger = new Logger('MonitoringProvider');

export interface ResilienceOptions {
  readonly role: ProviderRole;
  /** The provider's own deadline; inside validate's budget so that a combination can still answer in time. */
  readonly timeoutMs: number;
  /** Consecutive failures (errors and timeouts) that open the breaker. */
  readonly breakerThreshold: number;
  /** How long the breaker stays open before one trial call is let through. */
  readonly halfOpenAfterMs: number;
}

/** The caller stopped waiting (shutdown, or a budget shorter than ours): not the provider's failure. */
class AbandonedError extends Error {
  constructor(provider: string) {
    super(`${provider}: call abandoned by the caller`);
    this.name = 'AbandonedError';
  }
}

export type CallListener = (provider: string, role: ProviderRole, outcome: ProviderCallOutcome, durationMs: number) => void;

export class ResilientMonitoringProvider extends MonitoringProvider {
  readonly name: string;
  private readonly breaker: CircuitBreakerPolicy;
  private consecutiveFailures = 0;
  private lastSuccessAt: Date | null = null;
  private lastFailureAt: Date | null = null;
  private lastError: string | null = null;
  /** Set when the breaker opens, until the failure that opened it is logged. */
  private opening = false;
  /** When the breaker last opened; null while it is closed or half-open. */
  private openedAt: number | null = null;
  /** What every refused call rejects with: one instance, since only its message is ever read. */
  private readonly refusal: Error;

  constructor(
    readonly inner: MonitoringProvider,
    private readonly options: ResilienceOptions,
    private readonly listener: CallListener = () => undefined,
  ) {
    super();
    this.name = inner.name;
    this.refusal = new Error(`circuit breaker open after repeated failures of ${this.name}; not asked`);
    // A request we refused to send, or a call its caller abandoned, says nothing about the provider's health.
    const providerFault = handleWhen((error) => !(error instanceof ProviderRequestError) && !(error instanceof AbandonedError));
    this.breaker = circuitBreaker(providerFault, {
      halfOpenAfter: options.halfOpenAfterMs,
      breaker: new ConsecutiveBreaker(options.breakerThreshold),
    });
    this.breaker.onBreak(() => {
      this.openedAt = Date.now();
      this.opening = true;
    });
    this.breaker.onHalfOpen(() => (this.openedAt = null));
    this.breaker.onReset(() => {
      this.openedAt = null;
      logger.log(`${this.name} (${this.options.role}): answered again; circuit breaker closed`);
    });
  }

  get role(): ProviderRole {
    return this.options.role;
  }

  override get aggregates(): readonly AggregateQuery[] {
    return this.inner.aggregates;
  }

  override get abortable(): boolean {
    return this.inner.abortable;
  }

  override get idempotent(): boolean {
    return this.inner.idempotent;
  }

  async screen(transaction: Transaction, context: ScreeningContext, signal: CallSignal): Promise<Verdict> {
    const started = performance.now();
    // While open, refuse without asking cockatiel: its refusal builds an error with a stack trace per
    // call, a measurable share of validate's CPU when every call is refused. Past halfOpenAfterMs,
    // cockatiel lets its one trial call through as before.
    if (this.openedAt !== null && Date.now() < this.openedAt + this.options.halfOpenAfterMs) {
      this.settle('SHORT_CIRCUITED', started);
      throw this.refusal;
    }
    try {
      const verdict = await this.breaker.execute(() => this.withTimeout(transaction, context, signal));
      this.settle('OK', started);
      return verdict;
    } catch (error) {
      if (isBrokenCircuitError(error)) {
        this.settle('SHORT_CIRCUITED', started);
        throw this.refusal;
      }
      const outcome = error instanceof ProviderTimeoutError ? 'TIMEOUT' : 'ERROR';
      // Only the provider's own failures count towards its health; the breaker ignores the others too.
      const providerFault = !(error instanceof AbandonedError) && !(error instanceof ProviderRequestError);
      this.settle(outcome, started, providerFault ? (error as Error).message : undefined);
      throw error;
    }
  }

  override verifyCallback(provider: string, request: CallbackRequest): Promise<ProviderDecision> {
    return this.inner.verifyCallback(provider, request);
  }

  override authenticateCallback(provider: string, request: CallbackCredentials): void {
    this.inner.authenticateCallback(provider, request);
  }

  status(): ProviderStatus {
    return {
      provider: this.name,
      role: this.options.role,
      breaker: breakerState(this.breaker.state),
      consecutiveFailures: this.consecutiveFailures,
      lastSuccessAt: this.lastSuccessAt,
      lastFailureAt: this.lastFailureAt,
      lastError: this.lastError,
      trialDueAt: this.openedAt === null ? null : new Date(this.openedAt + this.options.halfOpenAfterMs),
    };
  }

  /** With an inner provider that is not abortable, no CallAbort: the timeout only stops the waiting. */
  private withTimeout(transaction: Transaction, context: ScreeningContext, outer: CallSignal): Promise<Verdict> {
    const abort = this.inner.abortable ? new CallAbort() : undefined;
    let timer: NodeJS.Timeout | undefined;
    let onOuterAbort: (() => void) | undefined;
    const gaveUp = new Promise<never>((_, reject) => {
      // Settle first, then abort: a provider honouring the signal must not win the race with its own "aborted".
      timer = setTimeout(() => {
        reject(new ProviderTimeoutError(this.name, this.options.timeoutMs));
        abort?.abort();
      }, this.options.timeoutMs);
      onOuterAbort = () => {
        reject(new AbandonedError(this.name));
        abort?.abort();
      };
      if (outer.aborted) onOuterAbort();
      else outer.addEventListener('abort', onOuterAbort, { once: true });
    });
    return Promise.race([this.inner.screen(transaction, context, abort?.signal ?? NEVER_ABORTED), gaveUp]).finally(() => {
      clearTimeout(timer);
      if (onOuterAbort) outer.removeEventListener('abort', onOuterAbort);
    });
  }

  private settle(outcome: ProviderCallOutcome, started: number, error?: string): void {
    const durationMs = performance.now() - started;
    if (outcome === 'OK') {
      this.consecutiveFailures = 0;
      this.lastSuccessAt = new Date();
    } else if (outcome !== 'SHORT_CIRCUITED' && error !== undefined) {
      this.consecutiveFailures += 1;
      this.lastFailureAt = new Date();
      this.lastError = error.slice(0, 300);
    }
    // Once per opening, with the failure that opened it: the text readiness leaves out.
    if (this.opening && this.lastError !== null) {
      this.opening = false;
      logger.warn(`${this.name} (${this.options.role}): circuit breaker open after ${this.consecutiveFailures} consecutive failures; the last: ${this.lastError}`);
    }
    this.listener(this.name, this.options.role, outcome, durationMs);
  }
}

function breakerState(state: CircuitState): BreakerState {
  if (state === CircuitState.Closed) return 'CLOSED';
  if (state === CircuitState.HalfOpen) return 'HALF_OPEN';
  return 'OPEN';
}
