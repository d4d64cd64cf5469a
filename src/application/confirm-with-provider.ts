// Asks a payment provider's API about an event before it is acted on, and says what to do when they disagree.
import { PaymentEffect } from '../domain/payment-event';
import { disagreementReason, disagreements } from '../domain/payment-verification';
import { FollowUp, Verification } from './ports/payment-event-store.port';
import { PaymentVerifier } from './ports/payment-verifier.port';

/** The effects that end as a transaction: money received is screened, an alert is opened. */
export type OpenedEffect = Extract<PaymentEffect, { kind: 'INBOUND_PAYMENT' | 'ALERT' }>;

export type VerificationResult = 'agrees' | 'disagrees' | 'unavailable';
export type VerificationListener = (provider: string, result: VerificationResult) => void;

export interface Confirmation extends Verification {
  /** Opened in place of the event's effect when the API disagrees with the webhook. */
  readonly alert?: Extract<PaymentEffect, { kind: 'ALERT' }>;
}

/**
 * What the provider's API says about the follow-up's event, or undefined when there is nothing to
 * ask (not a provider the verifier covers, or an event with no check). Throws when the API cannot
 * answer: the follow-up is then retried, and the event's effect waits.
 */
export async function confirmWithProvider(
  verifier: PaymentVerifier,
  provider: string,
  effect: FollowUp['effect'],
  listener: VerificationListener,
): Promise<Confirmation | undefined> {
  if (effect.kind === 'ALERT' || effect.verify === undefined || effect.money === undefined || !verifier.covers(provider)) return undefined;
  const check = effect.verify;
  const claimed = effect.money;
  let report;
  try {
    report = await verifier.report(provider, check);
  } catch (error) {
    listener(provider, 'unavailable');
    throw error;
  }
  const problems = disagreements(check, claimed, report);
  listener(provider, problems.length === 0 ? 'agrees' : 'disagrees');
  if (problems.length === 0) return { report, disagreements: problems };
  const reported = report.found ? { found: true, reference: report.reference ?? null, status: report.status, amount: report.money?.toString() ?? null } : { found: false };
  const attributes = effect.kind === 'INBOUND_PAYMENT' ? effect.attributes : { source: provider, reference: check.reference };
  return {
    report,
    disagreements: problems,
    alertTransactionId: check.alertTransactionId,
    alert: {
      kind: 'ALERT',
      transactionId: check.alertTransactionId,
      money: claimed,
      reason: disagreementReason(provider, check, claimed, problems),
      attributes: { ...attributes, verification: { lookup: check.lookup, webhookStatus: check.status, reported, disagreements: problems } },
    },
  };
}
