// Requests and responses of the analyst API, validated at the edge and described for OpenAPI.
import { EFFECT_OUTCOMES } from '../../domain/payment-event';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import {
  CaseSummary,
  DeliveryAttemptView,
  HistoryEntry,
  NotificationState,
  NotificationView,
  PaymentEventView,
  PaymentView,
  ReviewStatus,
  TransactionDetail,
} from '../../application/review-views';
import { Overdue } from '../../application/review-queue.use-case';
import { DecisionNotice, DecisionSource, FinalStatus } from '../../domain/decision';
import { Direction } from '../../domain/transaction';
import { TRANSACTION_STATUSES, TransactionState } from '../../domain/transaction-status';
import { ClaimEventDto } from './case-claims.dto';
import { AttachmentDto, NoteDto } from './case-records.dto';
import { JsonView } from './json-view';
import { ProviderVerdictDto } from './monitoring.dto';
import { CaseSearchQuery } from './queue-search.dto';

const DIRECTIONS = ['OUTBOUND', 'INBOUND'] as const;

export class ListTransactionsQuery extends CaseSearchQuery {
  @ApiPropertyOptional({ enum: TRANSACTION_STATUSES, description: 'Only cases in this status; all held cases when absent' })
  @IsOptional()
  @IsIn(TRANSACTION_STATUSES, { message: `status must be one of ${TRANSACTION_STATUSES.join(', ')}` })
  status?: (typeof TRANSACTION_STATUSES)[number];

  @ApiPropertyOptional({ enum: DIRECTIONS, description: 'OUTBOUND: Toqio payments; INBOUND: alerts on payments received through a payment provider' })
  @IsOptional()
  @IsIn(DIRECTIONS, { message: 'direction must be OUTBOUND or INBOUND' })
  direction?: (typeof DIRECTIONS)[number];

  @ApiPropertyOptional({
    description: "`me`: cases the caller's claim holds; `none`: cases nobody's claim holds (lapsed claims count as none); any other value: that analyst's",
    example: 'me',
  })
  @IsOptional()
  @IsString({ message: 'assignee must be a string' })
  @MinLength(1, { message: 'assignee must not be empty' })
  @MaxLength(128, { message: 'assignee must be at most 128 characters' })
  @Matches(/^[^\u0000-\u001f\u007f]*$/, { message: 'assignee must not contain control characters' })
  assignee?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1, { message: 'limit must be at least 1' })
  @Max(200, { message: 'limit must be at most 200' })
  limit?: number;

  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page' })
  @IsOptional()
  @IsString({ message: 'cursor must be a string' })
  @MaxLength(512, { message: 'cursor is too long' })
  cursor?: string;
}

export class DecisionRequest {
  @ApiProperty({ enum: ['APPROVED', 'REJECTED'] })
  @IsIn(['APPROVED', 'REJECTED'], { message: 'status must be APPROVED or REJECTED' })
  status!: 'APPROVED' | 'REJECTED';

  @ApiProperty({ minLength: 1, maxLength: 1000, example: 'Beneficiary verified against the invoice and the customer called back' })
  @IsString({ message: 'reason is required and must be a string' })
  @MinLength(1, { message: 'reason must not be empty' })
  @MaxLength(1000, { message: 'reason must be at most 1000 characters' })
  @Matches(/\S/, { message: 'reason must not be blank' })
  reason!: string;
}

export class FirstApprovalDto implements JsonView<NonNullable<CaseSummary['firstApproval']>> {
  @ApiProperty({ example: 'alice' }) by!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class CaseSummaryDto implements JsonView<CaseSummary & Overdue> {
  @ApiProperty() transactionId!: string;
  @ApiProperty({ enum: DIRECTIONS }) direction!: Direction;
  @ApiProperty({ enum: TRANSACTION_STATUSES }) status!: ReviewStatus;
  @ApiProperty({ description: 'Exact decimal in major units', example: '12500.00' }) amount!: string;
  @ApiProperty({ example: 'GBP' }) currency!: string;
  @ApiProperty({ type: Object, nullable: true }) beneficiary!: Record<string, unknown> | null;
  @ApiProperty({ type: [String] }) reasons!: string[];
  @ApiProperty({ format: 'date-time', description: 'When it was held' }) pendingSince!: string;
  @ApiProperty({ format: 'date-time', nullable: true }) decidedAt!: string | null;
  @ApiProperty({ type: FirstApprovalDto, nullable: true, description: 'Four-eyes: the approval waiting for a second analyst' })
  firstApproval!: FirstApprovalDto | null;
  @ApiProperty({ type: String, nullable: true, example: 'alice', description: 'The analyst whose claim holds the case; null when none does' }) assignee!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, description: 'When that claim lapses' }) claimedUntil!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, description: 'When it becomes overdue (PENDING_SLA_MINUTES)' }) dueAt!: string | null;
  @ApiProperty() overdue!: boolean;
}

export class QueuePageDto {
  @ApiProperty({ type: [CaseSummaryDto] }) items!: CaseSummaryDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last one' }) nextCursor!: string | null;
}

export class DecisionEntryDto implements JsonView<HistoryEntry> {
  @ApiProperty({ example: 2 }) sequence!: number;
  @ApiProperty({ enum: [...TRANSACTION_STATUSES, 'SCREENING'] }) status!: TransactionState;
  @ApiProperty({ description: 'False for a first four-eyes approval or a verdict that leaves it pending' }) final!: boolean;
  @ApiProperty({ enum: ['PROVIDER', 'FALLBACK', 'ANALYST'] }) source!: DecisionSource;
  @ApiProperty({ example: 'alice', description: 'Analyst token name, or provider name' }) decidedBy!: string;
  @ApiProperty({ type: [String] }) reasons!: string[];
  @ApiProperty({ format: 'date-time' }) decidedAt!: string;
  @ApiProperty({ description: 'SHA-256 chaining this entry to the previous one (npm run audit:verify)' }) hash!: string;
}

export class DeliveryAttemptDto implements JsonView<DeliveryAttemptView> {
  @ApiProperty() attempt!: number;
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiProperty() durationMs!: number;
  @ApiProperty({ enum: ['DELIVERED', 'REFUSED', 'TIMEOUT', 'NETWORK_ERROR'] }) outcome!: string;
  @ApiProperty({ type: Number, nullable: true }) httpStatus!: number | null;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
}

export class NotificationBodyDto implements DecisionNotice {
  @ApiProperty() transactionId!: string;
  @ApiProperty({ enum: ['APPROVED', 'REJECTED'] }) status!: FinalStatus;
  @ApiProperty() reason!: string;
  @ApiProperty({ description: 'Analyst or provider; both analysts of a four-eyes approval, first approver first' }) decidedBy!: string;
  @ApiProperty({ format: 'date-time' }) decidedAt!: string;
}

export class NotificationDto implements JsonView<NotificationView> {
  @ApiProperty({ format: 'uuid', description: 'Also the idempotency-key header of every attempt' }) id!: string;
  @ApiProperty() transactionId!: string;
  @ApiProperty({ enum: ['QUEUED', 'DELIVERED', 'DEAD'] }) state!: NotificationState;
  @ApiProperty({ type: NotificationBodyDto, description: 'The body Toqio receives' }) body!: NotificationBodyDto;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true }) nextAttemptAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true }) deliveredAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true }) deadAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) lastError!: string | null;
  @ApiProperty({ type: String, nullable: true }) redeliveredBy!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true }) redeliveredAt!: string | null;
  @ApiProperty({ type: [DeliveryAttemptDto] }) attempts!: DeliveryAttemptDto[];
}

export class ScreeningDto implements JsonView<TransactionDetail['screening']> {
  @ApiProperty({ type: String, nullable: true, example: 'rules' }) provider!: string | null;
  @ApiProperty({ type: String, nullable: true, enum: ['DECIDED', 'TIMEOUT', 'ERROR'] }) outcome!: string | null;
  @ApiProperty({ type: String, nullable: true, description: "The provider's own status, absent when it failed" }) providerStatus!: string | null;
  @ApiProperty({ type: [String], nullable: true }) providerReasons!: string[] | null;
  @ApiProperty({ type: Number, nullable: true }) durationMs!: number | null;
  @ApiProperty({ format: 'date-time', nullable: true }) screenedAt!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: "The rules engine's rule-set version that gave the verdict (GET /rules/versions/{version}): validate's, or a late screening's when validate answered the fallback; null when no rule-set version gave one" }) ruleSetVersion!: number | null;
}

export class ReviewDto implements JsonView<NonNullable<TransactionDetail['review']> & Overdue> {
  @ApiProperty({ format: 'date-time' }) pendingSince!: string;
  @ApiProperty({ format: 'date-time', nullable: true }) decidedAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true }) dueAt!: string | null;
  @ApiProperty() overdue!: boolean;
  @ApiProperty({ type: FirstApprovalDto, nullable: true }) firstApproval!: FirstApprovalDto | null;
}

export class PaymentEventDto implements JsonView<PaymentEventView> {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'paystack' }) provider!: string;
  @ApiProperty({ example: 'transfer.success' }) eventType!: string;
  @ApiProperty({ format: 'date-time' }) receivedAt!: string;
  @ApiProperty({ type: String, nullable: true, description: "The provider's status word in the event", example: 'success' }) state!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Exact decimal, major units', example: '1000' }) amount!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'NGN' }) currency!: string | null;
  @ApiProperty({ example: 'Transfer 7d0c5f0e-1 (TRF_v5tip3zx8nna9o78) of 1000 NGN: success' }) summary!: string;
  @ApiProperty({ enum: EFFECT_OUTCOMES, description: 'STALE: older than the state on record, so it changed nothing' }) outcome!: string;
}

export class PaymentDto implements JsonView<PaymentView> {
  @ApiProperty({ example: 'paystack' }) provider!: string;
  @ApiProperty({ example: 'transfer:7d0c5f0e-1' }) paymentKey!: string;
  @ApiProperty({ enum: ['PENDING', 'IN_PROGRESS', 'SETTLED', 'FAILED', 'REVERSED'] }) progress!: string;
  @ApiProperty({ example: 'success' }) providerStatus!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class TransactionDetailDto {
  @ApiProperty() transactionId!: string;
  @ApiProperty({ enum: DIRECTIONS }) direction!: string;
  @ApiProperty({ enum: [...TRANSACTION_STATUSES, 'SCREENING'], description: 'SCREENING only while validate is still asking the provider' }) status!: string;
  @ApiProperty({ example: '12500.00' }) amount!: string;
  @ApiProperty({ example: 'GBP' }) currency!: string;
  @ApiProperty({ type: [String], description: 'Reasons for the current status' }) reasons!: string[];
  @ApiProperty({ format: 'date-time' }) receivedAt!: string;
  @ApiProperty({ type: ScreeningDto }) screening!: ScreeningDto;
  @ApiProperty({ type: ReviewDto, nullable: true, description: 'Present once the transaction was held for review' }) review!: ReviewDto | null;
  @ApiProperty({ type: String, nullable: true, example: 'alice', description: 'The analyst whose claim holds the case; null when none does' }) assignee!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, description: 'When that claim lapses' }) claimedUntil!: string | null;
  @ApiProperty({ type: [ClaimEventDto], description: 'Claims, releases and claims ended by a decision, oldest first' }) claimHistory!: ClaimEventDto[];
  @ApiProperty({ type: [DecisionEntryDto], description: 'Append-only, oldest first' }) decisions!: DecisionEntryDto[];
  @ApiProperty({ type: [NoteDto], description: "Analysts' notes, oldest first; append-only, in the hash chain" }) notes!: NoteDto[];
  @ApiProperty({ type: [AttachmentDto], description: 'Files attached, oldest first; each digest is in the hash chain' }) attachments!: AttachmentDto[];
  @ApiProperty({ type: [NotificationDto] }) notifications!: NotificationDto[];
  @ApiProperty({ type: [PaymentEventDto], description: "Payment providers' events about this transaction, oldest first" }) paymentEvents!: PaymentEventDto[];
  @ApiProperty({ type: [PaymentDto], description: 'Where its payments stand, as their providers last reported (never moved backwards)' }) payments!: PaymentDto[];
  @ApiProperty({ type: [ProviderVerdictDto], description: 'The shadow challenger\'s verdicts (MONITORING_SHADOW_PROVIDER); they never changed the answer' }) shadowVerdicts!: ProviderVerdictDto[];
  @ApiProperty({ type: [ProviderVerdictDto], description: 'With several providers combined: each one\'s own verdict (the answer is the strictest)' }) providerVerdicts!: ProviderVerdictDto[];
  @ApiProperty({ type: Object, description: 'The request body as received, unknown fields included, numbers with every digit' }) payload!: Record<string, unknown>;
}

export class CallbackAnswerDto {
  @ApiProperty() transactionId!: string;
  @ApiProperty({ enum: ['APPLIED', 'DUPLICATE', 'NOT_PENDING'], description: 'APPLIED: recorded, final or, when another provider of a combination still holds the transaction (or for a rejection of an inbound alert), kept in its history while it stays pending. DUPLICATE: this event was seen before; nothing changed. NOT_PENDING: already final (decided by an analyst, or at validate); the decision stands and Toqio is told nothing, the provider\'s decision is kept as a note in the transaction\'s chain, and one that disagrees raises decision.contradicted' })
  outcome!: string;
}
