// Shared by the fault scenarios: a load generator, a consistency check and a report line.
import { Client } from 'pg';
import { inParallel } from '../../support/waiting';

export interface Answer {
  readonly id: string;
  /** 0: no HTTP answer (connection refused or reset). */
  readonly status: number;
  readonly contentType: string;
  readonly body: Record<string, any>;
  readonly retryAfter: string | null;
  readonly ms: number;
  readonly at: number;
}

/** POSTs one validate call; never throws. */
export async function validate(baseUrl: string, apiKey: string, body: Record<string, unknown>): Promise<Answer> {
  const started = Date.now();
  const id = String(body.transactionId);
  try {
    const response = await fetch(`${baseUrl}/transaction/validate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(20_000),
    });
    const text = await response.text();
    return {
      id,
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      body: text ? (JSON.parse(text) as Record<string, any>) : {},
      retryAfter: response.headers.get('retry-after'),
      ms: Date.now() - started,
      at: started,
    };
  } catch (error) {
    // fetch's own message is only "fetch failed": the socket's error is its cause.
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { id, status: 0, contentType: '', body: { error: String(error), cause: cause?.code ?? cause?.message }, retryAfter: null, ms: Date.now() - started, at: started };
  }
}

/** `concurrency` loops sending new transactions until stopped; every answer is kept. */
export class ValidateLoad {
  readonly answers: Answer[] = [];
  /** What was sent under each id, so that a retry (as Toqio would make) is the same request. */
  readonly bodies = new Map<string, Record<string, unknown>>();
  private running = false;
  private loops: Promise<void>[] = [];
  private sequence = 0;

  constructor(
    private readonly baseUrl: () => string,
    private readonly apiKey: string,
    private readonly prefix: string,
    /** Every fifth transaction is large enough to be held for review. */
    private readonly amountOf: (n: number) => number = (n) => (n % 5 === 0 ? 25_000 : 100 + (n % 97)),
  ) {}

  start(concurrency: number): void {
    this.running = true;
    this.loops = Array.from({ length: concurrency }, async () => {
      while (this.running) {
        const n = this.sequence++;
        const body = { transactionId: `${this.prefix}-${n}`, amount: this.amountOf(n), currency: 'EUR', sourceAccountId: `acc-${n % 500}` };
        this.bodies.set(body.transactionId, body);
        const answer = await validate(this.baseUrl(), this.apiKey, body);
        this.answers.push(answer);
        // Refused connections come back at once: do not spin.
        if (answer.status === 0) await sleep(20);
      }
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A fresh connection per call, so it works across a database restart. */
export async function query<T = Record<string, any>>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

export interface Consistency {
  readonly transactions: number;
  readonly byState: Record<string, number>;
  /** Every rule a row breaks, by transaction; empty when the data is whole. */
  readonly problems: string[];
}

/**
 * What "nothing half-written" means here: a decided or held transaction has its decision
 * history and its last entry is its state; a held one has an open review case; a transaction
 * decided after review has exactly one notification; a claim still SCREENING has no decision.
 */
export async function checkConsistency(url: string): Promise<Consistency> {
  const rows = await query<{ id: string; state: string; decisions: number; last_status: string | null; last_source: string | null; review: string | null; notifications: number }>(
    url,
    `SELECT t.id, t.state,
            (SELECT count(*)::int FROM transaction_decisions d WHERE d.transaction_id = t.id) AS decisions,
            (SELECT d.status FROM transaction_decisions d WHERE d.transaction_id = t.id ORDER BY d.id DESC LIMIT 1) AS last_status,
            (SELECT d.source FROM transaction_decisions d WHERE d.transaction_id = t.id ORDER BY d.id DESC LIMIT 1) AS last_source,
            (SELECT r.status FROM review_cases r WHERE r.transaction_id = t.id) AS review,
            (SELECT count(*)::int FROM toqio_notifications n WHERE n.transaction_id = t.id) AS notifications
       FROM transactions t`,
  );
  const problems: string[] = [];
  const byState: Record<string, number> = {};
  for (const row of rows) {
    byState[row.state] = (byState[row.state] ?? 0) + 1;
    if (row.state === 'SCREENING') {
      if (row.decisions > 0) problems.push(`${row.id}: SCREENING with ${row.decisions} decision(s)`);
      continue;
    }
    if (row.decisions === 0) problems.push(`${row.id}: ${row.state} without a decision`);
    else if (row.last_status !== row.state) problems.push(`${row.id}: state ${row.state} but last decision ${row.last_status}`);
    if (row.state === 'PENDING_EXTERNAL_APPROVAL' && row.review !== 'PENDING_EXTERNAL_APPROVAL') problems.push(`${row.id}: held without an open review case`);
    const decidedAfterReview = row.review !== null && row.state !== 'PENDING_EXTERNAL_APPROVAL';
    if (decidedAfterReview && row.notifications !== 1) problems.push(`${row.id}: decided after review with ${row.notifications} notification(s)`);
    if (!decidedAfterReview && row.notifications !== 0) problems.push(`${row.id}: ${row.notifications} notification(s) without a decision after review`);
  }
  return { transactions: rows.length, byState, problems };
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Counts of a list by key, e.g. answers by status code. */
export function countBy<T>(items: readonly T[], key: (item: T) => string | number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[String(key(item))] = (counts[String(key(item))] ?? 0) + 1;
  return counts;
}

/** One line per scenario on stdout: what it checked, with figures. */
export function report(scenario: string, figures: Record<string, unknown>): void {
  const text = Object.entries(figures)
    .map(([name, value]) => `${name}=${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
    .join(' ');
  process.stdout.write(`[fault:${scenario}] ${text}\n`);
}

/** Retries in flight at once in retryUntilAnswered. */
const RETRY_CONCURRENCY = 64;

/**
 * Sends again, as Toqio does, every request that got no 200 until each has one; a claim orphaned
 * by a fault is taken over once it is stale. Returns how many rounds it took, or throws.
 */
export async function retryUntilAnswered(baseUrl: string, apiKey: string, failed: readonly Answer[], bodies: ReadonlyMap<string, Record<string, unknown>>, timeoutMs = 60_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let pending = [...new Set(failed.map((a) => a.id))];
  let rounds = 0;
  while (pending.length > 0) {
    if (Date.now() > deadline) throw new Error(`${pending.length} request(s) still unanswered after ${timeoutMs} ms: ${pending.slice(0, 5).join(', ')}`);
    rounds += 1;
    // As many at once as a client's connection pool sends: thousands of simultaneous connections
    // overflowed the listen queue and came back as "fetch failed", not as the service's answer.
    const again: Answer[] = [];
    await inParallel(pending, RETRY_CONCURRENCY, async (id, index) => {
      again[index] = await validate(baseUrl, apiKey, bodies.get(id)!);
    });
    const wrong = again.filter((a) => a.status !== 200 && a.status !== 503);
    if (wrong.length > 0) throw new Error(`a retry was answered ${wrong[0]!.status}: ${JSON.stringify(wrong[0]!.body)}`);
    pending = again.filter((a) => a.status !== 200).map((a) => a.id);
    if (pending.length > 0) await sleep(1_000);
  }
  return rounds;
}
