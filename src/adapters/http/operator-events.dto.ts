// Requests and responses of the operator events API (GET /events, POST /events/{id}/redeliver).
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { OperatorEventPage, OperatorEventState, OperatorEventView } from '../../application/list-operator-events.use-case';
import { OPERATOR_EVENT_TYPES } from '../../domain/operator-event';
import { JsonView } from './json-view';

const STATES: readonly OperatorEventState[] = ['QUEUED', 'DELIVERED', 'DEAD'];
const lowerStates = STATES.map((state) => state.toLowerCase());

export class ListOperatorEventsQuery {
  @ApiPropertyOptional({ enum: lowerStates, description: 'Only events in this state (dead: given up on, to redeliver); all when absent' })
  @IsOptional()
  @IsIn(lowerStates, { message: `state must be one of ${lowerStates.join(', ')}` })
  state?: string;

  @ApiPropertyOptional({ enum: OPERATOR_EVENT_TYPES, description: 'Only events of this type' })
  @IsOptional()
  @IsIn(OPERATOR_EVENT_TYPES, { message: `type must be one of ${OPERATOR_EVENT_TYPES.join(', ')}` })
  type?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1, { message: 'limit must be at least 1' })
  @Max(200, { message: 'limit must be at most 200' })
  limit?: number;

  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page' })
  @IsOptional()
  @IsString({ message: 'cursor must be a string' })
  @MaxLength(18, { message: 'cursor is not one this service issued; start again without it' })
  @Matches(/^[1-9]\d*$/, { message: 'cursor is not one this service issued; start again without it' })
  cursor?: string;
}

export class OperatorEventDto implements JsonView<OperatorEventView> {
  @ApiProperty({ format: 'uuid', description: 'Also the webhook-id header of every attempt' }) id!: string;
  @ApiProperty({ description: 'Position in the outbox; newer events have larger ones' }) position!: string;
  @ApiProperty({ example: 'case.opened' }) type!: string;
  @ApiProperty({ description: 'Unique within the type: the same event is never queued twice' }) dedupeKey!: string;
  @ApiProperty({ enum: STATES }) state!: OperatorEventState;
  @ApiProperty({ format: 'date-time', description: "The envelope's timestamp: when it happened" }) occurredAt!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty() attempts!: number;
  @ApiProperty({ format: 'date-time', nullable: true }) nextAttemptAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, description: 'Set while a worker is sending it' }) leasedUntil!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true }) deliveredAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true }) deadAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) lastError!: string | null;
  @ApiProperty({ type: String, nullable: true }) redeliveredBy!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: "The envelope's data" }) data!: unknown;
}

export class OperatorEventPageDto implements JsonView<OperatorEventPage> {
  @ApiProperty({ type: [OperatorEventDto] }) items!: OperatorEventDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next, older page' }) nextCursor!: string | null;
}

export function stateOf(query: ListOperatorEventsQuery): OperatorEventState | undefined {
  return query.state === undefined ? undefined : (query.state.toUpperCase() as OperatorEventState);
}
