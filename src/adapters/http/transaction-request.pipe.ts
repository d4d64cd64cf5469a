// Validates the validate-call body and keeps the untouched parsed body beside the typed view.
import { Injectable, PipeTransform } from '@nestjs/common';
import { validateSync, ValidationError } from 'class-validator';
import { CleanValidation } from './clean-validation';
import { FieldError, ValidationProblem } from './problem-details';
import { BeneficiaryRequest, ValidateTransactionRequest } from './validate-transaction.request';

export interface ValidatedTransactionRequest {
  readonly fields: ValidateTransactionRequest;
  /** The parsed body exactly as sent, unknown fields included. */
  readonly body: Record<string, unknown>;
}

/** Most bodies are valid: class-validator is asked only for the errors of one that is not. */
const cleanValidation = new CleanValidation();

@Injectable()
export class TransactionRequestPipe implements PipeTransform<unknown, ValidatedTransactionRequest> {
  transform(body: unknown): ValidatedTransactionRequest {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new ValidationProblem([{ field: 'body', message: 'the request body must be a JSON object' }]);
    }
    const shadowing = constructorField(body as Record<string, unknown>);
    if (shadowing) throw new ValidationProblem([{ field: shadowing, message: `${shadowing} is a reserved name, not a field a transaction may carry` }]);
    const fields = toRequestInstance(body as Record<string, unknown>);
    if (!cleanValidation.isClean(fields)) {
      const errors = validateSync(fields, { validationError: { target: false, value: false }, forbidUnknownValues: false, stopAtFirstError: true });
      if (errors.length > 0) throw new ValidationProblem(flatten(errors));
    }
    return { fields, body: body as Record<string, unknown> };
  }
}

/**
 * class-validator finds an object's rules through `object.constructor`: an own `constructor`
 * member (JSON allows one; secure-json-parse refuses only `constructor.prototype`) would hide the
 * class, so that nothing at all were checked, or make the lookup throw. Where the DTO has classes,
 * such a member is refused.
 */
function constructorField(body: Record<string, unknown>): string | undefined {
  if (Object.hasOwn(body, 'constructor')) return 'constructor';
  const beneficiary = body['beneficiary'];
  if (beneficiary !== null && typeof beneficiary === 'object' && Object.hasOwn(beneficiary, 'constructor')) return 'beneficiary.constructor';
  return undefined;
}

/**
 * class-validator needs instances of the decorated classes. Only the two levels the DTO declares
 * are given those prototypes; unknown fields stay as sent, untouched (class-transformer would
 * walk and copy every nested value of the body on the hot path).
 */
function toRequestInstance(body: Record<string, unknown>): ValidateTransactionRequest {
  const fields: ValidateTransactionRequest = Object.assign(Object.create(ValidateTransactionRequest.prototype), body);
  const beneficiary = body['beneficiary'];
  if (beneficiary !== null && typeof beneficiary === 'object' && !Array.isArray(beneficiary)) {
    fields.beneficiary = Object.assign(Object.create(BeneficiaryRequest.prototype), beneficiary);
  }
  return fields;
}

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
