// The generic http engine is asked while validate's claim is written (its contract makes a repeated
// transactionId the same question), yet only a durable claim's verdict is recorded and answered.
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { FakeVendorApi } from './fakes/fake-vendor-api';
import { postValidate, startTestApp, TestApp } from './support/test-app';
import { readUntil } from './support/waiting';

/** A service in front of a fake engine answering `verdict`, started before the describe's tests and stopped after them. */
function inFrontOfEngine(verdict: { status: string; reasons: string[] }, env: Record<string, string> = {}) {
  const engine = new FakeVendorApi(() => ({ status: 200, body: verdict }));
  let app: TestApp | undefined;
  beforeAll(async () => {
    await engine.start();
    app = await startTestApp({ env: { MONITORING_PROVIDER: 'http', MONITORING_HTTP_URL: `${engine.url}/screen`, ...env } });
  });
  afterAll(async () => {
    await app?.close();
    await engine.stop();
  });
  return {
    get t(): TestApp {
      return app!;
    },
    /** What the engine was asked about one transaction, in order. */
    askedAbout: (transactionId: string) => engine.requests.filter((sent) => sent.body?.transactionId === transactionId),
  };
}

describe('generic http provider, asked ahead of the claim', () => {
  const setup = inFrontOfEngine({ status: 'REJECTED', reasons: ['engine says no'] });
  const askedAbout = setup.askedAbout;

  it('asks the engine while the claim waits on a lock, and records and answers its verdict once the claim is stored', async () => {
    const transactionId = `ahead-${randomUUID()}`;
    const locker = new Client({ connectionString: setup.t.db.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE transactions IN SHARE MODE'); // readers pass, the claim's INSERT waits
      const answer = postValidate(setup.t.server, { transactionId, amount: '25.1', currency: 'GBP' });

      expect(await readUntil(async () => askedAbout(transactionId).length, (asked) => asked === 1, 5_000)).toBe(1);
      expect(await setup.t.db.query('SELECT id FROM transactions WHERE id = $1', [transactionId])).toEqual([]);
      await locker.query('COMMIT');

      expect(await answer).toMatchObject({ status: 200, body: { transactionId, status: 'REJECTED', reasons: ['engine says no'] } });
    } finally {
      await locker.end();
    }
    expect(await setup.t.db.query('SELECT state, amount::text FROM transactions WHERE id = $1', [transactionId])).toEqual([{ state: 'REJECTED', amount: '25.1' }]);
    expect(await setup.t.db.query('SELECT count(*)::int AS n FROM transaction_decisions WHERE transaction_id = $1', [transactionId])).toEqual([{ n: 1 }]);
  });

  it('answers a repeat from the store: the engine hears the same idempotency key again, and nothing more is recorded', async () => {
    const transactionId = `ahead-${randomUUID()}`;
    const body = { transactionId, amount: '7.00', currency: 'EUR' };
    expect((await postValidate(setup.t.server, body)).body).toMatchObject({ status: 'REJECTED' });

    expect(await postValidate(setup.t.server, body)).toMatchObject({ status: 200, body: { transactionId, status: 'REJECTED', reasons: ['engine says no'] } });
    // The repeat's question is not awaited once the claim finds the id: it may land after the answer.
    const keys = await readUntil(async () => askedAbout(transactionId).map((sent) => sent.headers['idempotency-key']), (sent) => sent.length === 2, 5_000);
    expect(keys).toEqual([transactionId, transactionId]);
    expect(await setup.t.db.query('SELECT count(*)::int AS n FROM transaction_decisions WHERE transaction_id = $1', [transactionId])).toEqual([{ n: 1 }]);
  });

  it('still refuses a repeat with other content with 409, whatever the engine answered it, and changes nothing', async () => {
    const transactionId = `ahead-${randomUUID()}`;
    expect((await postValidate(setup.t.server, { transactionId, amount: '7.00', currency: 'EUR' })).status).toBe(200);

    expect(await postValidate(setup.t.server, { transactionId, amount: '7000.00', currency: 'EUR' })).toMatchObject({ status: 409 });
    expect(await setup.t.db.query('SELECT amount::text, state FROM transactions WHERE id = $1', [transactionId])).toEqual([{ amount: '7', state: 'REJECTED' }]);
    expect(await setup.t.db.query('SELECT count(*)::int AS n FROM transaction_decisions WHERE transaction_id = $1', [transactionId])).toEqual([{ n: 1 }]);
  });
});

describe('generic http provider asked ahead of a claim that a held lock stalls past the deadline', () => {
  const setup = inFrontOfEngine({ status: 'APPROVED', reasons: [] }, { VALIDATE_DEADLINE_MS: '1000', DECISION_TIMEOUT_MS: '300' });

  it('answers 503 by the deadline though the engine answered, and a replay once the lock is gone gets one consistent answer', async () => {
    const transactionId = `stalled-${randomUUID()}`;
    const locker = new Client({ connectionString: setup.t.db.url });
    await locker.connect();
    let during: Awaited<ReturnType<typeof postValidate>>;
    const started = Date.now();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE transactions IN ACCESS EXCLUSIVE MODE');
      during = await postValidate(setup.t.server, { transactionId, amount: '3.00', currency: 'GBP' });
    } finally {
      await locker.query('COMMIT');
      await locker.end();
    }
    expect(Date.now() - started).toBeLessThan(2_000); // the deadline, plus a second for a shared machine
    expect(during).toMatchObject({ status: 503, contentType: expect.stringContaining('application/problem+json') });
    expect(setup.askedAbout(transactionId)).toHaveLength(1);

    // The claim left waiting on the lock may still land; either way a replay gets the engine's verdict, twice alike.
    const replay = await readUntil(() => postValidate(setup.t.server, { transactionId, amount: '3.00', currency: 'GBP' }), (answer) => answer.status === 200, 10_000);
    expect(replay.body).toMatchObject({ transactionId, status: 'APPROVED' });
    expect((await postValidate(setup.t.server, { transactionId, amount: '3.00', currency: 'GBP' })).body).toMatchObject({ status: 'APPROVED' });
    expect(await setup.t.db.query('SELECT state FROM transactions WHERE id = $1', [transactionId])).toEqual([{ state: 'APPROVED' }]);
  });
});
