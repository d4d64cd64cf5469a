// What every fuzz suite checks: no 5xx for any input, problems as problem+json, and nothing half-written in PostgreSQL.
import fc from 'fast-check';
import { TestDatabase } from './database';
import { eventually } from './waiting';

/** Cases per route; CI runs the default, FUZZ_RUNS=20000 for a longer hunt. */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 1000);

/** A few milliseconds a case on an idle machine; the limit leaves room for a loaded one. */
export const FUZZ_TIMEOUT_MS = 300_000;

/** Counts answers by status, for the suite's closing line. */
export class StatusTally {
  private readonly counts = new Map<number, number>();

  constructor(private readonly route: string) {}

  /** Fails the case on a 5xx, or on a 4xx that is not problem+json; returns the answer's text. */
  async check(response: Response, allowed: readonly number[]): Promise<string> {
    this.counts.set(response.status, (this.counts.get(response.status) ?? 0) + 1);
    const text = await response.text();
    if (!allowed.includes(response.status)) throw new Error(`${this.route} answered ${response.status}: ${text.slice(0, 300)}`);
    if (response.status >= 400 && !/^application\/problem\+json/.test(response.headers.get('content-type') ?? '')) {
      throw new Error(`${this.route} answered ${response.status} without problem+json`);
    }
    return text;
  }

  get total(): number {
    return [...this.counts.values()].reduce((sum, n) => sum + n, 0);
  }

  report(): void {
    process.stdout.write(`fuzz ${this.route}: ${this.total} requests, statuses ${JSON.stringify(Object.fromEntries(this.counts))}\n`);
  }
}

/**
 * Rows that a crash or a refused write between two steps would leave behind. Each query names
 * what it finds; all must come back empty once background follow-ups have drained.
 */
const HALF_WRITTEN: Readonly<Record<string, string>> = {
  'a transaction still SCREENING': `SELECT id FROM transactions WHERE state = 'SCREENING'`,
  'a held transaction without its review case': `SELECT t.id FROM transactions t WHERE t.state = 'PENDING_EXTERNAL_APPROVAL' AND NOT EXISTS (SELECT 1 FROM review_cases r WHERE r.transaction_id = t.id)`,
  'a review case whose status differs from its transaction': `SELECT r.transaction_id FROM review_cases r JOIN transactions t ON t.id = r.transaction_id WHERE r.status <> t.state`,
  'a decided outbound case without its notification to Toqio': `SELECT r.transaction_id FROM review_cases r WHERE r.direction = 'OUTBOUND' AND r.status <> 'PENDING_EXTERNAL_APPROVAL' AND NOT EXISTS (SELECT 1 FROM toqio_notifications n WHERE n.transaction_id = r.transaction_id)`,
  'a final state without the decision that set it': `SELECT t.id FROM transactions t WHERE t.state IN ('APPROVED', 'REJECTED') AND NOT EXISTS (SELECT 1 FROM transaction_decisions d WHERE d.transaction_id = t.id AND d.status = t.state)`,
  'a payment event whose follow-up vanished without its transaction': `SELECT e.id FROM payment_events e WHERE e.outcome = 'FOLLOW_UP' AND NOT EXISTS (SELECT 1 FROM payment_follow_ups f WHERE f.event_id = e.id) AND NOT EXISTS (SELECT 1 FROM transactions t WHERE t.id = e.effect->>'transactionId')`,
  'an applied payment event without its payment': `SELECT e.id FROM payment_events e WHERE e.outcome = 'APPLIED' AND e.effect->>'kind' = 'PAYMENT_PROGRESS' AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.provider = e.provider AND p.payment_key = e.effect->>'paymentKey')`,
  'an applied mandate event without its mandate': `SELECT e.id FROM payment_events e WHERE e.outcome = 'APPLIED' AND e.effect->>'kind' = 'MANDATE_STATUS' AND NOT EXISTS (SELECT 1 FROM mandates m WHERE m.provider = e.provider AND m.mandate_id = e.effect->>'mandateId')`,
};

/** Waits for acknowledged follow-ups to be worked, then lists every half-written row found. */
export async function halfWritten(db: TestDatabase, drainMs = 15_000): Promise<string[]> {
  await eventually('payment follow-ups worked', async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM payment_follow_ups'))[0]!.n === 0, drainMs, 100);
  const found: string[] = [];
  for (const [what, sql] of Object.entries(HALF_WRITTEN)) {
    const rows = await db.query<Record<string, unknown>>(`${sql} LIMIT 3`);
    if (rows.length > 0) found.push(`${what}: ${JSON.stringify(rows)}`);
  }
  return found;
}

/**
 * The property of every route: FUZZ_RUNS cases of `cases` sent by `send`, each answer one of
 * `allowed` (never a 5xx) and a problem+json when refused; then, given `db`, nothing half-written.
 */
export async function fuzzRoute<T>(route: string, cases: fc.Arbitrary<T>, allowed: readonly number[], send: (value: T) => Promise<Response>, db?: TestDatabase): Promise<void> {
  const tally = new StatusTally(route);
  await fc.assert(
    fc.asyncProperty(cases, async (value) => {
      await tally.check(await send(value), allowed);
    }),
    { numRuns: FUZZ_RUNS },
  );
  tally.report();
  if (db) expect(await halfWritten(db)).toEqual([]);
}

/** Percent-encodes any string, a lone surrogate too (as the 3-byte escape a hostile client would send). */
export function pathSegment(value: string): string {
  return [...value]
    .map((character) => {
      const unit = character.charCodeAt(0);
      if (character.length === 1 && unit >= 0xd800 && unit <= 0xdfff) return [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
      return encodeURIComponent(character);
    })
    .join('');
}
