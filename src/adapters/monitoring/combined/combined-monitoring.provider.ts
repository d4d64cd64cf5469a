// Several providers asked at once under the one budget: the strictest verdict wins and every provider's reasons are kept.
import { CallSignal } from '../../../application/ports/call-signal';
import { CallbackCredentials, CallbackRequest, MonitoringProvider, ProviderDecision } from '../../../application/ports/monitoring-provider.port';
import { AggregateQuery, MergedAggregates } from '../../../domain/aggregate';
import { combinationName } from '../../../domain/combined-hold';
import { UnknownProviderError } from '../../../domain/domain-error';
import { ScreeningContext } from '../../../domain/screening-context';
import { Transaction } from '../../../domain/transaction';
import { TransactionStatus } from '../../../domain/transaction-status';
import { storableError } from '../../../domain/storable-text';
import { usableVerdict, Verdict } from '../../../domain/verdict';

const STRICTNESS: Record<TransactionStatus, number> = { APPROVED: 0, PENDING_EXTERNAL_APPROVAL: 1, REJECTED: 2 };

/** One provider's part of a combined screening. */
export interface PartVerdict {
  readonly provider: string;
  readonly status: TransactionStatus | null;
  readonly reasons: readonly string[];
  readonly durationMs: number;
  readonly error?: string;
  /** The rule-set version of the embedded engine's verdict. */
  readonly ruleSetVersion?: number;
}

export class CombinedMonitoringProvider extends MonitoringProvider {
  readonly name: string;

  /**
   * `fallbackStatus` stands in for a provider that failed while others answered: a transaction
   * one required provider could not screen must not pass on the others' approval alone.
   * `onParts` receives every provider's own verdict (stored per provider, off the answer's path).
   */
  constructor(
    private readonly parts: readonly MonitoringProvider[],
    private readonly fallbackStatus: TransactionStatus,
    private readonly onParts: (transaction: Transaction, parts: readonly PartVerdict[]) => void = () => undefined,
  ) {
    super();
    // Its verdicts' decider: a callback of one part is judged against the others (combined-hold.ts).
    this.name = combinationName(parts.map((part) => part.name));
  }

  /** Every part's, each once: the parts are screened with one context. Recomputed only when a part's change. */
  override get aggregates(): readonly AggregateQuery[] {
    return this.merged.of(this.parts.map((part) => part.aggregates));
  }

  private readonly merged = new MergedAggregates();

  /** Never asked ahead of the claim: onParts stores each part's verdict against the transaction's row, which must exist by then. */
  override get idempotent(): boolean {
    return false;
  }

  /** When one part does I/O, the signal stops it; the parts that do not ignore it. */
  override get abortable(): boolean {
    return this.parts.some((part) => part.abortable);
  }

  /** Throws only when every provider failed, so that validate's fallback and late screening apply. */
  async screen(transaction: Transaction, context: ScreeningContext, signal: CallSignal): Promise<Verdict> {
    const started = performance.now();
    const settled = await Promise.all(
      this.parts.map(async (part): Promise<PartVerdict> => {
        try {
          const verdict = usableVerdict(await part.screen(transaction, context, signal));
          if (!verdict) throw new Error('answered with an unusable verdict');
          return { provider: part.name, status: verdict.status, reasons: verdict.reasons, durationMs: Math.round(performance.now() - started), ruleSetVersion: verdict.ruleSetVersion };
        } catch (error) {
          return { provider: part.name, status: null, reasons: [], durationMs: Math.round(performance.now() - started), error: storableError(error) };
        }
      }),
    );
    this.onParts(transaction, settled);
    if (settled.every((part) => part.status === null)) {
      throw new Error(`every provider failed: ${settled.map((part) => `${part.provider}: ${part.error}`).join('; ')}`);
    }
    let status: TransactionStatus = 'APPROVED';
    const reasons: string[] = [];
    for (const part of settled) {
      const partStatus = part.status ?? this.fallbackStatus;
      if (STRICTNESS[partStatus] > STRICTNESS[status]) status = partStatus;
      if (part.status === null) {
        reasons.push(`${part.provider}: failed (${part.error}); counted as ${this.fallbackStatus}`);
      } else if (part.reasons.length === 0 && part.status !== 'APPROVED') {
        reasons.push(`${part.provider}: ${part.status}`);
      } else {
        reasons.push(...part.reasons.map((reason) => `${part.provider}: ${reason}`));
      }
    }
    const ruleSetVersion = settled.find((part) => part.ruleSetVersion !== undefined)?.ruleSetVersion;
    return ruleSetVersion === undefined ? { status, reasons } : { status, reasons, ruleSetVersion };
  }

  /** Callbacks are routed by the provider named in the path; only live providers may decide. */
  override async verifyCallback(provider: string, request: CallbackRequest): Promise<ProviderDecision> {
    return this.part(provider).verifyCallback(provider, request);
  }

  override authenticateCallback(provider: string, request: CallbackCredentials): void {
    this.part(provider).authenticateCallback(provider, request);
  }

  private part(provider: string): MonitoringProvider {
    const part = this.parts.find((candidate) => candidate.name === provider);
    if (!part) throw new UnknownProviderError(provider);
    return part;
  }
}
