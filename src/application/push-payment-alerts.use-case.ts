// Pushes payment alerts to operators: failed payments, API disagreements and money moved unscreened, from what is stored.
import { consolePathOf, operatorEvent, OperatorEvent } from '../domain/operator-event';
import { OperatorEventOutbox } from './ports/operator-event-outbox.port';
import { PaymentAlertFacts, PaymentAlertSource } from './ports/payment-alert-source.port';

export interface PaymentAlertPolicy {
  /** How far back each pass looks; anything older was raised by an earlier pass. */
  readonly lookbackMs: number;
  /** Money received whose screening has waited this long counts as moved unscreened. */
  readonly unscreenedAfterMs: number;
  /** Facts of each kind per pass: a page. */
  readonly limit: number;
}

export interface PaymentAlertPass {
  /** How many alerts were new. */
  readonly raised: number;
  /** A kind filled its page and the pass raised something: more may wait, run again at once. */
  readonly more: boolean;
}

/**
 * Each pass reads from PostgreSQL the facts not raised yet, oldest first, a page of each kind, and
 * queues one event per fact: the outbox keeps one per (type, dedupe key), so passes that overlap,
 * two replicas, or a crash between recording a fact and raising it, still send each alert once.
 * Nothing needs to remember what was raised; the facts and the outbox are the durable state.
 * While a page comes back full the caller runs the next pass at once, so a burst larger than a
 * page is raised in full, page by page. A full page that raised nothing (another replica raised
 * it meanwhile) does not ask for more: that replica goes on, and nothing can spin.
 */
export class PushPaymentAlerts {
  private readonly now: () => Date;

  constructor(
    private readonly source: PaymentAlertSource,
    private readonly outbox: OperatorEventOutbox,
    private readonly policy: PaymentAlertPolicy,
    options: { readonly now?: () => Date } = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  async runOnce(): Promise<PaymentAlertPass> {
    const now = this.now().getTime();
    const { limit } = this.policy;
    const facts = await this.source.notYetRaised(new Date(now - this.policy.lookbackMs), new Date(now - this.policy.unscreenedAfterMs), limit);
    const events = eventsOf(facts);
    const raised = events.length === 0 ? 0 : await this.outbox.enqueue(events);
    const full = [facts.failed, facts.mismatches, facts.unscreened].some((page) => page.length >= limit);
    return { raised, more: full && raised > 0 };
  }
}

function eventsOf(facts: PaymentAlertFacts): OperatorEvent[] {
  return [
    ...facts.failed.map((payment) =>
      operatorEvent('payment.failed', payment.eventId, payment.failedAt, {
        provider: payment.provider,
        paymentKey: payment.paymentKey,
        transactionId: payment.transactionId,
        providerStatus: payment.providerStatus,
        amount: payment.amount,
        currency: payment.currency,
        consolePath: payment.transactionId ? consolePathOf(payment.transactionId) : null,
      }),
    ),
    ...facts.mismatches.map((mismatch) =>
      operatorEvent('payment.verification_mismatch', mismatch.eventId, mismatch.verifiedAt, {
        provider: mismatch.provider,
        eventType: mismatch.eventType,
        transactionId: mismatch.transactionId,
        alertTransactionId: mismatch.alertTransactionId,
        amount: mismatch.amount,
        currency: mismatch.currency,
        disagreements: mismatch.disagreements,
        consolePath: mismatch.alertTransactionId ? consolePathOf(mismatch.alertTransactionId) : null,
      }),
    ),
    ...facts.unscreened.map((movement) =>
      operatorEvent('payment.moved_unscreened', movement.eventId, movement.at, {
        provider: movement.provider,
        paymentKey: movement.paymentKey,
        progress: movement.progress,
        amount: movement.amount,
        currency: movement.currency,
      }),
    ),
  ];
}
