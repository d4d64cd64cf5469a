// Pushes payment alerts to operators: failed payments, API disagreements and money moved unscreened, from what is stored.
import { consolePathOf, operatorEvent, OperatorEvent } from '../domain/operator-event';
import { OperatorEventOutbox } from './ports/operator-event-outbox.port';
import { PaymentAlertSource } from './ports/payment-alert-source.port';

export interface PaymentAlertPolicy {
  /** How far back each pass looks; anything older was raised by an earlier pass. */
  readonly lookbackMs: number;
  /** Money received whose screening has waited this long counts as moved unscreened. */
  readonly unscreenedAfterMs: number;
  /** Facts of each kind per pass. */
  readonly limit: number;
}

/**
 * Each pass reads the recent facts from PostgreSQL and queues one event per fact: the outbox
 * keeps one per (type, dedupe key), so passes that overlap, two replicas, or a crash between
 * recording a fact and raising it, still send each alert once. Nothing needs to remember what
 * was raised; the facts are the durable state.
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

  /** Returns how many alerts were new. */
  async runOnce(): Promise<number> {
    const now = this.now().getTime();
    const facts = await this.source.recent(new Date(now - this.policy.lookbackMs), new Date(now - this.policy.unscreenedAfterMs), this.policy.limit);
    const events: OperatorEvent[] = [
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
    return events.length === 0 ? 0 : this.outbox.enqueue(events);
  }
}
