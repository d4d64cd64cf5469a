// Port to whatever decides on a transaction: the embedded rules engine or a vendor's API.
import { AggregateQuery } from '../../domain/aggregate';
import { FinalStatus } from '../../domain/decision';
import { UnknownProviderError } from '../../domain/domain-error';
import { ScreeningContext } from '../../domain/screening-context';
import { Transaction } from '../../domain/transaction';
import { Verdict } from '../../domain/verdict';
import { CallSignal } from './call-signal';

export { CallSignal, NEVER_ABORTED } from './call-signal';

/** A callback as it arrived: verification needs the exact bytes. Header names are lower-case. */
export interface CallbackRequest {
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly rawBody: Uint8Array;
}

/** What authenticates a callback: its headers, and its exact bytes once they have been read. */
export interface CallbackCredentials {
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly rawBody?: Uint8Array;
}

/** A provider's later decision on a transaction it left pending, verified and normalised. */
export interface ProviderDecision {
  /** The provider's unique id for this callback; a replay carries the same one. */
  readonly eventId: string;
  readonly transactionId: string;
  readonly status: FinalStatus;
  readonly reasons: readonly string[];
}

/**
 * Thrown by a provider that gave up waiting on its own time limit (the resilience wrapper's, a
 * little shorter than validate's budget, so that the call's end is its own): a timeout, which
 * validate records as such, not as the provider's failure.
 */
export class ProviderTimeoutError extends Error {
  constructor(provider: string, timeoutMs: number) {
    super(`${provider} did not answer within ${timeoutMs} ms`);
    this.name = 'ProviderTimeoutError';
  }
}

export abstract class MonitoringProvider {
  /** Stable name recorded with every verdict ("rules", "flagright", ...). */
  abstract readonly name: string;

  /**
   * Aggregates over recent history the provider wants with each transaction (the count of the
   * source account's transactions in the last minute, say). The store computes them in the same
   * round trip that claims the transaction.
   */
  get aggregates(): readonly AggregateQuery[] {
    return [];
  }

  /**
   * False for a provider that decides in process without I/O (the rules engine): nothing of its
   * work can be stopped early, so its callers hand it NEVER_ABORTED rather than make a
   * CallAbort per call. (They once made an AbortController: Node keeps every AbortSignal through
   * young-generation collections, and two per validate made the rules engine's service promote
   * megabytes a second, its full collections setting its p99; see CallAbort.)
   */
  get abortable(): boolean {
    return true;
  }

  /**
   * True for a provider that takes a repeated question about a transaction id as the same question,
   * answered alike and at no extra cost (the generic `http` contract's idempotency-key, the rules
   * engine in process). Validate then screens before writing anything and stores the transaction
   * once, with its verdict (a look-up that writes nothing gathers its aggregates first), and drops
   * the verdict when the id turns out to be stored already. False (the default) for a vendor that
   * records or bills each call: it is only asked about a transaction claimed first.
   */
  get idempotent(): boolean {
    return false;
  }

  /**
   * Screens one transaction. The caller stops waiting after its time budget and then aborts
   * `signal`; implementations should pass it to their I/O so abandoned work stops early.
   */
  abstract screen(transaction: Transaction, context: ScreeningContext, signal: CallSignal): Promise<Verdict>;

  /**
   * The asynchronous side: verifies a callback that `provider` (as named in the callback path)
   * sent about a transaction, and normalises it. Throws UnknownProviderError when no enabled
   * provider of that name sends callbacks, WebhookUnauthenticError when it does not verify and
   * WebhookMalformedError when it verifies but cannot be understood.
   */
  async verifyCallback(provider: string, _request: CallbackRequest): Promise<ProviderDecision> {
    throw new UnknownProviderError(provider);
  }

  /**
   * The part of verifyCallback that reads no payload, so that a forged callback costs no parsing:
   * throws UnknownProviderError as verifyCallback does, and WebhookUnauthenticError when the
   * signature headers are absent or, once `rawBody` is given, do not match it.
   */
  authenticateCallback(provider: string, _request: CallbackCredentials): void {
    throw new UnknownProviderError(provider);
  }
}
