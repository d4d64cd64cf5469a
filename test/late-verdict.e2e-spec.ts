// Late verdicts: a provider that failed at validate is asked again in the background, and its answer applied.
import { randomUUID } from 'node:crypto';
import { FakeToqioWebhook } from './fakes/fake-toqio-webhook';
import { hang, Script, ScriptedMonitoringProvider } from './fakes/scripted-monitoring-provider';
import { analystCall, ANALYST_TOKENS, ANALYSTS, decide } from './support/analyst-api';
import { runAuditCli } from './support/audit-cli';
import { postValidate, startTestApp, TestApp } from './support/test-app';
import { sourceAccountCountIn } from './mothers/screening-context.mother';

const BUDGET_MS = 100;

/** Plays each transaction's own list of behaviours, one per call; approves once a list runs out. */
class PlannedProvider extends ScriptedMonitoringProvider {
  private readonly plans = new Map<string, Script[]>();

  constructor() {
    super();
    this.setScript((transaction, signal) => (this.plans.get(transaction.id)?.shift() ?? approve())(transaction, signal));
  }

  plan(transactionId: string, ...steps: Script[]): void {
    this.plans.set(transactionId, steps);
  }

  callsFor(transactionId: string): number {
    return this.calls.filter((call) => call.id === transactionId).length;
  }
}

const approve =
  (...reasons: string[]): Script =>
  async () => ({ status: 'APPROVED', reasons });
const reject =
  (...reasons: string[]): Script =>
  async () => ({ status: 'REJECTED', reasons });
const stillPending =
  (...reasons: string[]): Script =>
  async () => ({ status: 'PENDING_EXTERNAL_APPROVAL', reasons });
const fail =
  (message: string): Script =>
  async () => {
    throw new Error(message);
  };

/** A step that answers only when the test says so, and tells the test when it was asked. */
function gate(): { step: Script; asked: Promise<void>; answer: (script: Script) => void } {
  let markAsked!: () => void;
  let release!: (script: Script) => void;
  const asked = new Promise<void>((resolve) => (markAsked = resolve));
  const answer = new Promise<Script>((resolve) => (release = resolve));
  return {
    asked,
    answer: release,
    step: async (transaction, signal) => {
      markAsked();
      return (await answer)(transaction, signal);
    },
  };
}

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 8_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('late verdicts after the provider failed at validate (two replicas)', () => {
  const provider = new PlannedProvider();
  const toqio = new FakeToqioWebhook();
  let t: TestApp;
  let replica: TestApp;

  beforeAll(async () => {
    await toqio.start();
    const env = { ANALYST_TOKENS, TOQIO_WEBHOOK_URL: toqio.url, DECISION_TIMEOUT_MS: String(BUDGET_MS), NOTIFICATION_POLL_MS: '50' };
    t = await startTestApp({ monitoringProvider: provider, env });
    // Both replicas run the late-screening worker over the same queue.
    replica = await startTestApp({ monitoringProvider: provider, env, db: t.db });
  });
  afterAll(async () => {
    await replica.close();
    await t.close();
    await toqio.stop();
  });

  /**
   * Validates a transaction whose first screening falls back; `steps` are the provider's answers
   * from then on. Its retry is made due at once rather than after the usual first delay, which
   * only the first test waits out (fallenBackWaiting).
   */
  async function fallenBack(first: Script, ...steps: Script[]): Promise<string> {
    const transactionId = await fallenBackWaiting(first, ...steps);
    await dueNow(transactionId);
    return transactionId;
  }

  async function fallenBackWaiting(first: Script, ...steps: Script[]): Promise<string> {
    const transactionId = `late-${randomUUID()}`;
    provider.plan(transactionId, first, ...steps);
    const call = await postValidate(t.server, { transactionId, amount: '250.00', currency: 'EUR', sourceAccountId: 'acc-late', beneficiary: { country: 'FR' } });
    expect(call.body).toMatchObject({ status: 'PENDING_EXTERNAL_APPROVAL' });
    return transactionId;
  }

  const dueNow = (transactionId: string) =>
    t.db.query('UPDATE screening_retries SET next_attempt_at = clock_timestamp() WHERE transaction_id = $1', [transactionId]);

  const retryRow = async (transactionId: string) =>
    (await t.db.query<{ attempts: number; last_error: string | null; due: boolean }>(
      'SELECT attempts, last_error, next_attempt_at <= clock_timestamp() AS due FROM screening_retries WHERE transaction_id = $1',
      [transactionId],
    ))[0];
  const history = async (transactionId: string) =>
    t.db.query<{ status: string; final: boolean; source: string; decided_by: string; reasons: string[] }>(
      'SELECT status, final, source, decided_by, reasons FROM transaction_decisions WHERE transaction_id = $1 ORDER BY sequence',
      [transactionId],
    );
  const deliveriesOf = (transactionId: string) => toqio.received.filter((r) => r.body.transactionId === transactionId);

  it("applies a late approval after a timeout as the provider's decision, and delivers it to Toqio once", async () => {
    const transactionId = await fallenBackWaiting(hang, approve('Vendor cleared it on the second look'));

    await toqio.waitFor(() => deliveriesOf(transactionId).length > 0, 8_000);

    expect(deliveriesOf(transactionId).map((r) => r.body)).toEqual([
      { transactionId, status: 'APPROVED', reason: 'Vendor cleared it on the second look', decidedBy: 'scripted', decidedAt: expect.any(String) },
    ]);
    expect(await history(transactionId)).toEqual([
      expect.objectContaining({ status: 'PENDING_EXTERNAL_APPROVAL', final: false, source: 'FALLBACK', decided_by: 'scripted' }),
      { status: 'APPROVED', final: true, source: 'PROVIDER', decided_by: 'scripted', reasons: ['Vendor cleared it on the second look'] },
    ]);
    await until('the retry is finished', async () => (await retryRow(transactionId)) === undefined);
    const detail = await analystCall(t.server, 'GET', `/transactions/${transactionId}`, { token: ANALYSTS.alice });
    expect(detail.body).toMatchObject({ status: 'APPROVED', review: { decidedAt: expect.any(String) } });
    // Asked at validate and once more: never twice by the two replicas.
    expect(provider.callsFor(transactionId)).toBe(2);
    // The late call sees the transaction and its activity as at validate.
    const calls = provider.calls.map((call, index) => ({ call, context: provider.contexts[index]! })).filter(({ call }) => call.id === transactionId);
    expect(calls[1]!.call).toMatchObject({ id: transactionId, sourceAccountId: 'acc-late', beneficiary: { country: 'FR' } });
    expect(calls[1]!.call.money.toString()).toBe(calls[0]!.call.money.toString());
    expect(sourceAccountCountIn(calls[1]!.context, 60)).toBeGreaterThanOrEqual(1);
  });

  it('applies a late rejection after the provider threw at validate', async () => {
    const transactionId = await fallenBack(fail('vendor answered 502'), reject('Sanctions list hit'));

    await toqio.waitFor(() => deliveriesOf(transactionId).length > 0, 8_000);

    expect(deliveriesOf(transactionId)[0]!.body).toMatchObject({ status: 'REJECTED', reason: 'Sanctions list hit', decidedBy: 'scripted' });
    const [{ state }] = await t.db.query<{ state: string }>('SELECT state FROM transactions WHERE id = $1', [transactionId]);
    expect(state).toBe('REJECTED');
  });

  it('notes a late PENDING verdict in the history, decides nothing, and stops asking', async () => {
    const transactionId = await fallenBack(hang, stillPending('Unusual counterparty; needs a human look'));

    const entries = await until('the late verdict is noted', async () => {
      const rows = await history(transactionId);
      return rows.length === 2 && rows;
    });

    expect(entries[1]).toEqual({ status: 'PENDING_EXTERNAL_APPROVAL', final: false, source: 'PROVIDER', decided_by: 'scripted', reasons: ['Unusual counterparty; needs a human look'] });
    await until('the retry is finished', async () => (await retryRow(transactionId)) === undefined);
    const [row] = await t.db.query<{ state: string; notifications: number }>(
      'SELECT state, (SELECT count(*)::int FROM toqio_notifications WHERE transaction_id = $1) AS notifications FROM transactions WHERE id = $1',
      [transactionId],
    );
    expect(row).toEqual({ state: 'PENDING_EXTERNAL_APPROVAL', notifications: 0 });
    // Analysts see the provider's reasons and can still decide.
    const detail = await analystCall(t.server, 'GET', `/transactions/${transactionId}`, { token: ANALYSTS.bob });
    expect(detail.body.decisions.map((d: { source: string; final: boolean }) => [d.source, d.final])).toEqual([
      ['FALLBACK', false],
      ['PROVIDER', false],
    ]);
    expect((await decide(t.server, transactionId, 'bob', 'APPROVED')).status).toBe(200);
    expect(provider.callsFor(transactionId)).toBe(2);
  });

  it('records the rule-set version that gave a late verdict, final or still pending, as validate records its own', async () => {
    const versioned =
      (status: 'REJECTED' | 'PENDING_EXTERNAL_APPROVAL', ruleSetVersion: number): Script =>
      async () => ({ status, reasons: [`by version ${ruleSetVersion}`], ruleSetVersion });
    const versionOf = async (transactionId: string) => (await t.db.query<{ rule_set_version: number | null }>('SELECT rule_set_version FROM transactions WHERE id = $1', [transactionId]))[0]?.rule_set_version;
    const rejected = await fallenBack(hang, versioned('REJECTED', 3));
    const pending = await fallenBack(hang, versioned('PENDING_EXTERNAL_APPROVAL', 4));
    await until('both late verdicts are applied', async () => (await retryRow(rejected)) === undefined && (await retryRow(pending)) === undefined);
    expect(await versionOf(rejected)).toBe(3);
    expect(await versionOf(pending)).toBe(4);
    const detail = await analystCall(t.server, 'GET', `/transactions/${rejected}`, { token: ANALYSTS.alice });
    expect(detail.body.screening).toMatchObject({ ruleSetVersion: 3 });
  });

  it('drops the late screening of a transaction an analyst decided first, without asking the provider', async () => {
    const transactionId = await fallenBackWaiting(hang, approve('too late'));

    expect((await decide(t.server, transactionId, 'alice', 'REJECTED', 'Decided while the vendor was down')).status).toBe(200);
    await dueNow(transactionId);

    await until('the retry is dropped', async () => (await retryRow(transactionId)) === undefined);
    await toqio.waitFor(() => deliveriesOf(transactionId).length > 0);
    expect(provider.callsFor(transactionId)).toBe(1);
    expect((await history(transactionId)).map((e) => [e.status, e.source, e.decided_by])).toEqual([
      ['PENDING_EXTERNAL_APPROVAL', 'FALLBACK', 'scripted'],
      ['REJECTED', 'ANALYST', 'alice'],
    ]);
    expect(deliveriesOf(transactionId).map((r) => r.body)).toEqual([expect.objectContaining({ status: 'REJECTED', decidedBy: 'alice' })]);
  });

  it('makes a late verdict that arrives after an analyst decided a no-op', async () => {
    const late = gate();
    const transactionId = await fallenBack(hang, late.step);
    await late.asked;

    expect((await decide(t.server, transactionId, 'carol', 'REJECTED', 'Could not wait for the vendor')).status).toBe(200);
    late.answer(approve('Vendor approves, too late'));

    await until('the retry is finished', async () => (await retryRow(transactionId)) === undefined);
    await toqio.waitFor(() => deliveriesOf(transactionId).length > 0);
    await new Promise((resolve) => setTimeout(resolve, 300)); // room for a wrong second notification
    expect((await history(transactionId)).map((e) => [e.status, e.source, e.decided_by])).toEqual([
      ['PENDING_EXTERNAL_APPROVAL', 'FALLBACK', 'scripted'],
      ['REJECTED', 'ANALYST', 'carol'],
    ]);
    expect(deliveriesOf(transactionId).map((r) => r.body)).toEqual([expect.objectContaining({ status: 'REJECTED', decidedBy: 'carol' })]);
  });

  it('reschedules with backoff when the provider fails again, then applies its verdict', async () => {
    const transactionId = await fallenBack(hang, fail('vendor answered 503'), approve('Third time lucky'));

    const failed = await until('the late screening failed once', async () => {
      const row = await retryRow(transactionId);
      return row?.last_error !== null && row;
    });
    expect(failed).toEqual({ attempts: 1, last_error: 'vendor answered 503', due: false });
    expect(await history(transactionId)).toHaveLength(1);

    // Skip the rest of the backoff rather than wait it out.
    await t.db.query('UPDATE screening_retries SET next_attempt_at = clock_timestamp() WHERE transaction_id = $1', [transactionId]);

    await toqio.waitFor(() => deliveriesOf(transactionId).length > 0, 8_000);
    expect(deliveriesOf(transactionId)[0]!.body).toMatchObject({ status: 'APPROVED', reason: 'Third time lucky', decidedBy: 'scripted' });
    await until('the retry is finished', async () => (await retryRow(transactionId)) === undefined);
    expect(provider.callsFor(transactionId)).toBe(3);
  });

  it('keeps retrying after an unusable late verdict', async () => {
    const transactionId = await fallenBack(hang, (async () => ({ status: 'MAYBE', reasons: [] })) as unknown as Script);

    const failed = await until('the unusable verdict is noted', async () => {
      const row = await retryRow(transactionId);
      return row?.last_error !== null && row;
    });

    expect(failed).toMatchObject({ attempts: 1, last_error: expect.stringContaining('unusable verdict') });
    expect(await history(transactionId)).toHaveLength(1);
  });
});

describe('late verdicts with FALLBACK_STATUS=REJECTED', () => {
  const provider = new PlannedProvider();
  const toqio = new FakeToqioWebhook();
  let t: TestApp;
  beforeAll(async () => {
    await toqio.start();
    t = await startTestApp({
      monitoringProvider: provider,
      env: { ANALYST_TOKENS, TOQIO_WEBHOOK_URL: toqio.url, DECISION_TIMEOUT_MS: String(BUDGET_MS), FALLBACK_STATUS: 'REJECTED', NOTIFICATION_POLL_MS: '50' },
    });
  });
  afterAll(async () => {
    await t.close();
    await toqio.stop();
  });

  // The contract: the answer is FALLBACK_STATUS in time; the transaction is then treated as pending review.
  it('answers REJECTED in time, then holds the transaction for review, and a late approval decides it and tells Toqio', async () => {
    const transactionId = `late-${randomUUID()}`;
    provider.plan(transactionId, hang, approve('cleared on the second look'));

    const call = await postValidate(t.server, { transactionId, amount: '250.00', currency: 'EUR' });
    expect(call.body).toMatchObject({ status: 'REJECTED', reasons: [expect.stringContaining('rejected by the fallback policy')] });
    const queue = await analystCall(t.server, 'GET', '/transactions?status=PENDING_EXTERNAL_APPROVAL&limit=100', { token: ANALYSTS.alice });
    expect(queue.body.items.map((item: { transactionId: string }) => item.transactionId)).toContain(transactionId);
    // A repeat gets the transaction's current status: pending review.
    expect((await postValidate(t.server, { transactionId, amount: '250.00', currency: 'EUR' })).body).toMatchObject({ status: 'PENDING_EXTERNAL_APPROVAL' });

    await t.db.query('UPDATE screening_retries SET next_attempt_at = clock_timestamp() WHERE transaction_id = $1', [transactionId]);
    await toqio.waitFor(() => toqio.received.some((r) => r.body.transactionId === transactionId), 8_000);
    expect(toqio.received.filter((r) => r.body.transactionId === transactionId).map((r) => r.body)).toEqual([
      { transactionId, status: 'APPROVED', reason: 'cleared on the second look', decidedBy: 'scripted', decidedAt: expect.any(String) },
    ]);
    const entries = await t.db.query('SELECT status, final, source FROM transaction_decisions WHERE transaction_id = $1 ORDER BY sequence', [transactionId]);
    expect(entries).toEqual([
      { status: 'REJECTED', final: false, source: 'FALLBACK' },
      { status: 'APPROVED', final: true, source: 'PROVIDER' },
    ]);
  });

  it('lets an analyst decide it while the provider still fails', async () => {
    const transactionId = `late-${randomUUID()}`;
    provider.plan(transactionId, hang, hang);
    expect((await postValidate(t.server, { transactionId, amount: '250.00', currency: 'EUR' })).body).toMatchObject({ status: 'REJECTED' });
    expect((await decide(t.server, transactionId, 'alice', 'REJECTED')).status).toBe(200);
    await toqio.waitFor(() => toqio.received.some((r) => r.body.transactionId === transactionId), 8_000);
    expect(toqio.received.find((r) => r.body.transactionId === transactionId)!.body).toMatchObject({ status: 'REJECTED', decidedBy: 'alice' });
  });

  it('leaves decision chains that audit:verify finds intact: the answered REJECTED, not final, then the decision', async () => {
    const verified = await runAuditCli([], { DATABASE_URL: t.db.url });
    expect([verified.code, verified.stdout]).toEqual([0, expect.stringContaining('INTACT')]);
  });
});

describe('shutting down during a late screening', () => {
  const provider = new PlannedProvider();

  it('stops waiting on the provider and leaves the retry due for another replica', async () => {
    const t = await startTestApp({ monitoringProvider: provider, env: { DECISION_TIMEOUT_MS: String(BUDGET_MS), NOTIFICATION_POLL_MS: '50' } });
    let closed = false;
    try {
      const late = gate();
      const transactionId = `late-${randomUUID()}`;
      provider.plan(transactionId, hang, late.step);
      await postValidate(t.server, { transactionId, amount: '250.00', currency: 'EUR' });
      await t.db.query('UPDATE screening_retries SET next_attempt_at = clock_timestamp() WHERE transaction_id = $1', [transactionId]);
      await late.asked;

      // The late step never answers: closing must not wait for the provider's own time budget.
      const closing = t.app.close().then(() => (closed = true));
      const [row] = await until('the retry is released', async () => {
        const rows = await t.db.query<{ last_error: string | null; due: boolean }>(
          'SELECT last_error, next_attempt_at <= clock_timestamp() AS due FROM screening_retries WHERE transaction_id = $1',
          [transactionId],
        );
        return rows[0]?.last_error ? rows : undefined;
      }, 5_000);
      await closing;

      expect(row).toEqual({ last_error: expect.stringContaining('shut'), due: true });
      expect(closed).toBe(true);
    } finally {
      if (!closed) await t.app.close();
      await t.db.drop();
    }
  });
});
