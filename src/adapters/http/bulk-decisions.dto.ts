// The bulk decision request and its answer: validated item by item at the edge, described for OpenAPI.
import { PipeTransform } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { registerDecorator } from 'class-validator';
import { BULK_OUTCOMES, BulkItem, BulkOutcome, BulkResult } from '../../application/decide-in-bulk.use-case';
import { idRule, isUsableId } from '../../domain/transaction-id';
import { DecisionRequest } from './analyst.dto';
import { FieldError, ValidationProblem } from './problem-details';
import { StrictValidationPipe } from './validation.pipe';

export const MAX_BULK_ITEMS = 100;
/**
 * A hundred items, each with an id of 128 characters and a reason of 1,000, in any script, every
 * character escaped as JSON writers do by default (\uXXXX, an emoji as two): about 1.3 MB.
 */
export const BULK_DECISIONS_BODY_LIMIT = 1536 * 1024;

function IsTransactionId() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isTransactionId',
      target: target.constructor,
      propertyName,
      options: { message: idRule('transactionId') },
      validator: { validate: (value: unknown) => isUsableId(value) },
    });
}

export class BulkDecisionItem extends DecisionRequest {
  @ApiProperty({ example: '6f1c2a9e-2d1b-4c8e-9d3a-1b2c3d4e5f60' })
  @IsTransactionId()
  transactionId!: string;
}

export class BulkDecisionRequest {
  @ApiProperty({ type: [BulkDecisionItem], minItems: 1, maxItems: MAX_BULK_ITEMS })
  items!: BulkDecisionItem[];
}

export class BulkResultDto implements BulkResult {
  @ApiProperty() transactionId!: string;
  @ApiProperty({
    enum: BULK_OUTCOMES,
    description:
      'DECIDED: final, Toqio will be told (an inbound alert excepted). AWAITING_SECOND_APPROVAL: a first four-eyes approval. CONFLICT: no longer pending, ' +
      'approved by the caller already, claimed by someone else, or a repeat of an earlier item. NOT_FOUND. FORBIDDEN: the caller\'s role may not give this approval',
  })
  outcome!: BulkOutcome;
  @ApiProperty({ example: 'Rejected; Toqio will be told' }) detail!: string;
}

export class BulkDecisionAnswerDto {
  @ApiProperty({ type: [BulkResultDto], description: "One per item, in the items' order" }) results!: BulkResultDto[];
}

const itemPipe = new StrictValidationPipe(BulkDecisionItem);

/** `{ items: [...] }` with 1 to MAX_BULK_ITEMS items, each checked as a single decision's body plus its transactionId; every mistake named as items[i].field. */
export class BulkDecisionPipe implements PipeTransform<unknown, BulkItem[]> {
  transform(value: unknown): BulkItem[] {
    const body = new StrictValidationPipe(BulkDecisionRequestShape).transform(value);
    if (!Array.isArray(body.items) || body.items.length === 0 || body.items.length > MAX_BULK_ITEMS) {
      throw new ValidationProblem([{ field: 'items', message: `items must be an array of 1 to ${MAX_BULK_ITEMS} decisions` }]);
    }
    const errors: FieldError[] = [];
    const items = body.items.map((item, index) => {
      try {
        const valid = itemPipe.transform(item);
        return { transactionId: valid.transactionId, status: valid.status, reason: valid.reason.trim() };
      } catch (error) {
        if (!(error instanceof ValidationProblem)) throw error;
        errors.push(...(error.errors ?? []).map((problem) => ({ field: problem.field === 'body' ? `items[${index}]` : `items[${index}].${problem.field}`, message: problem.message })));
        return undefined;
      }
    });
    if (errors.length > 0) throw new ValidationProblem(errors);
    return items as BulkItem[];
  }
}

/** Only the body's outer shape: one key, `items`, checked further above. */
class BulkDecisionRequestShape {
  @registerItems()
  items!: unknown[];
}

function registerItems() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isPresent',
      target: target.constructor,
      propertyName,
      options: { message: `items must be an array of 1 to ${MAX_BULK_ITEMS} decisions` },
      validator: { validate: (value: unknown) => Array.isArray(value) },
    });
}
