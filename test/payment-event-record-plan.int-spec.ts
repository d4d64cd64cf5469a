// RECORD_EVENTS links each event to a transaction on record by looking its candidates up by key, whatever the
// tables hold: as EXISTS under OR, the planner read both tables whole on every batch once they had grown
// (60,000 transactions and 30,000 events: 58 ms a statement of 50 events, against 3 ms by key).
import { randomUUID } from 'node:crypto';
import { RECORD_EVENTS } from '../src/adapters/persistence/postgres-payment-event.queries';
import { createMigratedTestDatabase, TestDatabase } from './support/database';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

const ROWS = 20_000;
let sequence = 0;

/** A batch of RECORD_EVENTS input: each event names two candidates, as a Paystack charge does (its id, then its reference). */
function batch(candidates: (n: number) => string[], size: number, ownTransaction: string | null = null): string {
  const events = Array.from({ length: size }, (_, i) => {
    sequence += 1;
    return {
      position: i + 1,
      id: randomUUID(),
      provider: 'paystack',
      event_type: 'charge.success',
      dedupe_key: `plan-${sequence}`,
      message_id: null,
      candidates: candidates(sequence),
      own_transaction: ownTransaction,
      status: 'success',
      amount: '10.00',
      currency: 'NGN',
      summary: 'a charge',
      effect: { kind: 'NONE' },
      outcome: 'RECORDED',
      reason: null,
      occurred_at: null,
      follow_up: false,
      payload: {},
    };
  });
  return JSON.stringify(events);
}

function scans(node: PlanNode): string[] {
  const own = node['Node Type'] === 'Seq Scan' ? [`Seq Scan on ${node['Relation Name']}`] : [];
  return [...own, ...(node.Plans ?? []).flatMap(scans)];
}

describe('recording payment events on tables that have grown', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createMigratedTestDatabase();
    await db.query(
      `INSERT INTO transactions (id, direction, state, amount, currency, payload, received_at)
       SELECT 'on-record-' || g, 'INBOUND', 'APPROVED', 1, 'NGN', '{}', now() FROM generate_series(1, $1) g`,
      [ROWS],
    );
    // Events naming transactions the service never saw, as payment providers send.
    for (let done = 0; done < ROWS; done += 1_000) {
      await db.query(RECORD_EVENTS, [batch((n) => [`elsewhere-${n}`], 1_000)]);
    }
    await db.query(
      `INSERT INTO payment_events (id, provider, event_type, dedupe_key, transaction_id, summary, payload, effect, outcome)
       SELECT gen_random_uuid(), 'paystack', 'refund.processed', 'linked-' || g, 'linked-tx-' || g, 'a refund', '{}', '{"kind":"NONE"}', 'RECORDED'
         FROM generate_series(1, $1) g`,
      [ROWS],
    );
  }, 120_000);
  afterAll(() => db?.drop());

  it('looks each candidate up by key: no sequential scan of transactions or payment_events', async () => {
    const [{ 'QUERY PLAN': plan }] = await db.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(`EXPLAIN (FORMAT JSON) ${RECORD_EVENTS}`, [
      batch((n) => [`charge-${n}`, `on-record-${n}`], 50),
    ]);
    expect(scans(plan[0]!.Plan).filter((scan) => /transactions|payment_events/.test(scan))).toEqual([]);
  });

  it('still links an event to the first of its candidates on record: a transaction, one an event on record names, or one an earlier event of the batch creates', async () => {
    const events = [
      batch(() => ['never-seen', 'on-record-17', 'on-record-18'], 1),
      batch(() => ['never-seen', 'linked-tx-5'], 1),
      batch(() => ['never-seen'], 1, 'created-in-batch'), // an inbound payment: its follow-up will create this one
      batch(() => ['never-seen', 'created-in-batch', 'on-record-19'], 1),
      batch(() => ['never-seen'], 1),
    ].map((one, index) => ({ ...JSON.parse(one)[0], position: index + 1 }));
    const rows = await db.query<{ transaction_id: string | null }>(RECORD_EVENTS, [JSON.stringify(events)]);
    expect(rows.map((row) => row.transaction_id)).toEqual(['on-record-17', 'linked-tx-5', 'created-in-batch', 'created-in-batch', null]);
  });
});
