// The JSON documents the transaction store's batched statements read: transactions as claimed, and screening records.
import { Transaction } from '../../domain/transaction';
import { screeningRecord } from '../../domain/screening-record';
import { Screening } from '../../domain/verdict';
import { entryHash, genesisHash } from './decision-chain';

/** A screened transaction, as a screening record's statement takes it. */
export interface ScreenedTransaction {
  readonly transaction: Transaction;
  readonly screening: Screening;
}

/** A new transaction screened before it is stored, with when its request arrived (epoch ms, this process's clock). */
export interface NewScreenedTransaction extends ScreenedTransaction {
  readonly receivedAt: number;
}

/**
 * The batch as one JSON document, the original payload embedded as the text it arrived as
 * (already validated JSON) so that its numbers keep their exact digits in jsonb. `first` marks an
 * id's first occurrence in the batch, the one the claim stores.
 */
export function claimBatchJson(batch: readonly { readonly transaction: Transaction }[]): string {
  return `[${transactionFields(batch.map(({ transaction }) => transaction))
    .map((fields) => `{${fields.join(',')}}`)
    .join(',')}]`;
}

/** Screening records of transactions already stored (SCREENING): what RECORD_SCREENING_BATCH reads. */
export function screeningRecordsJson(batch: readonly ScreenedTransaction[], now: Date): string {
  return JSON.stringify(batch.map(({ transaction, screening }) => ({ id: transaction.id, ...screeningRecordOf(transaction, screening, now) })));
}

/**
 * New transactions with their screening records, for RECORD_NEW_BATCH: claimBatchJson's fields
 * (the payload as it arrived), how long ago each request arrived (a difference of this process's
 * clock, so that the database's clock sets the time), then the record's fields.
 */
export function screenedTransactionsJson(batch: readonly NewScreenedTransaction[], now: Date): string {
  const fields = transactionFields(batch.map(({ transaction }) => transaction));
  return `[${batch
    .map(({ transaction, screening, receivedAt }, index) => {
      const record = JSON.stringify(screeningRecordOf(transaction, screening, now));
      const ago = Math.max(0, Math.round(now.getTime() - receivedAt));
      return `{${fields[index]!.join(',')},"arrived_ms_ago":${ago},${record.slice(1)}`;
    })
    .join(',')}]`;
}

function transactionFields(transactions: readonly Transaction[]): string[][] {
  const text = (value: string | undefined) => (value === undefined ? 'null' : JSON.stringify(value));
  const seen = new Set<string>();
  return transactions.map((t, index) => {
    const first = !seen.has(t.id);
    seen.add(t.id);
    return [
      `"position":${index + 1}`,
      `"first":${first}`,
      `"id":${text(t.id)}`,
      `"direction":"${t.direction}"`,
      `"amount":"${t.money.amount.toString()}"`,
      `"currency":${text(t.money.currency)}`,
      `"source_account_id":${text(t.sourceAccountId)}`,
      `"customer_id":${text(t.customerId)}`,
      `"company_id":${text(t.companyId)}`,
      `"user_id":${text(t.userId)}`,
      `"payment_scheme":${text(t.paymentScheme)}`,
      `"reference":${text(t.reference)}`,
      `"beneficiary":${t.beneficiary === undefined ? 'null' : JSON.stringify(t.beneficiary)}`,
      `"payload":${t.originalPayload}`,
    ];
  });
}

/** Without the id: the state, first decision entry (hash-chained from the transaction's genesis) and follow-ups screeningRecord decides. */
function screeningRecordOf(transaction: Transaction, screening: Screening, now: Date) {
  const { entry, state, opensReview, retry } = screeningRecord(screening, now);
  const prevHash = genesisHash(transaction.id, transaction.money.amount.toString(), transaction.money.currency);
  return {
    state,
    status: entry.status,
    reasons: entry.reasons,
    provider: entry.decidedBy,
    outcome: screening.outcome,
    provider_status: screening.verdict?.status ?? null,
    provider_reasons: screening.verdict?.reasons ?? null,
    error: screening.error ?? null,
    duration_ms: screening.durationMs,
    source: entry.source,
    final: entry.final,
    decided_at: entry.decidedAt.toISOString(),
    prev_hash: prevHash,
    hash: entryHash(prevHash, { ...entry, transactionId: transaction.id, sequence: 1 }),
    review: opensReview,
    retry,
    rule_set_version: screening.verdict?.ruleSetVersion ?? null,
  };
}
