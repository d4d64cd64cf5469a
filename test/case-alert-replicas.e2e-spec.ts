// Two replicas watching one database for cases to report: every case.opened and case.overdue raised and sent exactly once.
import { randomBytes, randomUUID } from 'node:crypto';
import { FakeEventReceiver } from './fakes/fake-event-receiver';
import { ANALYST_TOKENS } from './support/analyst-api';
import { postValidate, startReplicas, TestReplicas } from './support/test-app';
import { inParallel } from './support/waiting';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const CASES = 120;

describe('two replicas raising case alerts from one database', () => {
  const receiver = new FakeEventReceiver(SECRET);
  let started: TestReplicas;

  beforeAll(async () => {
    await receiver.start();
    started = await startReplicas(['a', 'b'], (replica) => ({
      ANALYST_TOKENS,
      EVENTS_WEBHOOK_URL: `${receiver.url}?replica=${replica}`,
      EVENTS_WEBHOOK_SECRET: SECRET,
      EVENTS_POLL_MS: '20',
      PENDING_SLA_MINUTES: '5',
    }));
  });
  afterAll(async () => {
    await started?.close();
    await receiver.stop();
  });

  it(`reports ${CASES} cases opened on either replica, then overdue all at once, each exactly once`, async () => {
    const { db, replicas } = started;
    const ids = Array.from({ length: CASES }, () => `replicas-${randomUUID()}`);
    await inParallel(ids, 8, async (transactionId, i) => {
      expect((await postValidate(replicas[i % 2]!.baseUrl, { transactionId, amount: 25_000, currency: 'USD' })).body.status).toBe('PENDING_EXTERNAL_APPROVAL');
    });
    await receiver.waitFor(`${CASES} case.opened`, (r) => r.ofType('case.opened').length >= CASES, 30_000);

    // Every case passes its SLA at the same moment: both watchers find all of them due at once.
    await db.query(`UPDATE review_cases SET opened_at = now() - interval '6 minutes'`);
    await receiver.waitFor(`${CASES} case.overdue`, (r) => r.ofType('case.overdue').length >= CASES, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 500)); // room for a wrong second copy

    for (const type of ['case.opened', 'case.overdue']) {
      const sent = receiver.ofType(type);
      expect({ type, sent: sent.length }).toEqual({ type, sent: CASES });
      expect(new Set(sent.map((r) => r.envelope!.data.transactionId))).toEqual(new Set(ids));
      const byReplica = (replica: string) => sent.filter((r) => r.url.endsWith(`?replica=${replica}`)).length;
      process.stdout.write(`  ${type}: sent by replica a ${byReplica('a')}, by replica b ${byReplica('b')}\n`);
    }
    // Raised once, not merely sent once: each case's marks were set by one watcher, and the outbox holds one event per case and type.
    const rows = await db.query<{ type: string; n: number }>(`SELECT type, count(*)::int AS n FROM operator_events GROUP BY type ORDER BY type`);
    expect(rows).toEqual([
      { type: 'case.opened', n: CASES },
      { type: 'case.overdue', n: CASES },
    ]);
    const unmarked = await db.query(`SELECT 1 FROM review_cases WHERE opened_reported_at IS NULL OR overdue_reported_at IS NULL`);
    expect(unmarked).toHaveLength(0);
  });
});
