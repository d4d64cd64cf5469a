// Requests and responses of the managed lists API (GET /lists, GET /lists/{name}, POST and DELETE of entries).
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { ListChangeResult, ListChangeView, ListDetailView, ListEntryView, ListRemovalResult, ListView } from '../../application/manage-lists.use-case';
import { LIST_TYPES, ListType, MAX_LIST_VALUE_LENGTH, MAX_VALUES_PER_CHANGE } from '../../domain/managed-list';
import { JsonView } from './json-view';

const reasonRules = (): PropertyDecorator => (target, key) =>
  [
    IsString({ message: 'reason is required and must be a string' }),
    MinLength(1, { message: 'reason must not be empty' }),
    MaxLength(1000, { message: 'reason must be at most 1000 characters' }),
    Matches(/\S/, { message: 'reason must not be blank' }),
  ].forEach((decorate) => decorate(target, key));

export class AddListEntriesRequest {
  @ApiProperty({
    type: [String],
    minItems: 1,
    maxItems: MAX_VALUES_PER_CHANGE,
    example: ['GB82 WEST 1234 5698 7654 32', '40-47-84 70872490'],
    description: `Values of one of the list's types, each at most ${MAX_LIST_VALUE_LENGTH} characters; spelling (IBAN spacing and case, sort code dashes, accents in names) does not matter`,
  })
  @IsArray({ message: 'values is required and must be a list' })
  @ArrayMinSize(1, { message: 'values must hold at least one value' })
  @ArrayMaxSize(MAX_VALUES_PER_CHANGE, { message: `values must hold at most ${MAX_VALUES_PER_CHANGE} values; split larger changes` })
  values!: unknown[];

  @ApiProperty({ maxLength: 1000, example: 'Confirmed mule account (case 2291)' })
  @reasonRules()
  reason!: string;
}

export class RemoveListEntryRequest {
  @ApiProperty({ maxLength: 1000, example: 'Cleared by compliance review 2026-11' })
  @reasonRules()
  reason!: string;
}

export class ListDetailQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1, { message: 'limit must be at least 1' })
  @Max(1000, { message: 'limit must be at most 1000' })
  limit?: number;

  @ApiPropertyOptional({ description: 'The `nextAfter` of the previous page: entries after this value' })
  @IsOptional()
  @IsString({ message: 'after must be a string' })
  @MaxLength(MAX_LIST_VALUE_LENGTH, { message: `after must be at most ${MAX_LIST_VALUE_LENGTH} characters` })
  @Matches(/^[^\u0000-\u001f]*$/, { message: 'after must not contain control characters' })
  after?: string;
}

export class ListValueDto {
  @ApiProperty({ enum: LIST_TYPES }) type!: ListType;
  @ApiProperty({ description: 'Canonical: as the engine matches it' }) value!: string;
}

export class ListDto implements JsonView<ListView> {
  @ApiProperty({ example: 'blocked-beneficiaries' }) name!: string;
  @ApiProperty({ enum: LIST_TYPES, isArray: true, description: 'What its values may be: a value is listed as each of these that accepts it' }) types!: ListType[];
  @ApiProperty() description!: string;
  @ApiProperty() entryCount!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) changedAt!: string | null;
}

export class ListEntryDto extends ListValueDto implements JsonView<ListEntryView> {
  @ApiProperty() reason!: string;
  @ApiProperty() addedBy!: string;
  @ApiProperty({ format: 'date-time' }) addedAt!: string;
}

export class ListChangeDto extends ListValueDto implements JsonView<ListChangeView> {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['ADDED', 'REMOVED'] }) action!: 'ADDED' | 'REMOVED';
  @ApiProperty() reason!: string;
  @ApiProperty() changedBy!: string;
  @ApiProperty({ format: 'date-time' }) changedAt!: string;
}

export class ListDetailDto extends ListDto implements JsonView<ListDetailView> {
  @ApiProperty({ type: [ListEntryDto], description: 'In value order, a page of `limit`' }) entries!: ListEntryDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `after` for the next page; null on the last' }) nextAfter!: string | null;
  @ApiProperty({ type: [ListChangeDto], description: 'The latest 50 changes, newest first' }) changes!: ListChangeDto[];
}

export class ListChangeResultDto implements JsonView<ListChangeResult> {
  @ApiProperty() list!: string;
  @ApiProperty({ type: [ListValueDto] }) added!: ListValueDto[];
  @ApiProperty({ type: [ListValueDto], description: 'Already on the list: left as they were' }) alreadyListed!: ListValueDto[];
}

export class ListRemovalResultDto implements JsonView<ListRemovalResult> {
  @ApiProperty() list!: string;
  @ApiProperty({ type: ListValueDto, description: 'The entry removed; a value listed as several of the list\'s types went as each, the change log naming every one' })
  removed!: ListValueDto;
}
