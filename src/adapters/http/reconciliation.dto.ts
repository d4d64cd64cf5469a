// The reconciliation API's query, answer and CSV, validated at the edge and described for OpenAPI.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsISO8601, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { CurrencyTotals, DEFAULT_RECONCILIATION_PAGE, MAX_RECONCILIATION_DAYS, MAX_RECONCILIATION_PAGE, RECONCILIATION_CLASSES, ReconciliationClass, ReconciliationRow } from '../../domain/reconciliation';

const ISO = { strict: true, strictSeparator: true } as const;

/**
 * The longest key a row's cursor carries, in characters: a transaction id (128), or a provider's
 * name and the payment or event key it reported (a Paystack transfer's reference runs to 500).
 */
export const MAX_RECONCILIATION_KEY = 700;
/** The longest cursor such a key makes, every character at its longest in JSON (six bytes: a control character as \u0001), in base64url. */
const MAX_RECONCILIATION_CURSOR = Math.ceil((MAX_RECONCILIATION_KEY * 6 + 64) / 3) * 4;

export class ReconciliationQueryDto {
  @ApiProperty({ example: '2026-11-30', description: `Start (inclusive): an ISO 8601 calendar date (YYYY-MM-DD, UTC midnight) or date-time, years 1 to 9999; the range spans at most ${MAX_RECONCILIATION_DAYS} days` })
  @IsISO8601(ISO, { message: 'from must be an ISO 8601 date or date-time' })
  from!: string;

  @ApiProperty({ example: '2026-12-01', description: 'End (exclusive), later than from' })
  @IsISO8601(ISO, { message: 'to must be an ISO 8601 date or date-time' })
  to!: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_RECONCILIATION_PAGE, default: DEFAULT_RECONCILIATION_PAGE, description: 'Rows per page' })
  @IsOptional()
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1, { message: 'limit must be at least 1' })
  @Max(MAX_RECONCILIATION_PAGE, { message: `limit must be at most ${MAX_RECONCILIATION_PAGE}` })
  limit?: number;

  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page (same from and to)' })
  @IsOptional()
  @IsString({ message: 'cursor must be a string' })
  @MaxLength(MAX_RECONCILIATION_CURSOR, { message: 'cursor is too long' })
  cursor?: string;
}

export class ReconciliationRowDto implements ReconciliationRow {
  @ApiProperty({ type: String, nullable: true, description: 'null for money that moved with no transaction of ours' }) transactionId!: string | null;
  @ApiProperty({ enum: ['OUTBOUND', 'INBOUND'], nullable: true }) direction!: 'OUTBOUND' | 'INBOUND' | null;
  @ApiProperty({ type: String, nullable: true, enum: ['APPROVED', 'REJECTED', 'PENDING_EXTERNAL_APPROVAL', 'SCREENING'], description: 'The monitoring decision' }) decision!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '1250.5', description: 'Screened amount, exact decimal' }) amount!: string | null;
  @ApiProperty({ type: String, nullable: true }) currency!: string | null;
  @ApiProperty({ format: 'date-time', description: 'When the transaction arrived, or when the movement was reported (microseconds)' }) at!: string;
  @ApiProperty({ type: String, nullable: true, example: 'paystack' }) provider!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'transfer:tx-1' }) paymentKey!: string | null;
  @ApiProperty({ type: String, nullable: true, enum: ['PENDING', 'IN_PROGRESS', 'SETTLED', 'FAILED', 'REVERSED', 'RECEIVED'] }) paymentProgress!: string | null;
  @ApiProperty({ type: String, nullable: true }) providerStatus!: string | null;
  @ApiProperty({ type: String, nullable: true, description: "The provider's amount, exact decimal" }) providerAmount!: string | null;
  @ApiProperty({ type: String, nullable: true }) providerCurrency!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Sum of the refunds reported in the transaction currency; null when none carries an amount in it' }) refundedAmount!: string | null;
  @ApiProperty({ type: [String], description: "Where a provider's API contradicted its webhook" }) disagreements!: string[];
  @ApiProperty({ enum: RECONCILIATION_CLASSES, isArray: true }) classes!: ReconciliationClass[];
}

export class CurrencyTotalsDto implements CurrencyTotals {
  @ApiProperty({ example: 'NGN' }) currency!: string;
  @ApiProperty({ description: 'Transactions received in the range' }) transactions!: number;
  @ApiProperty({ example: '1000.5', description: 'Exact decimal (as every amount here)' }) approved!: string;
  @ApiProperty() rejected!: string;
  @ApiProperty({ description: 'Held or still screening' }) pending!: string;
  @ApiProperty({ description: 'Outbound payments providers report settled (reversed ones included)' }) settled!: string;
  @ApiProperty({ description: 'Money providers report received' }) received!: string;
  @ApiProperty() failed!: string;
  @ApiProperty() refunded!: string;
  @ApiProperty({ description: 'Settled or received with no screening' }) movedUnscreened!: string;
}

export class ReconciliationPageDto {
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time' }) to!: string;
  @ApiProperty({ description: 'RECONCILIATION_SETTLE_HOURS' }) settleHours!: number;
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: { type: 'integer' }, description: 'Rows per class over the whole range; first page only' })
  counts!: Record<ReconciliationClass, number> | null;
  @ApiProperty({ type: [CurrencyTotalsDto], nullable: true, description: 'Per currency over the whole range; first page only' }) totals!: CurrencyTotalsDto[] | null;
  @ApiProperty({ type: [ReconciliationRowDto], description: 'Rows with at least one class, oldest first' }) items!: ReconciliationRowDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last one' }) nextCursor!: string | null;
}

export class DailyReportDto {
  @ApiProperty({ example: '2026-11-30' }) day!: string;
  @ApiProperty({ format: 'date-time' }) generatedAt!: string;
  @ApiProperty() settleHours!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' } }) counts!: Record<ReconciliationClass, number>;
  @ApiProperty({ type: [CurrencyTotalsDto] }) totals!: CurrencyTotalsDto[];
  @ApiProperty({ description: 'More rows than the stored report keeps (10,000); counts and totals still cover all' }) truncated!: boolean;
}

export class DailyReportsDto {
  @ApiProperty({ type: [DailyReportDto] }) items!: DailyReportDto[];
}

const CSV_COLUMNS: readonly (keyof ReconciliationRow)[] = [
  'transactionId',
  'direction',
  'decision',
  'amount',
  'currency',
  'at',
  'provider',
  'paymentKey',
  'paymentProgress',
  'providerStatus',
  'providerAmount',
  'providerCurrency',
  'refundedAmount',
  'classes',
  'disagreements',
];

/** RFC 4180 text: every field quoted, quotes doubled, CRLF between records. */
export function reconciliationCsv(rows: readonly ReconciliationRow[]): string {
  const lines = [CSV_COLUMNS.map(quoted).join(',')];
  for (const row of rows) lines.push(CSV_COLUMNS.map((column) => quoted(cell(row[column]))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

function cell(value: ReconciliationRow[keyof ReconciliationRow]): string {
  if (value === null) return '';
  if (Array.isArray(value)) return value.join(' | ');
  return String(value);
}

/** A text that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) is led by an apostrophe. */
function quoted(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}
