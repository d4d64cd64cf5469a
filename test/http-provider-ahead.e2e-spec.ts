// The generic http engine is asked while validate's claim is written (its contract makes a repeated
// transactionId the same question), yet only a durable claim's verdict is recorded and answered.
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { FakeVendorApi } from './fakes/fake-vendor-api';
import { postValidate, startTestApp, TestApp } from './support/test-app';
import { readUntil } from './support/waiting';

describe('generic http provider, asked ahead of the claim', () => {
  let t: TestApp;
  const engine = new FakeVendorApi(() => ({ status: 200, body: { status: 'REJECTED', reasons: ['engine says no'] } }));
  const askedAbout = (transactionId: string) => engine.requests.filter((sent) => sent.body?.transactionId === transactionId);

  beforeAll(async () => {
    await engine.start();
    t = await startTestApp({ env: { MONITORING_PROVIDER: 'http', MONITORING_HTTP_URL: `${engine.url}/screen` } });
  });
  afterAll(async () => {
    await t.close();
    await engine.stop();
  });

  it('asks the engine while the claim waits on a lock, and records and answers its verdict once the claim is stored', async () => {
    const transactionId = `ahead-${randomUUID()}`;
    const locker = new Client({ connectionString: t.db.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE transactions IN SHARE MODE'); // readers pass, the claim's INSERT waits
      const answer = postValidate(t.server, { transactionId, amount: '25.1', currency: 'GBP' });

      expect(await readUntil(async () => askedAbout(transactionId).length, (asked) => asked === 1, 5_000)).toBe(1);
      expect(await t.db.query('SELECT id FROM transactions WHERE id = $1', [transactionId])).toEqual([]);
      await locker.query('COMMIT');

      expect(await answer).toMatchObject({ status: 200, body: { transactionId, status: 'REJECTED', reasons: ['engine says no'] } });
    } finally {
      await locker.end();
    }
    expect(await t.db.query('SELECT state, amount::text FROM transactions WHERE id = $1', [transactionId])).toEqual([{ state: 'REJECTED', amount: '25.1' }]);
    expect(await t.db.query('SELECT count(*)::int AS n FROM transaction_decisions WHERE transaction_id = $1', [transactionId])).toEqual([{ n: 1 }]);
  });

  it('answers a repeat from the store: the engine hears the same idempotency key again, and nothing more is recorded', async () => {
    const transactionId = `ahead-${randomUUID()}`;
    const body = { transactionId, amount: '7.00', currency: 'EUR' };
    expect((await postValidate(t.server, body)).body).toMatchObject({ status: 'REJECTED' });

    expect(await postValidate(t.server, body)).toMatchObject({ status: 200, body: { transactionId, status: 'REJECTED', reasons: ['engine says no'] } });
    // The repeat's question is not awaited once the claim finds the id: it may land after the answer.
    const keys = await readUntil(async () => askedAbout(transactionId).map((sent) => sent.headers['idempotency-key']), (sent) => sent.length === 2, 5_000);
    expect(keys).toEqual([transactionId, transactionId]);
    expect(await t.db.query('SELECT count(*)::int AS n FROM transaction_decisions WHERE transaction_id = $1', [transactionId])).toEqual([{ n: 1 }]);
  });

  it('still refuses a repeat with other content with 409, whatever the engine answered it, and changes nothing', async () => {
    const transactionId = `ahead-${randomUUID()}`;
    expect((await postValidate(t.server, { transactionId, amount: '7.00', currency: 'EUR' })).status).toBe(200);

    expect(await postValidate(t.server, { transactionId, amount: '7000.00', currency: 'EUR' })).toMatchObject({ status: 409 });
    expect(await t.db.query('SELECT amount::text, state FROM transactions WHERE id = $1', [transactionId])).toEqual([{ amount: '7', state: 'REJECTED' }]);
    expect(await t.db.query('SELECT count(*)::int AS n FROM transaction_decisions WHERE transaction_id = $1', [transactionId])).toEqual([{ n: 1 }]);
  });
});
