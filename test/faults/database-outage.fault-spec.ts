// Fault (a): PostgreSQL stopped and started again under load; the service recovers by itself.
import { API_KEY, startTestApp, TestApp } from '../support/test-app';
import { checkConsistency, countBy, percentile, query, report, retryUntilAnswered, sleep, validate, ValidateLoad } from './support/fault-kit';
import { OwnedPostgres } from './support/owned-postgres';

const CONCURRENCY = 16;
const DOWN_FOR_MS = 4_000;

describe('fault: the database stops and starts again under load', () => {
  const postgres = new OwnedPostgres();
  let t: TestApp;

  beforeAll(async () => {
    await postgres.start();
    t = await startTestApp({
      db: { url: postgres.url, query: (sql, params) => query(postgres.url, sql, params), drop: async () => undefined },
      // A short budget so that claims orphaned by the outage are taken over quickly when retried.
      env: { DECISION_TIMEOUT_MS: '500' },
    });
  });
  afterAll(async () => {
    await t?.close();
    await postgres.destroy();
  });

  it('answers 503 problem+json while down, goes unready, recovers without a restart, and leaves nothing half-written', async () => {
    const load = new ValidateLoad(() => t.baseUrl, API_KEY, 'outage');
    load.start(CONCURRENCY);
    await sleep(1_500);

    const stoppedAt = Date.now();
    await postgres.stopServer();
    // Requests sent while the stop was on its way could still be served: "while down" starts here.
    const downAt = Date.now();
    const readinessWhileDown: number[] = [];
    const downUntil = Date.now() + DOWN_FOR_MS;
    while (Date.now() < downUntil) {
      readinessWhileDown.push((await fetch(`${t.baseUrl}/health/ready`)).status);
      await sleep(250);
    }
    const liveWhileDown = (await fetch(`${t.baseUrl}/health/live`)).status;
    const restartedAt = Date.now();
    await postgres.startServer();

    // Recovery: the first new transaction answered 200 after the restart, same process.
    let recoveredAt = 0;
    for (let n = 0; recoveredAt === 0 && Date.now() - restartedAt < 30_000; n += 1) {
      const probe = await validate(t.baseUrl, API_KEY, { transactionId: `outage-probe-${n}`, amount: 10, currency: 'EUR' });
      if (probe.status === 200) recoveredAt = Date.now();
      else await sleep(100);
    }
    expect(recoveredAt).toBeGreaterThan(0);
    await sleep(1_500);
    await load.stop();
    const readyAfter = (await fetch(`${t.baseUrl}/health/ready`)).status;

    const answers = load.answers;
    const during = answers.filter((a) => a.at >= downAt && a.at + a.ms <= restartedAt);
    const failed = answers.filter((a) => a.status !== 200);
    // Every failure is the service saying it is unwell, as problem+json with Retry-After; no 500, no 4xx.
    const badFailures = failed.filter((a) => a.status !== 503 || !a.contentType.startsWith('application/problem+json') || !a.retryAfter);
    expect(badFailures.slice(0, 5)).toEqual([]);
    expect(during.length).toBeGreaterThan(0);
    expect(during.filter((a) => a.status !== 503).slice(0, 5)).toEqual([]);
    expect(readinessWhileDown.slice(1).every((status) => status === 503)).toBe(true);
    expect(liveWhileDown).toBe(200);
    expect(readyAfter).toBe(200);

    // What was answered 200 is stored with the answered status.
    const ok = answers.filter((a) => a.status === 200);
    const stored = new Map(
      (await query<{ id: string; state: string }>(postgres.url, `SELECT id, state FROM transactions WHERE id = ANY($1)`, [ok.map((a) => a.id)])).map((r) => [r.id, r.state]),
    );
    const lost = ok.filter((a) => stored.get(a.id) !== a.body.status);
    expect(lost).toEqual([]);

    // Toqio retries what failed: each gets a definite answer, screened once.
    const retryRounds = await retryUntilAnswered(t.baseUrl, API_KEY, failed, load.bodies);

    const consistency = await checkConsistency(postgres.url);
    expect(consistency.problems).toEqual([]);
    expect(consistency.byState.SCREENING ?? 0).toBe(0);

    report('database-outage', {
      requests: answers.length,
      answered200: ok.length,
      answeredWhileDown: during.length,
      statuses: countBy(answers, (a) => a.status),
      failureP99Ms: percentile(failed.map((a) => a.ms), 99),
      readinessWhileDown: countBy(readinessWhileDown, (s) => s),
      downMs: restartedAt - stoppedAt,
      recoveryMsAfterRestart: recoveredAt - restartedAt,
      retriedByToqio: failed.length,
      retryRounds,
      lost200: lost.length,
      stored: consistency.transactions,
      byState: consistency.byState,
      halfWritten: consistency.problems.length,
    });
  });
});
