// SQL for the aggregates a provider asks for (domain/aggregate.ts), computed over the transactions table.
//
// Each aggregate is one subquery, computed from the rows themselves through an index on
// (field, received_at); `npm run bench:aggregates` compares this with a running counter per time
// bucket (docs/development.md has the figures).
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
  /** A claim: rows stored before this statement, plus the batch's own rows up to this one (the claim's `batch`). */
  | { readonly kind: 'claim'; readonly row: string }
  /** A stored transaction, aliased `row`, whose history is read as it stood when it arrived. */
  | { readonly kind: 'stored'; readonly row: string };

/**
 * An expression giving the queries' values as text[] in order ('12', '4500.25'); an entry is
 * NULL when the transaction has no value for the query's group field.
 */
export function aggregateArraySql(queries: readonly AggregateQuery[], anchor: AggregateAnchor): string {
  if (queries.length === 0) return `ARRAY[]::text[]`;
  return `ARRAY[${queries.map((query) => aggregateSql(query, anchor)).join(',\n')}]::text[]`;
}

function aggregateSql(query: AggregateQuery, anchor: AggregateAnchor): string {
  const group = FIELD_SQL[query.groupBy];
  const window = windowLiteral(query.windowSeconds);
  const since =
    anchor.kind === 'claim'
      ? `a.received_at > now() - ${window}`
      : `a.received_at > ${anchor.row}.received_at - ${window} AND a.received_at <= ${anchor.row}.received_at`;
  const stored = `FROM transactions a WHERE ${group('a')} = ${group(anchor.row)} AND ${since}${filters(query, 'a')}`;
  // The batch's own rows (the claim's `batch`, each new id once): inserted by this statement, so
  // invisible to its snapshot.
  const batch = anchor.kind === 'claim' ? `FROM batch j WHERE ${group('j')} = ${group(anchor.row)} AND j.position <= ${anchor.row}.position${filters(query, 'j')}` : undefined;
  return `CASE WHEN ${group(anchor.row)} IS NULL THEN NULL ELSE (${valueSql(query, stored, batch)})::text END`;
}

/**
 * Count and sum add the stored rows' figure to the batch's, two scalar subqueries (measured faster
 * than aggregating their union); a distinct count needs the union.
 */
function valueSql(query: AggregateQuery, stored: string, batch: string | undefined): string {
  switch (query.fn) {
    case 'count':
      return batch ? `(SELECT count(*) ${stored}) + (SELECT count(*) ${batch})` : `(SELECT count(*) ${stored})`;
    case 'sum':
      return batch ? `(SELECT coalesce(sum(a.amount), 0) ${stored}) + (SELECT coalesce(sum(j.amount), 0) ${batch})` : `(SELECT coalesce(sum(a.amount), 0) ${stored})`;
    case 'distinct': {
      const of = FIELD_SQL[query.of!];
      const union = batch ? ` UNION ALL SELECT ${of('j')} ${batch}` : '';
      return `(SELECT count(DISTINCT s.v) FROM (SELECT ${of('a')} AS v ${stored}${union}) s)`;
    }
  }
}

function filters(query: AggregateQuery, row: string): string {
  let sql = '';
  if (query.currency !== undefined) sql += ` AND ${row}.currency = '${checked(query.currency, /^[A-Z]{3,12}$/, 'currency')}'`;
  if (query.direction !== undefined) sql += ` AND ${row}.direction = '${checked(query.direction, /^(OUTBOUND|INBOUND)$/, 'direction')}'`;
  return sql;
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
