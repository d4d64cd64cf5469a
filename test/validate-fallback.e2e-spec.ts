// The provider failing, hanging or racing: answers stay inside the budget and never lose a decision.
import { randomUUID } from 'node:crypto';
import { hang, ScriptedMonitoringProvider } from './fakes/scripted-monitoring-provider';
import { createTestDatabase, TestDatabase } from './support/database';
import { postValidate, startTestApp, TestApp } from './support/test-app';
import { eventually } from './support/waiting';

const body = () => ({ transactionId: randomUUID(), amount: '42.00', currency: 'EUR', beneficiary: { country: 'FR' } });
const BUDGET_MS = 300;

describe('validate when the provider misbehaves', () => {
  const provider = new ScriptedMonitoringProvider();
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ monitoringProvider: provider, env: { DECISION_TIMEOUT_MS: String(BUDGET_MS) } });
  });
  afterAll(() => t.close());

  it('answers PENDING_EXTERNAL_APPROVAL within the budget when the provider hangs, and queues it for review', async () => {
    provider.setScript(hang);
    const request = body();
    const started = performance.now();

    const call = await postValidate(t.baseUrl, request);

    const elapsed = performance.now() - started;
    expect(call).toMatchObject({
      status: 200,
      body: { status: 'PENDING_EXTERNAL_APPROVAL', reasons: [`Monitoring provider "scripted" did not answer within ${BUDGET_MS} ms; held for manual review`] },
    });
    expect(elapsed).toBeGreaterThanOrEqual(BUDGET_MS - 5);
    expect(elapsed).toBeLessThan(BUDGET_MS + 2_000);
    const [row] = await t.db.query('SELECT state, screening_outcome, provider_status FROM transactions WHERE id = $1', [request.transactionId]);
    expect(row).toEqual({ state: 'PENDING_EXTERNAL_APPROVAL', screening_outcome: 'TIMEOUT', provider_status: null });
    const history = await t.db.query('SELECT status, source FROM transaction_decisions WHERE transaction_id = $1', [request.transactionId]);
    expect(history).toEqual([{ status: 'PENDING_EXTERNAL_APPROVAL', source: 'FALLBACK' }]);
  });

  it('answers the fallback at once when the provider throws, and keeps the error for operators', async () => {
    provider.setScript(async () => {
      throw new Error('vendor answered 502');
    });
    const request = body();

    const call = await postValidate(t.baseUrl, request);

    // "failed", not "did not answer within": the budget was not waited out, as the call's own duration shows.
    expect(call.body).toMatchObject({ status: 'PENDING_EXTERNAL_APPROVAL', reasons: ['Monitoring provider "scripted" failed; held for manual review'] });
    const [row] = await t.db.query<{ screening_outcome: string; screening_error: string; screening_ms: number }>('SELECT screening_outcome, screening_error, screening_ms FROM transactions WHERE id = $1', [request.transactionId]);
    expect(row).toEqual({ screening_outcome: 'ERROR', screening_error: 'vendor answered 502', screening_ms: expect.any(Number) });
    expect(row!.screening_ms).toBeLessThan(BUDGET_MS);
  });

  it('answers a repeat of a fallen-back transaction with the same status, without asking again', async () => {
    provider.setScript(async () => {
      throw new Error('down');
    });
    const request = body();
    await postValidate(t.server, request);
    const callsBefore = provider.calls.length;
    provider.setScript(async () => ({ status: 'APPROVED', reasons: [] }));

    await expect(postValidate(t.server, request)).resolves.toMatchObject({ body: { status: 'PENDING_EXTERNAL_APPROVAL' } });
    expect(provider.calls.length).toBe(callsBefore);
  });
});

describe('validate with FALLBACK_STATUS=REJECTED', () => {
  let t: TestApp;
  afterAll(() => t.close());

  it('rejects within the budget when the provider hangs', async () => {
    t = await startTestApp({ monitoringProvider: ScriptedMonitoringProvider.hanging(), env: { DECISION_TIMEOUT_MS: '150', FALLBACK_STATUS: 'REJECTED' } });
    const call = await postValidate(t.server, body());
    expect(call.body).toMatchObject({ status: 'REJECTED', reasons: ['Monitoring provider "scripted" did not answer within 150 ms; rejected by the fallback policy, and held for review'] });
  });
});

describe('two replicas on one database', () => {
  let db: TestDatabase;
  let replicas: TestApp[];
  const provider = ScriptedMonitoringProvider.answering({ status: 'PENDING_EXTERNAL_APPROVAL', reasons: ['slow vendor'] }, 150);

  beforeAll(async () => {
    db = await createTestDatabase();
    replicas = [await startTestApp({ db, monitoringProvider: provider }), await startTestApp({ db, monitoringProvider: provider })];
  });
  afterAll(async () => {
    for (const replica of replicas) await replica.close();
    await db.drop();
  });

  it('screens an identical request sent to both at the same instant once, and both answer alike', async () => {
    const request = body();
    const [a, b] = await Promise.all(replicas.map((replica) => postValidate(replica.server, request)));

    expect(a).toMatchObject({ status: 200, body: { status: 'PENDING_EXTERNAL_APPROVAL', reasons: ['slow vendor'] } });
    expect(b).toEqual(a);
    expect(provider.calls.filter((call) => call.id === request.transactionId)).toHaveLength(1);
    await expect(db.query('SELECT id FROM transaction_decisions WHERE transaction_id = $1', [request.transactionId])).resolves.toHaveLength(1);
  });

  it('refuses on the second replica a different amount under an id the first is still screening', async () => {
    const request = body();
    const first = postValidate(replicas[0]!.baseUrl, request);
    // The first replica has claimed it (its provider takes 150 ms) before the second is asked.
    await eventually('the first replica to claim the id', async () => (await db.query('SELECT 1 FROM transactions WHERE id = $1', [request.transactionId])).length === 1, 5_000, 5);
    const second = await postValidate(replicas[1]!.baseUrl, { ...request, amount: '43.00' });
    expect((await first).status).toBe(200);
    expect(second.status).toBe(409);
  });
});

describe('shutting down', () => {
  it('finishes a request in flight and records it before closing the database', async () => {
    // The provider answers only once the app is closing its HTTP server: the request is surely in flight then.
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    const provider = new ScriptedMonitoringProvider(async () => {
      await answered;
      return { status: 'APPROVED', reasons: [] };
    });
    const t = await startTestApp({ monitoringProvider: provider });
    const request = body();
    const inFlight = postValidate(t.baseUrl, request);
    await eventually('the provider to be asked', async () => provider.calls.some((call) => call.id === request.transactionId), 5_000, 5);

    // The answer comes once the HTTP server begins to close, after every shutdown hook before it.
    const closeServer = t.server.close.bind(t.server);
    t.server.close = ((...args: Parameters<typeof closeServer>) => {
      answer();
      return closeServer(...args);
    }) as typeof closeServer;
    const closing = t.app.close();
    const [call] = await Promise.all([inFlight, closing]);

    expect(call).toMatchObject({ status: 200, body: { status: 'APPROVED' } });
    await expect(t.db.query('SELECT state FROM transactions WHERE id = $1', [request.transactionId])).resolves.toEqual([{ state: 'APPROVED' }]);
    await expect(fetch(`${t.baseUrl}/health/live`)).rejects.toThrow();
    await t.db.drop();
  });
});
