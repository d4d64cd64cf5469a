// `aggregate`: fires when the count, sum or distinct count of recent transactions sharing a field crosses a threshold.
import { AGGREGATE_FIELDS, AGGREGATE_FUNCTIONS, AggregateField, AggregateFunction, AggregateQuery, aggregateKey, MAX_AGGREGATE_WINDOW_SECONDS } from '../../../../domain/aggregate';
import { Decimal } from '../../../../domain/decimal';
import { Direction } from '../../../../domain/transaction';
import { RuleCheck, RuleFields, RuleType } from './rule-type';
import { shownValue } from '../../../../domain/shown-value';

/** Fires above the threshold (`above`), or at or above it (`atLeast`). */
export interface AggregateThreshold {
  readonly value: Decimal;
  readonly inclusive: boolean;
}

export const aggregateRule: RuleType = {
  name: 'aggregate',
  parse(entry: RuleFields, where: string, problems: string[]): RuleCheck | undefined {
    const query = parseQuery(entry, where, problems);
    const threshold = parseAggregateThreshold(entry, where, problems);
    return query && threshold ? aggregateCheck(query, threshold) : undefined;
  },
};

/** The check of an aggregate rule; velocity builds one too. Placeholders: {value} {threshold} {function} {groupBy} {windowSeconds} {currency}. */
export function aggregateCheck(query: AggregateQuery, threshold: AggregateThreshold): RuleCheck {
  const key = aggregateKey(query);
  return {
    aggregates: [query],
    // Computed from PostgreSQL with the claim, so the rule holds across replicas.
    fires: ({ context }) => {
      const value = context.aggregates.get(key);
      if (value === undefined) return undefined;
      const order = value.compareTo(threshold.value);
      if (order < 0 || (order === 0 && !threshold.inclusive)) return undefined;
      return {
        value: value.toString(),
        threshold: threshold.value.toString(),
        function: query.fn,
        groupBy: query.groupBy,
        windowSeconds: query.windowSeconds,
        currency: query.currency ?? '',
      };
    },
  };
}

function parseQuery(entry: RuleFields, where: string, problems: string[]): AggregateQuery | undefined {
  const before = problems.length;
  const fn = entry.function as AggregateFunction;
  if (!AGGREGATE_FUNCTIONS.includes(fn)) problems.push(`${where}.function: must be one of ${AGGREGATE_FUNCTIONS.join(', ')}`);
  const groupBy = entry.groupBy as AggregateField;
  if (!isField(groupBy)) problems.push(`${where}.groupBy: must be one of ${AGGREGATE_FIELDS.join(', ')}`);
  const of = entry.of as AggregateField | undefined;
  if (fn === 'distinct' && !isField(of)) problems.push(`${where}.of: the field counted distinct, one of ${AGGREGATE_FIELDS.join(', ')}`);
  if (fn !== 'distinct' && of !== undefined) problems.push(`${where}.of: only with function: distinct`);
  const windowSeconds = entry.windowSeconds as number;
  if (!Number.isInteger(windowSeconds) || windowSeconds < 1 || windowSeconds > MAX_AGGREGATE_WINDOW_SECONDS) {
    problems.push(`${where}.windowSeconds: must be a whole number of seconds between 1 and ${MAX_AGGREGATE_WINDOW_SECONDS}`);
  }
  const currency = entry.currency as string | undefined;
  if (currency !== undefined && !(typeof currency === 'string' && /^[A-Z]{3,12}$/.test(currency))) problems.push(`${where}.currency: not a currency code`);
  if (fn === 'sum' && currency === undefined) problems.push(`${where}.currency: required with function: sum (amounts in two currencies do not add up)`);
  const direction = entry.direction as Direction | undefined;
  if (direction !== undefined && direction !== 'OUTBOUND' && direction !== 'INBOUND') problems.push(`${where}.direction: must be OUTBOUND or INBOUND`);
  if (problems.length > before) return undefined;
  return { fn, groupBy, windowSeconds, ...(fn === 'distinct' ? { of } : {}), ...(currency ? { currency } : {}), ...(direction ? { direction } : {}) };
}

function parseAggregateThreshold(entry: RuleFields, where: string, problems: string[]): AggregateThreshold | undefined {
  const given = (['above', 'atLeast'] as const).filter((name) => entry[name] !== undefined);
  if (given.length !== 1) {
    problems.push(`${where}: needs exactly one of "above" (fires when the value is greater) or "atLeast" (greater or equal)`);
    return undefined;
  }
  const name = given[0]!;
  const raw = entry[name];
  try {
    if (typeof raw !== 'string' && typeof raw !== 'number') throw new Error('not a decimal');
    const value = Decimal.parse(String(raw));
    if (value.compareTo(Decimal.parse('0')) < 0) throw new Error('negative');
    return { value, inclusive: name === 'atLeast' };
  } catch {
    problems.push(`${where}.${name}: "${shownValue(raw)}" is not a decimal ≥ 0, e.g. "50000"`);
    return undefined;
  }
}

function isField(value: unknown): value is AggregateField {
  return AGGREGATE_FIELDS.includes(value as AggregateField);
}
