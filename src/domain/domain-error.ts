// Domain errors carry a stable code; the HTTP adapter maps codes to statuses in one place.
// Conditions only HTTP knows of (a source address, a paging cursor) are problems of the HTTP adapter.
export type DomainErrorCode =
  | 'INVALID_AMOUNT'
  | 'INVALID_CURRENCY'
  | 'INVALID_RANGE'
  | 'TRANSACTION_CONFLICT'
  | 'SCREENING_IN_PROGRESS'
  | 'TRANSACTION_NOT_FOUND'
  | 'TRANSACTION_NOT_PENDING'
  | 'APPROVAL_ALREADY_GIVEN'
  | 'CASE_CLAIMED'
  | 'ROLE_FORBIDDEN'
  | 'NOTIFICATION_NOT_FOUND'
  | 'NOTIFICATION_NOT_DEAD'
  | 'OPERATOR_EVENT_NOT_FOUND'
  | 'OPERATOR_EVENT_NOT_DEAD'
  | 'UNKNOWN_PROVIDER'
  | 'WEBHOOK_UNAUTHENTIC'
  | 'WEBHOOK_MALFORMED'
  | 'PROVIDER_UNAVAILABLE'
  | 'DEADLINE_EXCEEDED'
  | 'INVALID_NOTE'
  | 'ATTACHMENT_NOT_FOUND'
  | 'ATTACHMENT_TYPE_UNSUPPORTED'
  | 'ATTACHMENT_CONTENT_MISMATCH'
  | 'SANCTIONS_ENTRY_NOT_FOUND'
  | 'LIST_NOT_FOUND'
  | 'LIST_ENTRY_NOT_FOUND'
  | 'INVALID_LIST_CHANGE'
  | 'INVALID_RULE_SET'
  | 'RULE_SET_VERSION_NOT_FOUND'
  | 'BACKTEST_NOT_FOUND';

/** One invalid part of a request, as the problem document names it. */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly field?: string,
    /** Every invalid part, when there are several (then `field` is unused). */
    readonly fieldProblems?: readonly FieldProblem[],
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

/**
 * No answer could be given by the validate deadline (the database stalled, refused or queued us).
 * Whatever was claimed stays coherent: a retry with the same id gets one consistent answer.
 */
export class DeadlineExceededError extends DomainError {
  constructor(
    readonly transactionId: string,
    readonly deadlineMs: number,
  ) {
    super('DEADLINE_EXCEEDED', `No decision on transaction ${transactionId} in time for the ${deadlineMs} ms deadline; retry shortly with the same transactionId`);
  }
}

/** Another request (on this or another replica) is still screening the same transaction. */
export class ScreeningInProgressError extends DomainError {
  constructor(readonly transactionId: string) {
    super('SCREENING_IN_PROGRESS', `Transaction ${transactionId} is still being screened; retry shortly`);
  }
}

export class TransactionNotFoundError extends DomainError {
  constructor(readonly transactionId: string) {
    super('TRANSACTION_NOT_FOUND', `No transaction ${transactionId} is known`);
  }
}

/** Only a pending transaction can be decided; a final state never changes. */
export class TransactionNotPendingError extends DomainError {
  constructor(
    readonly transactionId: string,
    readonly state: string,
  ) {
    super('TRANSACTION_NOT_PENDING', `Transaction ${transactionId} is ${state}, not pending: it can no longer be decided`);
  }
}

/** Four-eyes: the second approval must come from a different analyst. */
export class ApprovalAlreadyGivenError extends DomainError {
  constructor(
    readonly transactionId: string,
    readonly analyst: string,
  ) {
    super('APPROVAL_ALREADY_GIVEN', `${analyst} has already approved transaction ${transactionId}; a different analyst must give the second approval`);
  }
}

/** Another analyst's claim on the case has not lapsed: they are working on it. */
export class CaseClaimedError extends DomainError {
  constructor(
    readonly transactionId: string,
    readonly assignee: string,
    readonly claimedUntil: Date,
  ) {
    super('CASE_CLAIMED', `Transaction ${transactionId} is claimed by ${assignee} until ${claimedUntil.toISOString()}`);
  }
}

/** The analyst's role does not allow this action on this case (a supervised second approval, a claim held by someone else). */
export class RoleForbiddenError extends DomainError {
  constructor(detail: string) {
    super('ROLE_FORBIDDEN', detail);
  }
}

export class NotificationNotFoundError extends DomainError {
  constructor(readonly notificationId: string) {
    super('NOTIFICATION_NOT_FOUND', `No notification ${notificationId} is known`);
  }
}

/** Only a dead notification is redelivered by hand; a queued one is already being retried. */
export class NotificationNotDeadError extends DomainError {
  constructor(
    readonly notificationId: string,
    readonly state: string,
  ) {
    super('NOTIFICATION_NOT_DEAD', `Notification ${notificationId} is ${state}; only a DEAD notification can be redelivered`);
  }
}

export class OperatorEventNotFoundError extends DomainError {
  constructor(readonly eventId: string) {
    super('OPERATOR_EVENT_NOT_FOUND', `No event ${eventId} is known`);
  }
}

/** Only a dead event is redelivered by hand; a queued one is already being retried. */
export class OperatorEventNotDeadError extends DomainError {
  constructor(
    readonly eventId: string,
    readonly state: string,
  ) {
    super('OPERATOR_EVENT_NOT_DEAD', `Event ${eventId} is ${state}; only a DEAD event can be redelivered`);
  }
}

/** A callback or webhook path names a provider that is not configured to send any. */
export class UnknownProviderError extends DomainError {
  constructor(readonly provider: string) {
    super('UNKNOWN_PROVIDER', `No enabled provider "${provider}" sends callbacks to this service`);
  }
}

/** A webhook whose signature, key or timestamp does not verify; nothing of it is recorded. */
export class WebhookUnauthenticError extends DomainError {
  constructor(detail: string) {
    super('WEBHOOK_UNAUTHENTIC', detail);
  }
}

/** A verified webhook whose content cannot be understood. */
export class WebhookMalformedError extends DomainError {
  constructor(detail: string, field?: string) {
    super('WEBHOOK_MALFORMED', detail, field);
  }
}

/** A verified callback whose meaning must be read from the provider's API, which did not answer. */
export class ProviderUnavailableError extends DomainError {
  constructor(
    readonly provider: string,
    detail: string,
  ) {
    super('PROVIDER_UNAVAILABLE', `${provider} could not be asked about this callback (${detail}); retry later`);
  }
}

/** An allowance names a sanctions list entry that no currently loaded list has. */
export class SanctionsEntryNotFoundError extends DomainError {
  constructor(
    readonly source: string,
    readonly entryId: string,
  ) {
    super('SANCTIONS_ENTRY_NOT_FOUND', `No loaded ${source} list has an entry ${entryId}`, 'entryId');
  }
}

/** A case note that cannot be kept as it is. */
export class InvalidNoteError extends DomainError {
  constructor(detail: string) {
    super('INVALID_NOTE', detail, 'text');
  }
}

export class AttachmentNotFoundError extends DomainError {
  constructor(
    readonly transactionId: string,
    readonly attachmentId: string,
  ) {
    super('ATTACHMENT_NOT_FOUND', `Transaction ${transactionId} has no attachment ${attachmentId}`);
  }
}

/**
 * A file refused before anything is stored: a content type outside the allowlist
 * (ATTACHMENT_TYPE_UNSUPPORTED), or bytes that are not what the content type says
 * (ATTACHMENT_CONTENT_MISMATCH).
 */
export class AttachmentRefusedError extends DomainError {
  constructor(code: 'ATTACHMENT_TYPE_UNSUPPORTED' | 'ATTACHMENT_CONTENT_MISMATCH', detail: string) {
    super(code, detail, 'file');
  }
}
