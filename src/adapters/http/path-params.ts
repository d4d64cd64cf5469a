// Path parameters are client input too: held to the same id rule as the ids the service stores.
import { PipeTransform } from '@nestjs/common';
import { idRule, isUsableId } from '../../domain/transaction-id';
import { ValidationProblem } from './problem-details';

export class PathIdPipe implements PipeTransform<string, string> {
  constructor(
    private readonly field: string,
    private readonly maxLength?: number,
  ) {}

  transform(value: string): string {
    if (!isUsableId(value, this.maxLength)) throw new ValidationProblem([{ field: this.field, message: idRule(this.field, this.maxLength) }]);
    return value;
  }
}
