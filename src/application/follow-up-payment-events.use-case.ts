// After a payment event is acknowledged: it is confirmed with its provider, money received is screened, and alerts open a review case.
import { stateOutcome } from '../domain/payment-event';
import { nextAttempt } from '../domain/retry-schedule';
import { ScreeningContext } from '../domain/screening-context';
import { JsonObject, Transaction } from '../domain/transaction';
import { inboundStatus, SCREENING } from '../domain/transaction-status';
import { Screening } from '../domain/verdict';
import { MonitoringProvider } from './ports/monitoring-provider.port';
import { FollowUp, PaymentEventStore } from './ports/payment-event-store.port';
import { PaymentVerifier } from './ports/payment-verifier.port';
import { TransactionStore } from './ports/transaction-store.port';
import { confirmWithProvider, OpenedEffect, VerificationListener } from './confirm-with-provider';
import { screenWithinBudget } from './screen-within-budget';

export interface FollowUpPolicy {
  /** Budget of one screening; nobody waits on it synchronously. */
  readonly screeningTimeoutMs: number;
  /** How long a claimed follow-up is ours before another worker may take it. */
  readonly leaseMs: number;
  readonly retryBaseMs: number;
  readonly retryMaxDelayMs: number;
}

export type FollowUpResult = 'DONE' | 'RETRY';

export interface FollowUpOptions {
  readonly now?: () => Date;
  readonly random?: () => number;
  /** Confirms events with their provider's API first; none: every event is acted on as reported. */
  readonly verifier?: PaymentVerifier;
  readonly onVerified?: VerificationListener;
}

/**
 * An event whose provider's API can confirm it is confirmed first: a disagreement opens an
 * inbound alert in place of its effect, and an API that cannot be reached leaves the follow-up
 * to be tried again later (delayed, never dropped). A payment's progress that waited for that
 * confirmation is applied then, under the same forward-only rule as one applied at once.
 *
 * Money that arrived is screened like a payment Toqio asks about, with two differences: nobody
 * is waiting (so the budget is longer), and no verdict stops anything (the money is already
 * here), so anything but an approval, the provider's failure included, opens an inbound alert
 * for analysts. A provider failure also queues a late screening, as at validate.
 *
 * A follow-up is finished only after its effect is recorded; a crash or a database error leaves
 * it claimed until the lease ends, and it is then tried again, on this replica or another.
 */
export class FollowUpPaymentEvents {
  private readonly now: () => Date;
  private readonly random: () => number;
  private readonly verifier: PaymentVerifier | undefined;
  private readonly onVerified: VerificationListener;

  constructor(
    private readonly events: PaymentEventStore,
    private readonly transactions: TransactionStore,
    private readonly provider: MonitoringProvider,
    private readonly policy: FollowUpPolicy,
    options: FollowUpOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.random = options.random ?? Math.random;
    this.verifier = options.verifier;
    this.onVerified = options.onVerified ?? (() => undefined);
  }

  /** One pass: claims up to `limit` due follow-ups and works them; returns each one's result. */
  async runDue(limit: number): Promise<FollowUpResult[]> {
    const due = await this.events.claimFollowUps(limit, this.policy.leaseMs);
    return Promise.all(due.map((followUp) => this.run(followUp)));
  }

  private async run(followUp: FollowUp): Promise<FollowUpResult> {
    try {
      await this.work(followUp);
      await this.events.completeFollowUp(followUp.eventId);
      return 'DONE';
    } catch (error) {
      const step = nextAttempt(
        { baseDelayMs: this.policy.retryBaseMs, maxDelayMs: this.policy.retryMaxDelayMs, maxAgeMs: Number.POSITIVE_INFINITY },
        followUp.attempt,
        followUp.queuedAt,
        this.now(),
        this.random,
      );
      // With no maximum age there is always a next attempt: an event's processing is never dropped.
      const retryAt = 'retryAt' in step ? step.retryAt : new Date(this.now().getTime() + this.policy.retryMaxDelayMs);
      await this.events.retryFollowUp(followUp.eventId, retryAt, error instanceof Error ? error.message : String(error));
      return 'RETRY';
    }
  }

  private async work(followUp: FollowUp): Promise<void> {
    const { effect, provider, eventId } = followUp;
    const verification = this.verifier ? await confirmWithProvider(this.verifier, provider, effect, this.onVerified) : undefined;
    if (verification?.alert) {
      await this.open(provider, verification.alert);
      await this.events.recordVerification(eventId, provider, verification, 'ALERT');
    } else if (effect.kind === 'PAYMENT_PROGRESS') {
      await this.events.applyFollowUpState({ ...followUp, effect }, (current) => stateOutcome(effect, current), verification);
    } else {
      if (verification) await this.events.recordVerification(eventId, provider, verification, 'SCREENED');
      await this.open(provider, effect);
    }
  }

  private async open(provider: string, effect: OpenedEffect): Promise<void> {
    const transaction = inboundTransaction(effect);
    const context = await this.claim(transaction);
    if (!context) return; // recorded already: by an earlier try that died before finishing, or another event
    const screening =
      effect.kind === 'ALERT' ? alertScreening(provider, effect.reason) : asInboundScreening(await screenWithinBudget(this.provider, transaction, context, { timeoutMs: this.policy.screeningTimeoutMs, fallbackStatus: 'PENDING_EXTERNAL_APPROVAL' }));
    await this.transactions.recordScreening(transaction, screening);
  }

  /**
   * The context to screen with, or null when the transaction is already screened. A claim left
   * in SCREENING is ours to take over: only the holder of this follow-up's lease screens it.
   */
  private async claim(transaction: Transaction): Promise<ScreeningContext | null> {
    const aggregates = this.provider.aggregates;
    const claim = await this.transactions.claim(transaction, aggregates);
    if (claim.claimed) return claim.context;
    if (claim.existing.state !== SCREENING) return null;
    return this.transactions.reclaimStale(transaction, 0, aggregates);
  }
}

function inboundTransaction(effect: OpenedEffect): Transaction {
  const attributes: JsonObject = effect.attributes;
  return new Transaction({
    id: effect.transactionId,
    direction: 'INBOUND',
    money: effect.money,
    customerId: effect.kind === 'INBOUND_PAYMENT' ? effect.customerId : undefined,
    reference: effect.kind === 'INBOUND_PAYMENT' ? effect.reference : undefined,
    attributes,
    originalPayload: JSON.stringify(attributes),
  });
}

/** Only an approval clears money received; anything else is for an analyst to look at. */
function asInboundScreening(screening: Screening): Screening {
  const status = inboundStatus(screening.status);
  return status === screening.status ? screening : { ...screening, status };
}

function alertScreening(provider: string, reason: string): Screening {
  return { provider, outcome: 'DECIDED', status: 'PENDING_EXTERNAL_APPROVAL', reasons: [reason], durationMs: 0 };
}
