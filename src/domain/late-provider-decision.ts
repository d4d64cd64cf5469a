// A provider's decision that came after the transaction was final: kept in the chain as evidence, never acted on.
import { CaseNote, NOTE_MAX_LENGTH } from './case-record';
import { FinalStatus } from './decision';
import { consolePathOf, operatorEvent, OperatorEventOf } from './operator-event';
import { storableText } from './storable-text';
import { Direction } from './transaction';

/*
 * A transaction is decided once. A provider can still decide it later: its case tool closes an
 * alert after an analyst decided the case, or its post-payment monitoring rejects a payment it
 * approved at validate. Toqio is told nothing (its answer stands), but the provider's word is
 * evidence: it is appended to the transaction's chain as a note, and when it says otherwise than
 * the final status, operators get `decision.contradicted`, as money may have moved against it.
 */

/** The transaction as it stands, final. */
export interface FinalOnRecord {
  readonly transactionId: string;
  readonly direction: Direction;
  readonly status: FinalStatus;
  /** Exact decimal text. */
  readonly amount: string;
  readonly currency: string;
}

export interface LateProviderDecision {
  readonly provider: string;
  readonly status: FinalStatus;
  readonly reasons: readonly string[];
  readonly at: Date;
}

/** The note's author: a provider, never mistaken for an analyst of the same name. */
export function providerAuthor(provider: string): string {
  return `provider ${provider}`;
}

/** The note kept in the chain, within NOTE_MAX_LENGTH, the provider's reasons cut to fit and made storable. */
export function lateDecisionNote(onRecord: FinalOnRecord, late: LateProviderDecision): CaseNote {
  const agreement = late.status === onRecord.status ? 'agreeing with' : 'against';
  const head = `Provider ${late.provider} decided ${late.status} after the transaction was final, ${agreement} its ${onRecord.status}. It changes nothing: the transaction stays ${onRecord.status}.`;
  const reasons = late.reasons.length > 0 ? ` Its reasons: ${late.reasons.join('; ')}` : '';
  const text = storableText(`${head}${reasons}`.trim(), NOTE_MAX_LENGTH);
  return { kind: 'NOTE', author: providerAuthor(late.provider), text, at: late.at };
}

/** The operator event for a late decision that says otherwise than the final status; null when it agrees. */
export function decisionContradicted(onRecord: FinalOnRecord, late: LateProviderDecision): OperatorEventOf<'decision.contradicted'> | null {
  if (late.status === onRecord.status) return null;
  // One event per transaction, provider and verdict, however often the provider sends it.
  return operatorEvent('decision.contradicted', `${onRecord.transactionId}:${late.provider}:${late.status}`, late.at, {
    transactionId: onRecord.transactionId,
    direction: onRecord.direction,
    status: onRecord.status,
    amount: onRecord.amount,
    currency: onRecord.currency,
    provider: late.provider,
    providerStatus: late.status,
    providerReasons: late.reasons.map((reason) => storableText(reason, 1000)),
    receivedAt: late.at.toISOString(),
    consolePath: consolePathOf(onRecord.transactionId),
  });
}
