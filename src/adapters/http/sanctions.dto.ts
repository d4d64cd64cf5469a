// Request and response of the sanctions allow list (analysts clearing false positives per customer).
import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { AllowanceView } from '../../application/allow-sanctions-match.use-case';
import { JsonView } from './json-view';

const nonBlank = (field: string, max: number) => [
  IsString({ message: `${field} is required and must be a string` }),
  MinLength(1, { message: `${field} must not be empty` }),
  MaxLength(max, { message: `${field} must be at most ${max} characters` }),
  Matches(/\S/, { message: `${field} must not be blank` }),
];

const apply = (decorators: PropertyDecorator[]): PropertyDecorator => (target, key) => decorators.forEach((d) => d(target, key));

export class AllowSanctionsMatchRequest {
  @ApiProperty({ maxLength: 128, example: 'cus-8812', description: 'The customer whose payments to this name stop hitting this entry' })
  @apply(nonBlank('customerId', 128))
  customerId!: string;

  @ApiProperty({ maxLength: 200, example: 'OFAC-SDN:2674', description: 'The entry as the hit\'s reason names it: LIST:ID with LIST one of OFAC-SDN, UN, EU, UK' })
  @apply(nonBlank('entryId', 200))
  @Matches(/^(OFAC-SDN|UN|EU|UK):\S/, { message: 'entryId must be LIST:ID with LIST one of OFAC-SDN, UN, EU, UK, e.g. OFAC-SDN:2674' })
  entryId!: string;

  @ApiProperty({ maxLength: 300, example: 'Saddam Hussain', description: 'The name that hit, as the transaction gave it; case, script, punctuation and token order do not matter' })
  @apply(nonBlank('name', 300))
  name!: string;

  @ApiProperty({ maxLength: 1000, example: 'Customer\'s long-standing supplier, born 1984 in Leeds: not the listed person' })
  @apply(nonBlank('reason', 1000))
  reason!: string;
}

export class SanctionsAllowanceDto implements JsonView<AllowanceView> {
  @ApiProperty() id!: string;
  @ApiProperty() customerId!: string;
  @ApiProperty({ example: 'OFAC-SDN:2674' }) entryId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ description: 'The analyst who allowed it (last, when renewed)' }) allowedBy!: string;
  @ApiProperty({ format: 'date-time' }) allowedAt!: string;
}
