// The queue's search filters as query parameters: validated at the edge, then handed on as CaseFilters.
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, Matches, registerDecorator } from 'class-validator';
import { CaseFilters } from '../../application/review-views';
import { Decimal } from '../../domain/decimal';
import { idRule, isUsableId } from '../../domain/transaction-id';
import { FieldError, ValidationProblem } from './problem-details';
import { instantRangeOf } from './query-instant';

const MAX_Q = 200;
const ISO = { strict: true, strictSeparator: true } as const;
/** Plain decimal text in major units, as amounts are stored: no sign, no exponent, at most 18 decimals. */
const AMOUNT = /^\d{1,24}(\.\d{1,18})?$/;

/** The service's id rule, for the account and customer ids that transactions carry. */
function IsUsableId() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isUsableId',
      target: target.constructor,
      propertyName,
      options: { message: idRule(propertyName) },
      validator: { validate: (value: unknown) => isUsableId(value) },
    });
}

function IsSearchText() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isSearchText',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} must be 3 to ${MAX_Q} characters (spaces around it aside), with no control characters` },
      validator: { validate: (value: unknown) => typeof value === 'string' && value.trim().length >= 3 && isUsableId(value.trim(), MAX_Q) },
    });
}

export class CaseSearchQuery {
  @ApiPropertyOptional({
    minLength: 3,
    maxLength: MAX_Q,
    example: 'jon smith',
    description: 'A piece of the transaction id, reference, beneficiary name or IBAN (case and, for an IBAN, spaces ignored), or a name similar to the beneficiary\'s',
  })
  @IsOptional()
  @IsSearchText()
  q?: string;

  @ApiPropertyOptional({ description: 'Exactly this source account' })
  @IsOptional()
  @IsUsableId()
  sourceAccountId?: string;

  @ApiPropertyOptional({ description: 'Exactly this customer' })
  @IsOptional()
  @IsUsableId()
  customerId?: string;

  @ApiPropertyOptional({ example: 'GB33 BUKB 2020 1555 5555 55', description: "The beneficiary's IBAN; spaces and case ignored" })
  @IsOptional()
  @Matches(/^(?=.*[A-Za-z0-9])[A-Za-z0-9 ]{1,64}$/, { message: 'beneficiaryIban must be 1 to 64 letters and digits (spaces allowed)' })
  beneficiaryIban?: string;

  @ApiPropertyOptional({ example: '10000.00', description: 'At least this amount (inclusive), exact decimal in major units' })
  @IsOptional()
  @Matches(AMOUNT, { message: 'minAmount must be a decimal such as 10000 or 10000.50' })
  minAmount?: string;

  @ApiPropertyOptional({ example: '50000', description: 'At most this amount (inclusive), exact decimal in major units' })
  @IsOptional()
  @Matches(AMOUNT, { message: 'maxAmount must be a decimal such as 50000 or 49999.99' })
  maxAmount?: string;

  @ApiPropertyOptional({ example: 'EUR', description: 'ISO 4217 code or Toqio asset code, any case' })
  @IsOptional()
  @Matches(/^[A-Za-z]{3,12}$/, { message: 'currency must be 3 to 12 letters, e.g. EUR' })
  currency?: string;

  @ApiPropertyOptional({ example: '2026-11-01', description: 'Held at or after this ISO 8601 date (UTC midnight) or date-time' })
  @IsOptional()
  @IsISO8601(ISO, { message: 'from must be an ISO 8601 date or date-time' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-01', description: 'Held before this ISO 8601 date or date-time (exclusive)' })
  @IsOptional()
  @IsISO8601(ISO, { message: 'to must be an ISO 8601 date or date-time' })
  to?: string;
}

/** The filters of a validated query; throws ValidationProblem where two of them contradict each other or a date is out of range. */
export function caseFiltersOf(query: CaseSearchQuery): CaseFilters {
  const errors: FieldError[] = [];
  const { from, to } = instantRangeOf(query, errors);
  if (query.minAmount !== undefined && query.maxAmount !== undefined && Decimal.parse(query.minAmount).compareTo(Decimal.parse(query.maxAmount)) > 0) {
    errors.push({ field: 'maxAmount', message: 'maxAmount must not be below minAmount' });
  }
  if (errors.length > 0) throw new ValidationProblem(errors);
  return {
    q: query.q?.trim(),
    sourceAccountId: query.sourceAccountId,
    customerId: query.customerId,
    beneficiaryIban: query.beneficiaryIban,
    minAmount: query.minAmount,
    maxAmount: query.maxAmount,
    currency: query.currency?.toUpperCase(),
    from,
    to,
  };
}
