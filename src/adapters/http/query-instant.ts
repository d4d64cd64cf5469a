// A query's [from, to) as instants that JavaScript and PostgreSQL both read the same way.
import { isStorableInstant } from '../../domain/storable-instant';
import { FieldError } from './problem-details';

/**
 * The instants of a query's `from` and `to` (each optional), adding to `errors`, by field, each
 * that cannot be used and a `to` not later than `from`. Strict ISO 8601, which the DTOs check,
 * also allows forms `new Date` cannot read (the week date 2026-W48, the ordinal date 2026-334,
 * the basic 20261130, a decimal comma in 10:00:00,5), and years that PostgreSQL would not read as
 * JavaScript does: neither may reach a query.
 */
export function instantRangeOf(query: { readonly from?: string; readonly to?: string }, errors: FieldError[]): { from?: Date; to?: Date } {
  const from = instant(query.from, 'from', errors);
  const to = instant(query.to, 'to', errors);
  if (from && to && to.getTime() <= from.getTime()) errors.push({ field: 'to', message: 'to must be later than from' });
  return { from, to };
}

/** Years 1 to 9999, which JavaScript and PostgreSQL both read the same way. */
function instant(text: string | undefined, field: string, errors: FieldError[]): Date | undefined {
  if (text === undefined) return undefined;
  const date = new Date(text);
  if (!isStorableInstant(date)) {
    errors.push({ field, message: `${field} must be a date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM:SSZ) in the years 1 to 9999` });
    return undefined;
  }
  return date;
}
