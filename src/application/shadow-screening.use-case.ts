// Asks the challenger provider about every new transaction, off the answer's path, and stores its verdict beside the live one.
import { AggregateQuery } from '../domain/aggregate';
import { ScreeningContext } from '../domain/screening-context';
import { Transaction } from '../domain/transaction';
import { storableError } from '../domain/storable-text';
import { usableVerdict } from '../domain/verdict';
import { askProvider } from './ask-provider';
import { MonitoringProvider } from './ports/monitoring-provider.port';
import { ProviderVerdictRecord, ProviderVerdictStore } from './ports/provider-verdict-store.port';
import type { Challenger } from './validate-transaction.use-case';

export interface ShadowPolicy {
  /** Nobody waits on the challenger, so it may take longer than validate's budget. */
  readonly timeoutMs: number;
  /** Challenger calls in flight at most; beyond, a transaction's shadow verdict is recorded as skipped. */
  readonly maxInFlight: number;
}

export class ShadowScreening implements Challenger {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly stopping = new AbortController();

  constructor(
    private readonly challenger: MonitoringProvider,
    private readonly store: ProviderVerdictStore,
    private readonly policy: ShadowPolicy,
    private readonly warn: (message: string) => void = () => undefined,
  ) {}

  get provider(): string {
    return this.challenger.name;
  }

  /** The history the challenger asks for: validate gathers it with the live provider's. */
  get aggregates(): readonly AggregateQuery[] {
    return this.challenger.aggregates;
  }

  /**
   * Returns at once. The call starts on the next turn of the event loop, after the live
   * provider's request has been sent, and nothing about it is ever awaited by validate.
   */
  start(transaction: Transaction, context: ScreeningContext): void {
    if (this.stopping.signal.aborted) return;
    const run: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.screen(transaction, context))
      .then((record) => this.store.record([record]))
      .catch((error: Error) => this.warn(`shadow verdict of ${transaction.id} by ${this.challenger.name} not recorded: ${error.message}`))
      .finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
  }

  /** Shutdown: abandons the challenger calls in flight and waits for their (failure) records. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await Promise.allSettled([...this.inFlight]);
  }

  private async screen(transaction: Transaction, context: ScreeningContext): Promise<ProviderVerdictRecord> {
    const started = performance.now();
    const base = { transactionId: transaction.id, provider: this.challenger.name, role: 'SHADOW' as const };
    if (this.inFlight.size > this.policy.maxInFlight) {
      return { ...base, status: null, reasons: [], durationMs: 0, error: `skipped: more than ${this.policy.maxInFlight} shadow calls in flight`, screenedAt: new Date() };
    }
    try {
      const verdict = usableVerdict(await askProvider(this.challenger, transaction, context, { timeoutMs: this.policy.timeoutMs, stop: this.stopping.signal }));
      const durationMs = Math.round(performance.now() - started);
      if (!verdict) return { ...base, status: null, reasons: [], durationMs, error: 'answered with an unusable verdict', screenedAt: new Date() };
      return { ...base, status: verdict.status, reasons: verdict.reasons, durationMs, screenedAt: new Date() };
    } catch (error) {
      return { ...base, status: null, reasons: [], durationMs: Math.round(performance.now() - started), error: storableError(error), screenedAt: new Date() };
    }
  }
}
