// The only status words Toqio understands; anything else would be read as a rejection.
export const TRANSACTION_STATUSES = ['APPROVED', 'REJECTED', 'PENDING_EXTERNAL_APPROVAL'] as const;
export type TransactionStatus = (typeof TRANSACTION_STATUSES)[number];

/** Internal state while the first request is still asking the provider; never sent to Toqio. */
export const SCREENING = 'SCREENING' as const;
export type TransactionState = TransactionStatus | typeof SCREENING;

const STRICTNESS: Record<TransactionStatus, number> = {
  APPROVED: 0,
  PENDING_EXTERNAL_APPROVAL: 1,
  REJECTED: 2,
};

export function isTransactionStatus(value: unknown): value is TransactionStatus {
  return typeof value === 'string' && (TRANSACTION_STATUSES as readonly string[]).includes(value);
}

/** REJECTED beats PENDING_EXTERNAL_APPROVAL beats APPROVED. */
export function strictest(statuses: Iterable<TransactionStatus>): TransactionStatus {
  let result: TransactionStatus = 'APPROVED';
  for (const status of statuses) {
    if (STRICTNESS[status] > STRICTNESS[result]) result = status;
  }
  return result;
}

/**
 * What a screening's status means for money received (an inbound payment): only an approval clears
 * it; a rejection cannot send it back, so it is held for an analyst to look at.
 */
export function inboundStatus(status: TransactionStatus): TransactionStatus {
  return status === 'REJECTED' ? 'PENDING_EXTERNAL_APPROVAL' : status;
}
