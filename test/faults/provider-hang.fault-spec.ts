// Fault (c): the monitoring provider hangs; every answer still arrives inside the decision budget.
import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ScriptedMonitoringProvider } from '../fakes/scripted-monitoring-provider';
import { API_KEY, startTestApp, TestApp } from '../support/test-app';
import { Answer, checkConsistency, countBy, percentile, report, validate } from './support/fault-kit';

const BUDGET_MS = 300;
const REQUESTS = 300;
const CONCURRENCY = 30;
/** What the service may add to the budget on a shared two-core machine: claim, record, HTTP. */
const OVERHEAD_MS = 700;
/**
 * The service runs in this test's process, after the suite's other scenarios: its heap is then a
 * few hundred MB and a full collection (or the machine descheduling the process) can stop it, the
 * client's clock running on, for most of a second (once in CI: one answer at 1,262 ms). Such
 * a stop is measured and allowed on top; anything else the service adds is not.
 */
const LOOP_RESOLUTION_MS = 10;

describe('fault: the provider hangs', () => {
  const provider = ScriptedMonitoringProvider.hanging();
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ monitoringProvider: provider, env: { DECISION_TIMEOUT_MS: String(BUDGET_MS) } });
  });
  afterAll(() => t.close());

  it(`answers the fallback within ${BUDGET_MS} ms plus overhead, aborts the provider, and records every one`, async () => {
    const ids = Array.from({ length: REQUESTS }, (_, n) => `hang-${randomUUID().slice(0, 8)}-${n}`);
    const answers: Answer[] = [];
    let next = 0;
    const pauses = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
    pauses.enable();
    const started = Date.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < ids.length) {
          const id = ids[next++]!;
          answers.push(await validate(t.baseUrl, API_KEY, { transactionId: id, amount: 50, currency: 'EUR' }));
        }
      }),
    );
    const wallMs = Date.now() - started;
    pauses.disable();
    const longestPauseMs = Math.max(0, pauses.max / 1e6 - LOOP_RESOLUTION_MS);

    expect(answers.map((a) => a.status)).toEqual(Array(REQUESTS).fill(200));
    expect(answers.every((a) => a.body.status === 'PENDING_EXTERNAL_APPROVAL' && /did not answer within 300 ms/.test(a.body.reasons[0]))).toBe(true);
    const latencies = answers.map((a) => a.ms);
    expect(Math.min(...latencies)).toBeGreaterThanOrEqual(BUDGET_MS - 5);
    expect(Math.max(...latencies)).toBeLessThan(BUDGET_MS + OVERHEAD_MS + longestPauseMs);
    // Every hung call was abandoned, not left running.
    expect(provider.abortedCalls).toHaveLength(REQUESTS);

    const consistency = await checkConsistency(t.db.url);
    expect(consistency.problems).toEqual([]);
    expect(consistency.byState).toEqual({ PENDING_EXTERNAL_APPROVAL: REQUESTS });
    const retries = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM screening_retries');
    const metrics = await (await fetch(`${t.baseUrl}/metrics`)).text();
    const fallbacks = Number(/^tm_decisions_total\{source="fallback",status="PENDING_EXTERNAL_APPROVAL"\} (\d+)$/m.exec(metrics)?.[1]);
    expect(fallbacks).toBe(REQUESTS);

    report('provider-hang', {
      requests: REQUESTS,
      concurrency: CONCURRENCY,
      budgetMs: BUDGET_MS,
      statuses: countBy(answers, (a) => a.status),
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      maxMs: Math.max(...latencies),
      wallMs,
      longestPauseMs: Math.round(longestPauseMs),
      providerCallsAborted: provider.abortedCalls.length,
      heldForReview: consistency.byState.PENDING_EXTERNAL_APPROVAL,
      queuedForLateScreening: retries[0]!.n,
      fallbackDecisionsMetric: fallbacks,
      halfWritten: consistency.problems.length,
    });
  });
});
