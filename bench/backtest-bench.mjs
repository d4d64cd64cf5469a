// Benchmark of rule-set backtests (`npm run bench:backtest`): POST /rules/backtest over 1 M stored transactions, timed to DONE.
//
// What it does, in order:
//   1. Creates a fresh database backtest_bench_<time> on DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test)
//      and starts the built service (node dist/main.js) on it, which applies the migrations and stores
//      the shipped rule set as version 1.
//   2. Seeds BACKTEST_BENCH_TRANSACTIONS (1,000,000) transactions spread over today's first hours (UTC),
//      each with its first decision (what validate answered) as version 1 would have: 5,000 source
//      accounts, 2,000 customers, an IBAN for half of them, amounts up to 20,000 (about half at or above
//      10,000, held); one INSERT ... SELECT each over generate_series, then ANALYZE.
//   3. Starts a backtest of a candidate (the shipped rules with the review threshold at 5,000, a tighter
//      velocity rule and a daily sum per customer) over the seeded range, polls GET /rules/backtest/{id}
//      every 250 ms and reports the time from the 202 to DONE, transactions per second, the job's own
//      start to finish, and the result's counts.
//   4. Prints the figures with the load average, checks them against the target (under 60 s) and always
//      cleans up: stops the service, drops the database.
// Exit code 0 unless something failed; a missed target is reported as FAIL but does not change it.
// Environment: DATABASE_URL, BACKTEST_BENCH_TRANSACTIONS (1000000), BACKTEST_BENCH_SERVICE_LOG=1 (the service's output on stderr).
import pg from 'pg';
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { cleanups as createCleanups, createBenchDatabase, startService, stopService } from './service.mjs';

const ADMIN_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const COUNT = Number(process.env.BACKTEST_BENCH_TRANSACTIONS || 1_000_000);
const TOKEN = 'backtest-bench-token-0123456789';
const TARGET_S = 60;

const cleanups = createCleanups('backtest-bench', 1_800_000);
const log = (message) => console.log(`[backtest-bench] ${message}`);
const load = () => loadavg().map((figure) => figure.toFixed(2)).join(' ');

// Today's first hours: the daily reconciliation of yesterday has nothing to read, and nothing competes.
const today = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate()));
const SPAN_S = 6 * 3600;

/** $1 the count, $2 the start; transaction i arrives at start + i × (span / count). */
const SEED = [
  `INSERT INTO transactions (id, direction, state, amount, currency, source_account_id, customer_id, beneficiary, payload, reasons, provider,
                             screening_outcome, provider_status, rule_set_version, received_at, claimed_at, screened_at, updated_at)
   SELECT 'bt-' || i, 'OUTBOUND', s.status, s.amount, 'GBP', 'acc-' || (i % 5000), 'cust-' || (i % 2000),
          CASE WHEN i % 2 = 0 THEN jsonb_build_object('name', 'Payee ' || (i % 9000), 'iban', 'GB' || lpad((i % 97)::text, 2, '0') || 'BANK' || lpad((i % 100000)::text, 14, '0'), 'country', 'GB')
               ELSE jsonb_build_object('name', 'Payee ' || (i % 9000), 'country', 'GB') END,
          '{}', '[]', 'rules', 'DECIDED', s.status, 1, at, at, at, at
     FROM generate_series(1, $1::int) AS i,
          LATERAL (SELECT $2::timestamptz + (i * (${SPAN_S}.0 / $1)) * interval '1 second' AS at) t,
          LATERAL (SELECT ((i::bigint * 7919) % 2000000) / 100.0 + 1 AS amount) a,
          LATERAL (SELECT a.amount, CASE WHEN a.amount >= 10000 THEN 'PENDING_EXTERNAL_APPROVAL' ELSE 'APPROVED' END AS status) s`,
  `INSERT INTO transaction_decisions (transaction_id, sequence, status, final, source, decided_by, reasons, decided_at, prev_hash, hash)
   SELECT id, 1, state, state <> 'PENDING_EXTERNAL_APPROVAL', 'PROVIDER', 'rules', '[]', received_at, 'bench', 'bench' FROM transactions`,
];

const CANDIDATE = `
rules:
  - { id: sanctioned-beneficiary-country, type: beneficiary-country, countries: [KP, IR, CU, SY], status: REJECTED, reason: "Country {country}" }
  - { id: large-amount, type: amount-at-least, threshold: "5000", status: PENDING_EXTERNAL_APPROVAL, reason: "Amount {amount} {currency}" }
  - { id: source-account-velocity, type: velocity, maxTransactions: 5, windowSeconds: 60, status: PENDING_EXTERNAL_APPROVAL, reason: "{count} in {windowSeconds} s" }
  - { id: customer-daily-sum, type: aggregate, function: sum, groupBy: customerId, windowSeconds: 86400, currency: GBP, above: "500000", status: PENDING_EXTERNAL_APPROVAL, reason: "{value} in a day" }
`;

async function call(baseUrl, method, path, body) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await response.json();
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json).slice(0, 500)}`);
  return json;
}

async function main() {
  const database = await createBenchDatabase(ADMIN_URL, 'backtest_bench', cleanups);
  const env = { NODE_ENV: 'test', DATABASE_URL: database.url, TOQIO_API_KEY: 'backtest-bench-key-0123456789', ANALYST_TOKENS: `bench:${TOKEN}:admin`, LOG_LEVEL: 'info' };
  const service = await startService(env, { echo: process.env.BACKTEST_BENCH_SERVICE_LOG === '1', startTimeoutMs: 180_000 });
  cleanups.push(() => stopService(service));
  log(`service up on ${database.name}; seeding ${COUNT.toLocaleString('en')} transactions (load ${load()})`);

  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  cleanups.push(() => db.end());
  const seedStarted = Date.now();
  for (const statement of SEED) await db.query(statement, statement.includes('$1') ? [COUNT, today] : []);
  await db.query('ANALYZE');
  log(`seeded in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s (load ${load()})`);

  const from = today.toISOString();
  const to = new Date(today.getTime() + (SPAN_S + 1) * 1000).toISOString();
  const started = Date.now();
  const job = await call(service.baseUrl, 'POST', '/rules/backtest', { ruleSet: CANDIDATE, from, to });
  let state = job;
  let lastLogged = 0;
  while (state.state === 'QUEUED' || state.state === 'RUNNING') {
    await sleep(250);
    state = await call(service.baseUrl, 'GET', `/rules/backtest/${job.id}`);
    if (Date.now() - lastLogged > 10_000) {
      lastLogged = Date.now();
      log(`${state.state}: ${state.processed.toLocaleString('en')} of ${(state.total ?? 0).toLocaleString('en')} (load ${load()})`);
    }
  }
  const seconds = (Date.now() - started) / 1000;
  if (state.state !== 'DONE') throw new Error(`the backtest ended ${state.state}: ${state.error}`);
  const own = (new Date(state.finishedAt).getTime() - new Date(state.startedAt).getTime()) / 1000;
  const result = state.result;

  console.log('');
  console.log(`| measure (${COUNT.toLocaleString('en')} transactions) | figure |`);
  console.log('|---|---|');
  console.log(`| 202 to DONE, polled every 250 ms | ${seconds.toFixed(1)} s |`);
  console.log(`| the job, start to finish | ${own.toFixed(1)} s |`);
  console.log(`| transactions per second | ${Math.round(result.transactions / own).toLocaleString('en')} |`);
  console.log(`| screened, skipped, changed | ${result.transactions}, ${result.skipped}, ${result.changed} |`);
  console.log(`statuses (answered → candidate): ${JSON.stringify(result.statuses)}`);
  console.log(`rules fired: ${JSON.stringify(result.rulesFired)}; samples: ${result.samples.length}`);
  console.log(`load average at the end: ${load()}`);
  console.log(`${seconds < TARGET_S ? 'PASS' : 'FAIL'}: backtest over ${COUNT.toLocaleString('en')} transactions in ${seconds.toFixed(1)} s (target under ${TARGET_S} s)`);
}

main()
  .then(() => cleanups.run(), async (error) => {
    console.error(`[backtest-bench] ${error.stack ?? error}`);
    await cleanups.run();
    process.exitCode = 1;
  });
