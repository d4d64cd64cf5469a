// Path parameters are client input too: bounded, and free of what PostgreSQL text cannot hold.
import { PipeTransform } from '@nestjs/common';
import { ValidationProblem } from './problem-details';

// NUL, other C0 controls, and lone UTF-16 surrogates (from %ED%A0%80-style escapes).
const UNSAFE = /[\u0000-\u001f\u007f]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export class PathIdPipe implements PipeTransform<string, string> {
  constructor(
    private readonly field: string,
    private readonly maxLength = 128,
  ) {}

  transform(value: string): string {
    if (typeof value !== 'string' || value.length === 0 || value.length > this.maxLength || UNSAFE.test(value)) {
      throw new ValidationProblem([{ field: this.field, message: `${this.field} must be 1 to ${this.maxLength} printable characters` }]);
    }
    return value;
  }
}
