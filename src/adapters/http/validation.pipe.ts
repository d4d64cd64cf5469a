// Validates a flat JSON object (body or query) against a class-validator class, refusing unknown keys.
import { PipeTransform, Type } from '@nestjs/common';
import { validateSync } from 'class-validator';
import { FieldError, ValidationProblem } from './problem-details';

export class StrictValidationPipe<T extends object> implements PipeTransform<unknown, T> {
  constructor(
    private readonly type: Type<T>,
    private readonly coerce: Partial<Record<keyof T, (raw: string) => unknown>> = {},
  ) {}

  transform(value: unknown): T {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new ValidationProblem([{ field: 'body', message: 'a JSON object is expected' }]);
    }
    // class-validator finds the rules through `instance.constructor` (an own member of that name
    // hides the class: every rule skipped, or a throw when null), a query's `__proto__` would
    // replace the instance's prototype, and its whitelist takes any name Object.prototype answers
    // for with a function of arity above 0 (`hasOwnProperty`) as declared. No DTO declares one.
    for (const key of Object.keys(value)) {
      if (key in Object.prototype) throw new ValidationProblem([{ field: key, message: `property ${key} should not exist` }]);
    }
    const input: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    for (const [key, convert] of Object.entries(this.coerce) as [string, (raw: string) => unknown][]) {
      if (typeof input[key] === 'string') input[key] = convert(input[key] as string);
    }
    const instance = Object.assign(Object.create(this.type.prototype) as T, input);
    const errors = validateSync(instance, {
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: false,
      stopAtFirstError: true,
      validationError: { target: false, value: false },
    });
    if (errors.length > 0) {
      const fields: FieldError[] = errors.flatMap((error) => Object.values(error.constraints ?? {}).map((message) => ({ field: error.property, message })));
      throw new ValidationProblem(fields);
    }
    return instance;
  }
}

/** Query strings carry text; "50" becomes 50, anything else stays text for the validator to refuse. */
export const integerFromQuery = (raw: string): unknown => (/^\d{1,6}$/.test(raw) ? Number(raw) : raw);

/** As integerFromQuery, for a position in a sequence that only grows (a checkpoint's number): up to 15 digits, every one exact. */
export const positionFromQuery = (raw: string): unknown => (/^\d{1,15}$/.test(raw) ? Number(raw) : raw);
