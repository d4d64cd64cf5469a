// Request and response of rule-set backtests (POST /rules/backtest, GET /rules/backtest/{id}).
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsISO8601, IsOptional, Max, Min, ValidateIf } from 'class-validator';
import { BacktestState, BacktestView } from '../../application/backtests.use-case';
import { BacktestResult, BacktestSample } from '../../application/backtest-tally';
import { TransactionStatus } from '../../domain/transaction-status';
import { JsonView } from './json-view';

const STATUSES = ['APPROVED', 'PENDING_EXTERNAL_APPROVAL', 'REJECTED'];

export class StartBacktestRequest {
  @ApiPropertyOptional({ minimum: 1, description: 'A stored rule-set version to try (give this or `ruleSet`)' })
  // Only when absent: a null version is a mistake to name, not "no version" (IsOptional lets null through).
  @ValidateIf((_request, value) => value !== undefined)
  @IsInt({ message: 'version must be a whole number' })
  @Min(1, { message: 'version must be at least 1' })
  @Max(999_999_999, { message: 'version is not a stored version' })
  version?: number;

  @ApiPropertyOptional({
    oneOf: [{ type: 'string', description: 'YAML (or JSON) text' }, { type: 'object', description: 'The rule set as JSON' }],
    description: 'A rule set to try without storing it (give this or `version`)',
    example: 'rules:\n  - { id: large-amount, type: amount-at-least, threshold: "5000", status: PENDING_EXTERNAL_APPROVAL, reason: "Amount {amount}" }\n',
  })
  @IsOptional()
  ruleSet?: unknown;

  @ApiProperty({ format: 'date-time', example: '2026-11-01T00:00:00Z', description: 'Transactions received from this instant on' })
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 date-time' })
  from!: string;

  @ApiProperty({ format: 'date-time', example: '2026-12-01T00:00:00Z', description: 'Transactions received before this instant' })
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 date-time' })
  to!: string;
}

export class BacktestSampleDto implements JsonView<BacktestSample> {
  @ApiProperty() transactionId!: string;
  @ApiProperty({ format: 'date-time' }) receivedAt!: string;
  @ApiProperty({ enum: STATUSES, description: 'What validate answered' }) answered!: TransactionStatus;
  @ApiProperty({ type: Number, nullable: true, description: 'The rule-set version that answered it' }) answeredVersion!: number | null;
  @ApiProperty({ enum: STATUSES, description: 'What the candidate would answer' }) candidate!: TransactionStatus;
  @ApiProperty({ type: [String] }) candidateReasons!: string[];
}

export class BacktestResultDto implements JsonView<BacktestResult> {
  @ApiProperty({ description: 'Transactions the candidate screened' }) transactions!: number;
  @ApiProperty({ description: 'Transactions in the range still being screened, left out' }) skipped!: number;
  @ApiProperty({ description: 'Transactions whose status would change' }) changed!: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'object', additionalProperties: { type: 'integer' } },
    description: 'Answered status → candidate status → count',
    example: { APPROVED: { APPROVED: 980, PENDING_EXTERNAL_APPROVAL: 15, REJECTED: 0 } },
  })
  statuses!: Record<TransactionStatus, Record<TransactionStatus, number>>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, description: 'Rule id → transactions whose verdict it was part of' }) rulesFired!: Record<string, number>;
  @ApiProperty({ type: [BacktestSampleDto], description: 'Up to 100 transactions whose status would change, oldest first' }) samples!: BacktestSampleDto[];
}

export class BacktestDto implements JsonView<BacktestView> {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['QUEUED', 'RUNNING', 'DONE', 'FAILED'] }) state!: BacktestState;
  @ApiProperty({ type: Number, nullable: true, description: 'The stored version tried; null for a rule set given inline' }) candidateVersion!: number | null;
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time' }) to!: string;
  @ApiProperty() requestedBy!: string;
  @ApiProperty({ format: 'date-time' }) requestedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) startedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Transactions in the range, counted when the run started' }) total!: number | null;
  @ApiProperty({ description: 'Transactions gone through so far' }) processed!: number;
  @ApiProperty({ type: BacktestResultDto, nullable: true, description: 'Once DONE' }) result!: BacktestResultDto | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why it FAILED' }) error!: string | null;
}
