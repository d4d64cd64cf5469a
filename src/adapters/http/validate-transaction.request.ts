// The body Toqio sends to POST /transaction/validate, as validated at the edge.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsISO31661Alpha2,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  registerDecorator,
  ValidateIf,
  ValidateNested,
  ValidationOptions,
} from 'class-validator';
import { idRule, isUsableId } from '../../domain/transaction-id';

const POSITIVE_DECIMAL_STRING = /^\d{1,24}(\.\d{1,18})?$/;

/** A JSON number or a plain decimal string, greater than zero. */
function IsPositiveAmount(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isPositiveAmount',
      target: target.constructor,
      propertyName,
      options: {
        message: `${propertyName} must be a positive decimal in major units, as a JSON number or a string such as "125.50"`,
        ...options,
      },
      validator: {
        validate(value: unknown) {
          if (typeof value === 'number') return Number.isFinite(value) && value > 0;
          return typeof value === 'string' && POSITIVE_DECIMAL_STRING.test(value) && /[1-9]/.test(value);
        },
      },
    });
}

/** The service's one id rule (domain/transaction-id), so that every id validate stores can be decided via the API. */
function IsTransactionId(field: string) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isTransactionId',
      target: target.constructor,
      propertyName,
      options: { message: idRule(field) },
      validator: { validate: (value: unknown) => isUsableId(value) },
    });
}

const text = (max: number, example?: string) => [
  ApiPropertyOptional({ type: String, maxLength: max, example }),
  IsOptional(),
  IsString({ message: '$property must be a string' }),
  MaxLength(max, { message: `$property must be at most ${max} characters` }),
];
const apply = (decorators: PropertyDecorator[]): PropertyDecorator => (target, key) => decorators.forEach((d) => d(target, key));

export class BeneficiaryRequest {
  @apply(text(256, 'Ada Lovelace')) name?: string;
  @apply(text(128)) accountId?: string;
  @apply(text(64, 'GB33BUKB20201555555555')) iban?: string;
  @apply(text(64)) accountNumber?: string;
  @apply(text(32)) sortCode?: string;
  @apply(text(32, 'BUKBGB22')) bic?: string;

  @ApiPropertyOptional({ description: 'ISO 3166-1 alpha-2', example: 'GB' })
  @IsOptional()
  @IsISO31661Alpha2({ message: '$property must be an ISO 3166-1 alpha-2 country code, e.g. GB' })
  country?: string;
}

export class ValidateTransactionRequest {
  // Not in the schema's required list: a body with `id` alone is valid, and a client checking its body against the schema must not refuse it.
  @ApiPropertyOptional({
    description: 'Toqio transaction id, required unless `id` is given in its place. Repeats are idempotent. No control characters.',
    minLength: 1,
    maxLength: 128,
    example: '6f1c2a9e-2d1b-4c8e-9d3a-1b2c3d4e5f60',
  })
  // A null `id` is no id: transactionId is then required, so `{"id": null}` never reaches the store.
  @ValidateIf((request: ValidateTransactionRequest) => request.id == null || request.transactionId !== undefined)
  @IsString({ message: 'transactionId (or id) is required and must be a string' })
  @IsTransactionId('transactionId')
  transactionId?: string;

  @ApiPropertyOptional({ description: 'Alias of transactionId: one of the two is required', minLength: 1, maxLength: 128 })
  @IsOptional()
  @IsString({ message: 'id must be a string' })
  @IsTransactionId('id')
  id?: string;

  @ApiProperty({
    description: 'Positive amount in major units, as a JSON number or a decimal string; the exact digits sent are kept',
    oneOf: [{ type: 'number', minimum: 0, exclusiveMinimum: true }, { type: 'string', pattern: '^\\d{1,24}(\\.\\d{1,18})?$' }],
    example: 125.5,
  })
  @IsPositiveAmount()
  amount!: number | string;

  @ApiProperty({ description: 'ISO 4217 code or Toqio asset code', pattern: '^[A-Z]{3,12}$', example: 'GBP' })
  @IsString({ message: 'currency is required and must be a string' })
  @Matches(/^[A-Z]{3,12}$/, { message: 'currency must be 3 to 12 upper-case letters (an ISO 4217 or Toqio asset code)' })
  currency!: string;

  @apply(text(128)) customerId?: string;
  @apply(text(128)) companyId?: string;
  @apply(text(128)) userId?: string;
  @apply(text(128, 'acc-1')) sourceAccountId?: string;
  @apply(text(64, 'FPS')) paymentScheme?: string;
  @apply(text(64)) bankPaymentScheme?: string;
  @apply(text(1024, 'Invoice 42')) reference?: string;
  @apply(text(1024)) concept?: string;
  @apply(text(64)) purposeCode?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601({}, { message: 'createdAt must be an ISO 8601 date-time' })
  createdAt?: string;

  @ApiPropertyOptional({ type: () => BeneficiaryRequest })
  @IsOptional()
  @IsObject({ message: 'beneficiary must be an object' })
  @ValidateNested()
  beneficiary?: BeneficiaryRequest;
}
