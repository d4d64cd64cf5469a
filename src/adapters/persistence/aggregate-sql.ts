// SQL for the aggregates a provider asks for (domain/aggregate.ts), computed over the transactions table.
//
// Each aggregate is one subquery, computed from the rows themselves through an index on
// (field, received_at); the customer's includes currency, direction and amount (migration
// 1765500000000), so conditions() and a sum by customer read them without the rows.
// `npm run bench:aggregates` compares this with a running counter per time bucket
// (docs/development.md has the figures).
// The SQL text names only fixed expressions from FIELD_SQL; a query's window, currency and
// direction are checked by the rule set's parser and written in as literals, validated again here.
import { AggregateField, AggregateQuery } from '../../domain/aggregate';

/**
 * Each field as an expression over a row aliased `row`. The IBAN and counterparty expressions are
 * those of the indexes of migration 1765050000000, character for character, so that the planner uses them.
 */
const FIELD_SQL: Readonly<Record<AggregateField, (row: string) => string>> = {
  sourceAccountId: (row) => `${row}.source_account_id`,
  customerId: (row) => `${row}.customer_id`,
  beneficiaryIban: (row) => `upper(replace(${row}.beneficiary ->> 'iban', ' ', ''))`,
  counterparty: (row) => `lower(${row}.beneficiary ->> 'name')`,
  currency: (row) => `${row}.currency`,
};

/** Where the history of one transaction ends: now (a new claim) or when a stored one was received. */
export type AggregateAnchor =
  /**
   * A claim: rows stored before this statement, plus the batch's own rows up to this one. `batch`
   * is this row in the claim's `batch`, which carries the running counts and sums of
   * batchWindowsSql; a distinct count reads the batch's rows, aliased `batchRows`.
   */
  | { readonly kind: 'claim'; readonly row: string; readonly batch: string; readonly batchRows: string }
  /** A claim of one row, alone in its statement: rows stored before it, plus the row itself. */
  | { readonly kind: 'lone claim'; readonly row: string }
  /** A stored transaction, aliased `row`, whose history is read as it stood when it arrived. */
  | { readonly kind: 'stored'; readonly row: string };

/**
 * An expression giving the queries' values as text[] in order ('12', '4500.25'); an entry is
 * NULL when the transaction has no value for the query's group field.
 */
export function aggregateArraySql(queries: readonly AggregateQuery[], anchor: AggregateAnchor): string {
  if (queries.length === 0) return `ARRAY[]::text[]`;
  return `ARRAY[${queries.map((query, index) => aggregateSql(query, index, anchor)).join(',\n')}]::text[]`;
}

/**
 * The batch's own share of each count and sum, as window columns over the claim's new rows (`row`,
 * each id once): `w<index>` is the count or sum of the rows of the same group up to and including
 * this one, in the batch's order, that pass the query's filters (a sum is NULL where none does).
 * One sort per query, where a subquery per row read the whole batch again (quadratic in the
 * batch's size): a 64-row claim took 18% less time with velocity alone, 35% less with four
 * aggregates, and as long with one or two rows.
 */
export function batchWindowsSql(queries: readonly AggregateQuery[], row: string): string {
  return queries
    .map((query, index) => {
      if (query.fn === 'distinct') return '';
      const figure = query.fn === 'count' ? 'count(*)' : `sum(${row}.amount)`;
      const only = conditions(query, row);
      const filter = only.length > 0 ? ` FILTER (WHERE ${only.join(' AND ')})` : '';
      return `, ${figure}${filter} OVER (PARTITION BY ${FIELD_SQL[query.groupBy](row)} ORDER BY ${row}.position) AS w${index}`;
    })
    .join('');
}

function aggregateSql(query: AggregateQuery, index: number, anchor: AggregateAnchor): string {
  const group = FIELD_SQL[query.groupBy];
  const window = windowLiteral(query.windowSeconds);
  const since =
    anchor.kind !== 'stored'
      ? `a.received_at > now() - ${window}`
      : `a.received_at > ${anchor.row}.received_at - ${window} AND a.received_at <= ${anchor.row}.received_at`;
  const stored = `FROM transactions a WHERE ${[`${group('a')} = ${group(anchor.row)}`, since, ...conditions(query, 'a')].join(' AND ')}`;
  return `CASE WHEN ${blank(group(anchor.row))} THEN NULL ELSE (${valueSql(query, index, stored, anchor)})::text END`;
}

/**
 * The stored rows' figure, plus what a claim adds of its own rows (inserted by this statement, so
 * invisible to its snapshot): to a count or sum, ownShareSql; to a distinct count, ownValuesSql.
 */
function valueSql(query: AggregateQuery, index: number, stored: string, anchor: AggregateAnchor): string {
  const share = ownShareSql(query, index, anchor);
  const plus = share === undefined ? '' : ` + ${share}`;
  switch (query.fn) {
    case 'count':
      return `(SELECT count(*) ${stored})${plus}`;
    case 'sum':
      return `(SELECT coalesce(sum(a.amount), 0) ${stored})${plus}`;
    case 'distinct':
      return `(SELECT count(DISTINCT s.v) FILTER (WHERE NOT ${blank('s.v')}) FROM (SELECT ${FIELD_SQL[query.of!]('a')} AS v ${stored}${ownValuesSql(query, anchor)}) s)`;
  }
}

/**
 * A claim's own share of a count or sum: its batch's window column (batchWindowsSql), or for a
 * lone claim the row itself where it passes the filters. None for a stored transaction.
 */
function ownShareSql(query: AggregateQuery, index: number, anchor: AggregateAnchor): string | undefined {
  switch (anchor.kind) {
    case 'stored':
      return undefined;
    case 'claim':
      return query.fn === 'sum' ? `coalesce(${anchor.batch}.w${index}, 0)` : `${anchor.batch}.w${index}`;
    case 'lone claim': {
      const only = conditions(query, anchor.row).join(' AND ');
      const value = query.fn === 'sum' ? `${anchor.row}.amount` : '1';
      return only ? `(CASE WHEN ${only} THEN ${value} ELSE 0 END)` : value;
    }
  }
}

/** The values a claim adds to a distinct count: its batch's rows up to this one, or a lone claim's row. */
function ownValuesSql(query: AggregateQuery, anchor: AggregateAnchor): string {
  const of = FIELD_SQL[query.of!];
  switch (anchor.kind) {
    case 'stored':
      return '';
    case 'claim': {
      const [group, j, row] = [FIELD_SQL[query.groupBy], anchor.batchRows, anchor.row];
      return ` UNION ALL SELECT ${of(j)} FROM batch ${j} WHERE ${[`${group(j)} = ${group(row)}`, `${j}.position <= ${row}.position`, ...conditions(query, j)].join(' AND ')}`;
    }
    case 'lone claim': {
      const only = conditions(query, anchor.row).join(' AND ');
      return ` UNION ALL SELECT ${of(anchor.row)}${only ? ` WHERE ${only}` : ''}`;
    }
  }
}

/** A field's value is none when NULL or blank (nothing but spaces), as aggregateFieldOf says. */
function blank(value: string): string {
  return `(${value} IS NULL OR btrim(${value}, ' ') = '')`;
}

/** The query's filters on `row`, each a condition. */
function conditions(query: AggregateQuery, row: string): string[] {
  const all: string[] = [];
  if (query.currency !== undefined) all.push(`${row}.currency = '${checked(query.currency, /^[A-Z]{3,12}$/, 'currency')}'`);
  if (query.direction !== undefined) all.push(`${row}.direction = '${checked(query.direction, /^(OUTBOUND|INBOUND)$/, 'direction')}'`);
  return all;
}

function windowLiteral(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds < 1) throw new Error(`aggregate window ${seconds} is not a whole number of seconds`);
  return `interval '${seconds} seconds'`;
}

/** Literals reach the SQL only in these shapes, whatever a caller let through. */
function checked(value: string, shape: RegExp, what: string): string {
  if (!shape.test(value)) throw new Error(`aggregate ${what} "${value}" is not allowed in SQL`);
  return value;
}
