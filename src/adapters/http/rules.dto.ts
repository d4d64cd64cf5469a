// Responses of the versioned rule sets API (GET /rules, /rules/versions, POST /rules/versions, activation).
import { ApiProperty } from '@nestjs/swagger';
import { RuleSetVersionView, RuleSetView } from '../../application/manage-rule-sets.use-case';
import { LIST_TYPES, ListType } from '../../domain/managed-list';
import { TransactionStatus } from '../../domain/transaction-status';
import { JsonView } from './json-view';
import { ValidationProblem } from './problem-details';

export class RuleSetVersionDto implements JsonView<RuleSetVersionView> {
  @ApiProperty({ example: 2 }) version!: number;
  @ApiProperty({ enum: ['yaml', 'json'] }) format!: 'yaml' | 'json';
  @ApiProperty({ description: 'The version every replica screens with' }) active!: boolean;
  @ApiProperty({ description: '"RULES_FILE" for version 1, stored from the file on an empty database' }) createdBy!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, nullable: true, description: 'Who activated it last' }) activatedBy!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) activatedAt!: string | null;
}

export class RuleSummaryDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'list' }) type!: string;
  @ApiProperty({ enum: ['APPROVED', 'REJECTED', 'PENDING_EXTERNAL_APPROVAL'] }) status!: TransactionStatus;
  @ApiProperty() reason!: string;
}

export class ListDeclarationDto {
  @ApiProperty() name!: string;
  @ApiProperty({ enum: LIST_TYPES, isArray: true }) types!: ListType[];
  @ApiProperty() description!: string;
}

export class RuleSetDto extends RuleSetVersionDto implements JsonView<RuleSetView> {
  @ApiProperty({ description: 'The rule set as it was stored (YAML or JSON text)' }) source!: string;
  @ApiProperty({ type: [RuleSummaryDto] }) rules!: RuleSummaryDto[];
  @ApiProperty({ type: [ListDeclarationDto] }) lists!: ListDeclarationDto[];
}

/** A version number in a path: a positive whole number. */
export const versionParam = {
  transform(value: string): number {
    if (!/^[1-9]\d{0,8}$/.test(value)) throw new ValidationProblem([{ field: 'version', message: 'version must be a positive whole number' }]);
    return Number(value);
  },
};
