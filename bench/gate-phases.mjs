// The bench's phases about validate as a gate: a 20 ms engine, its breaker open, a stalled lock, 1 M stored transactions.
import { runOpenLoop } from './open-loop.mjs';

/** Engine phases run at this rate (the 500 req/s); BENCH_ENGINE_RATE overrides. */
export const ENGINE_RATE = Number(process.env.BENCH_ENGINE_RATE ?? 500);
export const ENGINE_DELAY_MS = 20;
const STALL_RATE = 200;
const STALL_LOCK_MS = 3_000;
const SEED_ROWS = Number(process.env.BENCH_SEED_ROWS ?? 1_000_000);
/** SEED_ROWS as the phase labels say it: "1 M", "10,000". */
export const SEED_ROWS_LABEL = SEED_ROWS % 1_000_000 === 0 ? `${SEED_ROWS / 1_000_000} M` : SEED_ROWS.toLocaleString('en');

/**
 * The fake engine asked directly, then validate through a service with MONITORING_PROVIDER=http in
 * front of it, then with the engine hanging and the breaker open. `bench` gives the helpers of bench.mjs.
 */
export async function enginePhases(bench, database) {
  const { startServer, waitUntilReady, phase, coldStart, log, fakeEngineScript, mainScript, API_KEY } = bench;
  const engine = await startServer('engine', fakeEngineScript, { FAKE_DELAY_MS: String(ENGINE_DELAY_MS) });
  const service = await startServer('service-http', mainScript, {
    DATABASE_URL: database.url,
    TOQIO_API_KEY: API_KEY,
    NODE_ENV: 'development',
    MONITORING_PROVIDER: 'http',
    MONITORING_HTTP_URL: `${engine.baseUrl}/screen`,
    MONITORING_HTTP_AUTH_VALUE: 'Bearer bench',
    PROVIDER_BREAKER_THRESHOLD: '5',
    PROVIDER_BREAKER_HALF_OPEN_MS: '600000',
    LOG_LEVEL: 'warn',
  });
  await waitUntilReady(service);
  // Both fresh processes get their first seconds before being measured, as in bench.mjs (the engine's, unreported,
  // through the service's: validate's calls warm it).
  const cold = await coldStart(service, `service-http cold start@${ENGINE_RATE}`, ENGINE_RATE);
  const direct = await phase(engine, `engine ${ENGINE_DELAY_MS} ms direct@${ENGINE_RATE}`, { durationS: bench.durationS, rate: ENGINE_RATE });
  const through = await phase(service, `validate via engine@${ENGINE_RATE}`, { durationS: bench.durationS, rate: ENGINE_RATE });

  await bench.stopServer(engine);
  await startServer('engine-hanging', fakeEngineScript, { FAKE_MODE: 'hang' }, engine.port);
  // Five timeouts at the engine open the breaker (PROVIDER_BREAKER_THRESHOLD); it stays open for 10 minutes.
  await Promise.all(Array.from({ length: 5 }, () => bench.post(service, JSON.stringify(bench.nextTransaction()))));
  const health = await (await fetch(`${service.baseUrl}/health/ready`)).json();
  const breaker = health.details?.monitoring?.providers?.[0]?.breaker;
  log(`engine hanging: breaker ${breaker}`);
  const open = await phase(service, `validate, breaker ${breaker}@${ENGINE_RATE}`, { durationS: bench.durationS, rate: ENGINE_RATE });
  open.breaker = breaker;
  service.peakRss = bench.peakRssMiB(service.child.pid);
  return { cold, direct, through, open, service };
}

/**
 * LOCK TABLE transactions held for STALL_LOCK_MS while validate is driven open loop at STALL_RATE:
 * the slowest answer against the deadline, how many answered 503, and afterwards whether every 200
 * is stored and no transaction stays SCREENING (the stale-claim sweeper resolves what the lock stranded).
 */
export async function stalledLockPhase(bench, service, database, deadlineMs) {
  const { withClient, log, API_KEY } = bench;
  const outcomes = new Map();
  let latest = 0;
  const locker = new (await import('pg')).default.Client({ connectionString: database.url });
  await locker.connect();
  const lockRun = (async () => {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE transactions IN ACCESS EXCLUSIVE MODE');
    await new Promise((resolve) => setTimeout(resolve, STALL_LOCK_MS));
    await locker.query('COMMIT');
  })();
  const result = await runOpenLoop({
    baseUrl: service.baseUrl,
    path: '/transaction/validate',
    headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
    nextBody: () => JSON.stringify(bench.nextTransaction()),
    rate: STALL_RATE,
    durationS: Math.ceil((STALL_LOCK_MS + 3_000) / 1000),
    warmupS: 0,
    onAnswer: (body, status, ms) => {
      outcomes.set(JSON.parse(body).transactionId, status);
      latest = Math.max(latest, ms);
    },
  });
  await lockRun;
  await locker.end();
  const ids = [...outcomes.keys()];
  const answered200 = ids.filter((id) => outcomes.get(id) === 200);
  const started = Date.now();
  let screening = Infinity;
  while (Date.now() - started < 30_000) {
    screening = await withClient(database.url, async (client) => (await client.query(`SELECT count(*)::int AS n FROM transactions WHERE state = 'SCREENING' AND id = ANY($1)`, [ids])).rows[0].n);
    if (screening === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const stored = await withClient(database.url, async (client) => (await client.query(`SELECT count(*)::int AS n FROM transactions WHERE id = ANY($1) AND state <> 'SCREENING'`, [answered200])).rows[0].n);
  const figures = {
    sent: result.sent,
    statuses: result.statusCodes,
    unanswered: result.timeouts + result.socketErrors,
    maxMs: latest,
    p99: result.latency.p99,
    // Latencies count from each request's intended send: a late load generator adds its delay to them.
    sendsLateMaxMs: Math.round(result.senderLateness.max),
    deadlineMs,
    lost: answered200.length - stored,
    screeningAfter: screening,
    resolvedInMs: Date.now() - started,
  };
  log(`stalled lock: ${JSON.stringify(figures)}`);
  return figures;
}

/**
 * Stores SEED_ROWS transactions with one INSERT ... SELECT, the last hour of traffic over `bench.accounts`
 * source accounts (the traffic's own spread; 5,000 where the caller names none, as bench:profile's traffic).
 */
export async function seedTransactions(bench, database, rows = SEED_ROWS) {
  const accounts = bench.accounts ?? 5_000;
  const started = Date.now();
  // Its own client: bench.mjs's allows a query 30 s, and a million rows can take longer on a busy machine.
  const client = new (await import('pg')).default.Client({ connectionString: database.url });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO transactions (id, direction, state, amount, currency, source_account_id, customer_id, payload, reasons, provider,
                                 screening_outcome, received_at, claimed_at, screened_at)
       SELECT 'seed-' || g, 'OUTBOUND', 'APPROVED', (g % 20000) + 1, 'GBP', 'acc-' || (g % $2::int), 'cust-' || (g % 2000),
              jsonb_build_object('transactionId', 'seed-' || g), '[]'::jsonb, 'rules', 'DECIDED',
              now() - make_interval(secs => (g % 3600)::float8), now(), now()
         FROM generate_series(1, $1::int) AS g`,
      [rows, accounts],
    );
    await client.query('VACUUM (ANALYZE) transactions');
    // Writing a million rows fills max_wal_size: PostgreSQL then checkpoints in the background for
    // the next 20 to 30 s, through the phase measured after this, while the empty-table phase ran
    // with none (the 18:25 run of 1 December: p99 27.6 ms against 12.1). Checkpointing here
    // compares the table's size, not the seeding's after-effects.
    await client.query('CHECKPOINT').catch((error) => bench.log(`CHECKPOINT after seeding refused (${error.message}): the next phase may overlap one`));
  } finally {
    await client.end();
  }
  bench.log(`seeded ${rows} transactions in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return rows;
}
