// The review queue's pages in PostgreSQL, filtered and searched with bounded work per page however many cases there are.
import { Pool } from 'pg';
import { QueuePage, QueueQuery } from '../../application/ports/review-read-model.port';
import { CaseFilters, CaseSummary, Direction, QueuePosition, ReviewStatus } from '../../application/review-views';
import { inTransaction } from './in-transaction';
import { CASE_COLUMNS, HELD_BY, HELD_BY_NOBODY } from './postgres-review.queries';

interface CaseRow {
  transaction_id: string;
  direction: Direction;
  status: ReviewStatus;
  opened_at: Date;
  decided_at: Date | null;
  first_approved_by: string | null;
  first_approved_at: Date | null;
  opened_key: string;
  amount: string;
  currency: string;
  beneficiary: Record<string, unknown> | null;
  reasons: string[];
  assignee: string | null;
  claimed_until: Date | null;
}

/** Adds a value to the statement's parameters and answers its placeholder. */
type Bind = (value: unknown) => string;

/**
 * `q` is searched two ways, each with bounded work: a walk of the queue in order over at most
 * WINDOW_ROWS cases of the other filters (what a common name needs to fill a page), and the
 * trigram index, trusted only when q and the filters match at most CANDIDATE_LIMIT cases in all (a
 * rare name, an id, a reference). A name is walked first, then looked up when the walk leaves the
 * page short; a q with a digit (an id, a reference, an IBAN) is looked up first. When both fall
 * short (a common q that is rare among the other filters' cases) the page is what the walk found,
 * and its cursor continues from where the walk stopped: a page may then hold fewer than `limit`
 * cases although more follow.
 */
export const WINDOW_ROWS = 2000;
export const CANDIDATE_LIMIT = 500;

const ORDER = 'ORDER BY c.opened_at, c.transaction_id';
const POSITION_KEY = `(extract(epoch FROM c.opened_at) * 1000000)::bigint::text`;

class Statement {
  readonly values: unknown[] = [];
  readonly bind: Bind = (value) => {
    this.values.push(value);
    return `$${this.values.length}`;
  };
}

export async function queuePage(pool: Pool, query: QueueQuery): Promise<QueuePage> {
  if (query.q === undefined) {
    const statement = new Statement();
    const { rows } = await pool.query<CaseRow>(pageSql(statement, conditions(query, statement.bind), query.limit + 1), statement.values);
    return pageOf(rows, query.limit, null);
  }
  const searched = { ...query, q: query.q };
  // An id, a reference or an IBAN (a q with a digit) is almost always rare: the index first.
  const indexedFirst = hasDigit(query.q) ? await fromTrigramIndex(pool, searched) : null;
  if (indexedFirst) return pageOf(indexedFirst, query.limit, null);
  const walked = await walk(pool, searched);
  if (walked.rows.length > query.limit || walked.end === null || hasDigit(query.q)) return pageOf(walked.rows, query.limit, walked.end);
  const indexed = await fromTrigramIndex(pool, searched);
  return indexed ? pageOf(indexed, query.limit, null) : pageOf(walked.rows, query.limit, walked.end);
}

/** Those of the next WINDOW_ROWS cases of the other filters that q matches, in order; `end` is null when the queue ended first. */
async function walk(pool: Pool, query: QueueQuery & { q: string }): Promise<{ rows: CaseRow[]; end: QueuePosition | null }> {
  const statement = new Statement();
  const window = windowSql(query, statement.bind);
  // Not materialised: the planner knows the window comes in queue order, so it stops at the page's last match.
  const hits = `SELECT c.* FROM (${window}) c WHERE ${textSearch(query.q, statement.bind)} ${ORDER} LIMIT ${statement.bind(query.limit + 1)}`;
  const { rows } = await pool.query<CaseRow>(`SELECT ${CASE_COLUMNS} FROM (${hits}) c JOIN transactions t ON t.id = c.transaction_id ${ORDER}`, statement.values);
  if (rows.length > query.limit) return { rows, end: null };
  // A short page: where the window ended, if it ended before the queue did (its rows are in memory by now).
  const edge = new Statement();
  const { rows: last } = await pool.query<{ examined: string; last_key: string; last_id: string }>(
    `SELECT count(*) OVER () AS examined, ${POSITION_KEY} AS last_key, c.transaction_id AS last_id
       FROM (${windowSql(query, edge.bind)}) c ORDER BY c.opened_at DESC, c.transaction_id DESC LIMIT 1`,
    edge.values,
  );
  const full = last[0] !== undefined && Number(last[0].examined) === WINDOW_ROWS;
  return { rows, end: full ? { openedAt: last[0]!.last_key, transactionId: last[0]!.last_id } : null };
}

function windowSql(query: QueueQuery, bind: Bind): string {
  return `SELECT c.* FROM review_cases c ${where(conditions({ ...query, q: undefined }, bind))} ${ORDER} LIMIT ${WINDOW_ROWS}`;
}

/**
 * Every case that q and the other filters match, found through the indexes by bitmap (the trigram
 * index, with the other filters' indexes where the planner combines them): the planner may not walk
 * the queue instead, which for a rare q has no end. Null when more than CANDIDATE_LIMIT match, before
 * reading more of them; the walk's page stands then.
 */
async function fromTrigramIndex(pool: Pool, query: QueueQuery & { q: string }): Promise<CaseRow[] | null> {
  const statement = new Statement();
  const matching = `SELECT c.* FROM review_cases c ${where(conditions(query, statement.bind))} LIMIT ${CANDIDATE_LIMIT + 1}`;
  // One row at least, for the count: page rows, or one of nulls when nothing matches.
  const sql = `WITH m AS MATERIALIZED (${matching})
     SELECT ${CASE_COLUMNS}, (SELECT count(*) FROM m) AS candidates
       FROM (SELECT) one
       LEFT JOIN ((SELECT * FROM m c ${ORDER} LIMIT ${statement.bind(query.limit + 1)}) c JOIN transactions t ON t.id = c.transaction_id) ON true
      ${ORDER}`;
  const rows = await inTransaction(pool, async (client) => {
    await client.query('SET LOCAL enable_seqscan = off');
    await client.query('SET LOCAL enable_indexscan = off');
    return (await client.query<CaseRow & { candidates: string }>(sql, statement.values)).rows;
  });
  if (Number(rows[0]?.candidates) > CANDIDATE_LIMIT) return null;
  return rows.filter((row) => row.transaction_id !== null);
}

function pageSql(statement: Statement, list: string[], rows: number): string {
  return `SELECT ${CASE_COLUMNS}
            FROM (SELECT c.* FROM review_cases c ${where(list)} ${ORDER} LIMIT ${statement.bind(rows)}) c
            JOIN transactions t ON t.id = c.transaction_id
           ${ORDER}`;
}

function toSummary(row: CaseRow): CaseSummary {
  return {
    transactionId: row.transaction_id,
    direction: row.direction,
    status: row.status,
    amount: row.amount,
    currency: row.currency,
    beneficiary: row.beneficiary,
    reasons: row.reasons,
    pendingSince: row.opened_at,
    decidedAt: row.decided_at,
    firstApproval: row.first_approved_by && row.first_approved_at ? { by: row.first_approved_by, at: row.first_approved_at } : null,
    assignee: row.assignee,
    claimedUntil: row.claimed_until,
  };
}

function pageOf(rows: readonly CaseRow[], limit: number, end: QueuePosition | null): QueuePage {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const next = rows.length > limit && last ? { openedAt: last.opened_key, transactionId: last.transaction_id } : end;
  return { items: page.map(toSummary), next };
}

const where = (list: readonly string[]): string => (list.length > 0 ? `WHERE ${list.join(' AND ')}` : '');

function afterCondition(query: QueueQuery, bind: Bind): string[] {
  if (query.after === undefined) return [];
  const { openedAt, transactionId } = query.after;
  return [`(c.opened_at, c.transaction_id) > (timestamptz 'epoch' + ${bind(openedAt)}::bigint * interval '1 microsecond', ${bind(transactionId)})`];
}

/** Every condition of the query on review_cases (alias c): status, direction, assignee, the search filters and the cursor. */
function conditions(query: QueueQuery, bind: Bind): string[] {
  const list: string[] = [];
  if (query.status) list.push(`c.status = ${bind(query.status)}`);
  if (query.direction) list.push(`c.direction = ${bind(query.direction)}`);
  if (query.assignee !== undefined) list.push(query.assignee === null ? HELD_BY_NOBODY : HELD_BY(bind(query.assignee)));
  list.push(...filterConditions(query, bind), ...afterCondition(query, bind));
  return list;
}

function filterConditions(filters: CaseFilters, bind: Bind): string[] {
  const list: string[] = [];
  if (filters.sourceAccountId !== undefined) list.push(`c.source_account_id = ${bind(filters.sourceAccountId)}`);
  if (filters.customerId !== undefined) list.push(`c.customer_id = ${bind(filters.customerId)}`);
  if (filters.beneficiaryIban !== undefined) list.push(`c.beneficiary_iban = normalised_iban(${bind(filters.beneficiaryIban)})`);
  if (filters.currency !== undefined) list.push(`c.currency = ${bind(filters.currency)}`);
  // Exact decimal text compared as numeric: no binary float between the client and the column.
  if (filters.minAmount !== undefined) list.push(`c.amount >= ${bind(filters.minAmount)}::numeric`);
  if (filters.maxAmount !== undefined) list.push(`c.amount <= ${bind(filters.maxAmount)}::numeric`);
  if (filters.from !== undefined) list.push(`c.opened_at >= ${bind(filters.from.toISOString())}::timestamptz`);
  if (filters.to !== undefined) list.push(`c.opened_at < ${bind(filters.to.toISOString())}::timestamptz`);
  if (filters.q !== undefined) list.push(textSearch(filters.q, bind));
  return list;
}

const hasDigit = (q: string): boolean => /\d/.test(q);

/** Escapes LIKE's wildcards and its escape character, so that q matches as typed. */
const likeLiteral = (text: string): string => text.replace(/[\\%_]/g, (character) => `\\${character}`);

/**
 * q against review_case_search_text (id, reference, beneficiary name and IBAN, lower case): as a
 * substring; without its spaces, as a substring (an IBAN typed in groups); or as a name similar to
 * a run of the beneficiary name's words (pg_trgm's word similarity, at its default threshold of 0.6)
 * when q has no digit.
 */
function textSearch(q: string, bind: Bind): string {
  const matches = [`c.search_text LIKE lower(${bind(`%${likeLiteral(q)}%`)})`];
  const unspaced = q.replace(/\s+/g, '');
  if (unspaced !== q && unspaced.length >= 3) matches.push(`c.search_text LIKE lower(${bind(`%${likeLiteral(unspaced)}%`)})`);
  // A q with a digit in it is an id, a reference or an IBAN: no name is similar to it.
  if (!hasDigit(q)) matches.push(`lower(${bind(q)}) <% c.beneficiary_name`);
  return `(${matches.join(' OR ')})`;
}
