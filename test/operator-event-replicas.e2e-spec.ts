// Two replicas on one database deliver from one event outbox together: every event sent, none twice.
import { randomBytes } from 'node:crypto';
import { OperatorEventOutbox } from '../src/application/ports/operator-event-outbox.port';
import { FakeEventReceiver } from './fakes/fake-event-receiver';
import { OperatorEventMother } from './mothers/operator-event.mother';
import { ANALYST_TOKENS } from './support/analyst-api';
import { startReplicas, TestReplicas } from './support/test-app';
import { inParallel, readUntil } from './support/waiting';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const EVENTS = 300;

describe('two replicas delivering from one event outbox', () => {
  const receiver = new FakeEventReceiver(SECRET);
  let started: TestReplicas;

  beforeAll(async () => {
    await receiver.start();
    // A little latency keeps many deliveries in flight on both replicas at once.
    receiver.latencyMs = 5;
    // Each replica calls with its own query string, so the receiver can tell who sent what.
    started = await startReplicas(['a', 'b'], (replica) => ({ ANALYST_TOKENS, EVENTS_WEBHOOK_URL: `${receiver.url}?replica=${replica}`, EVENTS_WEBHOOK_SECRET: SECRET, EVENTS_POLL_MS: '50' }));
  });
  afterAll(async () => {
    await started?.close();
    await receiver.stop();
  });

  it(`deliver ${EVENTS} events raised on either replica (each raised on both), each exactly once`, async () => {
    const { db, replicas } = started;
    const events = Array.from({ length: EVENTS }, () => OperatorEventMother.caseOpened());
    // Every event is raised by both replicas, as two watchers seeing the same case would.
    await inParallel(events, 8, async (event, i) => {
      await replicas[i % 2]!.app.get(OperatorEventOutbox, { strict: false }).enqueue([event]);
      await replicas[(i + 1) % 2]!.app.get(OperatorEventOutbox, { strict: false }).enqueue([event]);
    });

    await receiver.waitFor(`${EVENTS} events delivered`, (r) => r.delivered().length >= EVENTS, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 300)); // room for a wrong second copy

    const delivered = receiver.delivered();
    const byReplica = (replica: string) => delivered.filter((r) => r.url.endsWith(`?replica=${replica}`)).length;
    process.stdout.write(`  sent by replica a: ${byReplica('a')}, by replica b: ${byReplica('b')}\n`);
    expect(receiver.received).toHaveLength(EVENTS);
    expect(new Set(delivered.map((r) => r.webhookId)).size).toBe(EVENTS);
    expect(new Set(delivered.map((r) => r.envelope!.data.transactionId))).toEqual(new Set(events.map((event) => event.dedupeKey)));
    // The receiver counts an event before answering it; the sender records it once answered.
    const rows = await readUntil(
      () => db.query<{ attempts: number; delivered: boolean; n: number }>(`SELECT attempts, delivered_at IS NOT NULL AS delivered, count(*)::int AS n FROM operator_events GROUP BY 1, 2`),
      (read) => read.length === 1 && read[0]!.delivered,
    );
    expect(rows).toEqual([{ attempts: 1, delivered: true, n: EVENTS }]);
  });
});
