// Domain errors carry a stable code; the HTTP adapter maps codes to statuses in one place.
export type DomainErrorCode =
  | 'INVALID_AMOUNT'
  | 'INVALID_CURRENCY'
  | 'TRANSACTION_CONFLICT'
  | 'SCREENING_IN_PROGRESS';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A repeat of a transactionId whose money or beneficiary differs from the first request. */
export class TransactionConflictError extends DomainError {
  constructor(
    readonly transactionId: string,
    readonly differingFields: readonly string[],
  ) {
    super(
      'TRANSACTION_CONFLICT',
      `Transaction ${transactionId} was already received with a different ${differingFields.join(', ')}`,
    );
  }
}

/** Another request (on this or another replica) is still screening the same transaction. */
export class ScreeningInProgressError extends DomainError {
  constructor(readonly transactionId: string) {
    super('SCREENING_IN_PROGRESS', `Transaction ${transactionId} is still being screened; retry shortly`);
  }
}
