// The payment events API's query and answer (GET /payment-events), validated at the edge and described for OpenAPI.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { EFFECT_OUTCOMES, EffectOutcome } from '../../domain/payment-event';

const ISO = { strict: true, strictSeparator: true } as const;
export const MAX_PAYMENT_EVENTS_PAGE = 200;
export const DEFAULT_PAYMENT_EVENTS_PAGE = 50;

export class ListPaymentEventsQuery {
  @ApiPropertyOptional({ example: 'paystack', description: 'Only this provider: paystack, payto, or a platform of PAYMENT_PLATFORMS_FILE' })
  @IsOptional()
  @IsString({ message: 'provider must be a string' })
  @Matches(/^[a-z0-9][a-z0-9-]{0,39}$/, { message: 'provider must be a provider name: lower-case letters, digits and dashes, at most 40' })
  provider?: string;

  @ApiPropertyOptional({ enum: EFFECT_OUTCOMES, description: 'Only events with this outcome; UNPARSED: verified but not readable' })
  @IsOptional()
  @IsIn(EFFECT_OUTCOMES, { message: `outcome must be one of ${EFFECT_OUTCOMES.join(', ')}` })
  outcome?: EffectOutcome;

  @ApiPropertyOptional({ example: '2026-12-01', description: 'Received at or after: an ISO 8601 calendar date (YYYY-MM-DD, UTC midnight) or date-time, years 1 to 9999' })
  @IsOptional()
  @IsISO8601(ISO, { message: 'from must be an ISO 8601 date or date-time' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-02', description: 'Received before' })
  @IsOptional()
  @IsISO8601(ISO, { message: 'to must be an ISO 8601 date or date-time' })
  to?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAYMENT_EVENTS_PAGE, default: DEFAULT_PAYMENT_EVENTS_PAGE })
  @IsOptional()
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1, { message: 'limit must be at least 1' })
  @Max(MAX_PAYMENT_EVENTS_PAGE, { message: `limit must be at most ${MAX_PAYMENT_EVENTS_PAGE}` })
  limit?: number;

  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page (same filters)' })
  @IsOptional()
  @IsString({ message: 'cursor must be a string' })
  @MaxLength(256, { message: 'cursor is not one this service issued; start again without it' })
  cursor?: string;
}

export class PaymentEventDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'paystack' }) provider!: string;
  @ApiProperty({ example: 'charge.success', description: 'The provider\'s event name; `unknown` for an UNPARSED event whose name could not be read' }) eventType!: string;
  @ApiProperty({ description: 'Unique per provider: a delivery with a key on record is a duplicate' }) dedupeKey!: string;
  @ApiProperty({ type: String, nullable: true }) messageId!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The transaction it concerns, when one is on record' }) transactionId!: string | null;
  @ApiProperty({ type: String, nullable: true, description: "The provider's status word" }) status!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '2500.5', description: 'Exact decimal' }) amount!: string | null;
  @ApiProperty({ type: String, nullable: true }) currency!: string | null;
  @ApiProperty() summary!: string;
  @ApiProperty({ enum: EFFECT_OUTCOMES, description: 'APPLIED, STALE (older than the state on record), FOLLOW_UP (screening or confirmation queued), RECORDED, UNPARSED (verified, not readable)' })
  outcome!: EffectOutcome;
  @ApiProperty({ type: String, nullable: true, description: 'Why an UNPARSED event could not be read' }) reason!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the provider says it happened' }) occurredAt!: string | null;
  @ApiProperty({ format: 'date-time', description: 'When it was stored (microseconds)' }) receivedAt!: string;
  @ApiProperty({
    description: 'The event as kept: the verified JSON document (decoded for PayTo), numbers with every digit; one PostgreSQL cannot hold as JSON is `{"base64": ...}` of its text',
  })
  payload!: unknown;
}

export class PaymentEventPageDto {
  @ApiProperty({ type: [PaymentEventDto], description: 'Newest first' }) items!: PaymentEventDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next, older page; null on the last one' }) nextCursor!: string | null;
}
