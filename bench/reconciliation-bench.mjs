// Benchmark of reconciliation (`npm run bench:reconciliation`): GET /reconciliation over 1 M transactions and 1 M payment events.
//
// What it does, in order:
//   1. Creates a fresh database reconciliation_bench_<time> on DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test)
//      and starts the built service (node dist/main.js) on it, which applies the migrations.
//   2. Seeds yesterday's UTC day with RECON_BENCH_TRANSACTIONS (1,000,000) transactions and as many payment
//      events, each with one INSERT ... SELECT over generate_series: 85% outbound payments (90% approved,
//      3% rejected, 7% held), 15% inbound money; a transfer event and its payment for 49 outbound payments
//      in 50 (2% failed, 1% reversed, 0.5% for another amount), a charge event for each inbound one, and
//      transfers naming no transaction to make up the events to the same count. Then ANALYZE.
//   3. Times, through HTTP as an analyst would call it, for the whole day: the first page (200 rows, with
//      counts per class and totals per currency over the whole day), the page after it (cursor), the
//      first page as CSV, and the first page of 1,000 rows; each three times, the best and the worst
//      printed. Then the daily report: the stored one is deleted, the service restarted, and the time
//      until the day's report is stored again (the service's start included).
//   4. Prints the figures with the load average, checks every request against the target (each under
//      10 s at worst) and always cleans up: stops the service, drops the database.
// Exit code 0 unless something failed; a missed target is reported as FAIL but does not change it.
// Environment: DATABASE_URL, RECON_BENCH_TRANSACTIONS (1000000), RECON_BENCH_SERVICE_LOG=1 (the service's output on stderr).
import pg from 'pg';
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { cleanups as createCleanups, createBenchDatabase, startService, stopService } from './service.mjs';

const ADMIN_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const COUNT = Number(process.env.RECON_BENCH_TRANSACTIONS || 1_000_000);
const TOKEN = 'reconciliation-bench-token-0123456789';
const TARGET_S = 10;
const REPEATS = 3;

const cleanups = createCleanups('reconciliation-bench', 1_800_000);
const log = (message) => console.log(`[reconciliation-bench] ${message}`);
const load = () => loadavg().map((figure) => figure.toFixed(2)).join(' ');

const DAY_MS = 86_400_000;
const today = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate()));
const yesterday = new Date(today.getTime() - DAY_MS);
const from = yesterday.toISOString().slice(0, 10);
const to = today.toISOString().slice(0, 10);

/** One statement each; $1 the count, $2 the day's start. Transaction i arrives at day start + i × (1 day / count). */
const SEED = [
  `INSERT INTO transactions (id, direction, state, amount, currency, payload, received_at, claimed_at, screened_at, updated_at)
   SELECT 'bench-' || i,
          CASE WHEN i % 20 < 3 THEN 'INBOUND' ELSE 'OUTBOUND' END,
          CASE WHEN i % 100 < 90 THEN 'APPROVED' WHEN i % 100 < 93 THEN 'REJECTED' ELSE 'PENDING_EXTERNAL_APPROVAL' END,
          round(((i::bigint * 7919) % 10000000) / 100.0 + 1, 2),
          (ARRAY['NGN', 'GHS', 'KES', 'USD'])[i % 4 + 1],
          '{}', at, at, at, at
     FROM generate_series(1, $1::int) AS i, LATERAL (SELECT $2::timestamptz + (i * (86400.0 / $1)) * interval '1 second' AS at) t`,
  // A transfer event for 49 outbound payments in 50 (the 50th stays unsettled).
  `INSERT INTO payment_events (id, provider, event_type, dedupe_key, transaction_id, status, amount, currency, summary, payload, effect, outcome, received_at)
   SELECT md5('transfer-' || i)::uuid, 'paystack', e.name, e.name || ':TRF_' || i, 'bench-' || i, e.status,
          round(((i::bigint * 7919) % 10000000) / 100.0 + 1, 2) + CASE WHEN i % 200 = 7 THEN 1 ELSE 0 END,
          (ARRAY['NGN', 'GHS', 'KES', 'USD'])[i % 4 + 1], 'bench transfer', '{}',
          jsonb_build_object('kind', 'PAYMENT_PROGRESS', 'paymentKey', 'transfer:bench-' || i), 'APPLIED',
          $2::timestamptz + (i * (86400.0 / $1) + 60) * interval '1 second'
     FROM generate_series(1, $1::int) AS i,
          LATERAL (SELECT CASE WHEN i % 50 = 11 THEN 'transfer.failed' WHEN i % 100 = 13 THEN 'transfer.reversed' ELSE 'transfer.success' END AS name,
                          CASE WHEN i % 50 = 11 THEN 'failed' WHEN i % 100 = 13 THEN 'reversed' ELSE 'success' END AS status) e
    WHERE i % 20 >= 3 AND i % 50 <> 0`,
  `INSERT INTO payments (provider, payment_key, transaction_id, progress, provider_status, amount, currency, last_event_id, updated_at)
   SELECT 'paystack', 'transfer:' || transaction_id, transaction_id,
          CASE status WHEN 'failed' THEN 'FAILED' WHEN 'reversed' THEN 'REVERSED' ELSE 'SETTLED' END, status, amount, currency, id, received_at
     FROM payment_events WHERE event_type LIKE 'transfer.%'`,
  // A charge for each inbound transaction.
  `INSERT INTO payment_events (id, provider, event_type, dedupe_key, transaction_id, status, amount, currency, summary, payload, effect, outcome, received_at)
   SELECT md5('charge-' || i)::uuid, 'paystack', 'charge.success', 'charge.success:' || i, 'bench-' || i, 'success',
          round(((i::bigint * 7919) % 10000000) / 100.0 + 1, 2), (ARRAY['NGN', 'GHS', 'KES', 'USD'])[i % 4 + 1], 'bench charge', '{}',
          jsonb_build_object('kind', 'INBOUND_PAYMENT', 'transactionId', 'bench-' || i), 'FOLLOW_UP',
          $2::timestamptz + (i * (86400.0 / $1)) * interval '1 second'
     FROM generate_series(1, $1::int) AS i WHERE i % 20 < 3`,
];

/** Transfers naming no transaction, up to as many events as transactions; $1 how many, $2 the day's start. */
const SEED_UNLINKED = [
  `INSERT INTO payment_events (id, provider, event_type, dedupe_key, transaction_id, status, amount, currency, summary, payload, effect, outcome, received_at)
   SELECT md5('orphan-' || i)::uuid, 'paystack', 'transfer.success', 'transfer.success:TRF_orphan_' || i, NULL, 'success', 10 + i % 1000, 'NGN',
          'bench orphan', '{}', jsonb_build_object('kind', 'PAYMENT_PROGRESS', 'paymentKey', 'transfer:orphan-' || i), 'APPLIED',
          $2::timestamptz + (i * (86400.0 / greatest($1, 1))) * interval '1 second'
     FROM generate_series(1, $1::int) AS i`,
  `INSERT INTO payments (provider, payment_key, transaction_id, progress, provider_status, amount, currency, last_event_id, updated_at)
   SELECT 'paystack', 'transfer:orphan-' || substr(dedupe_key, length('transfer.success:TRF_orphan_') + 1), NULL, 'SETTLED', 'success', amount, currency, id, received_at
     FROM payment_events WHERE dedupe_key LIKE 'transfer.success:TRF_orphan_%'`,
];

async function timed(work) {
  const started = performance.now();
  const result = await work();
  return { seconds: (performance.now() - started) / 1000, result };
}

async function call(baseUrl, path, accept = 'application/json') {
  const response = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${TOKEN}`, accept } });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${text.slice(0, 500)}`);
  return { text, cursor: response.headers.get('x-next-cursor') };
}

async function main() {
  const database = await createBenchDatabase(ADMIN_URL, 'reconciliation_bench', cleanups);
  const env = { NODE_ENV: 'test', DATABASE_URL: database.url, TOQIO_API_KEY: 'reconciliation-bench-key-0123456789', ANALYST_TOKENS: `bench:${TOKEN}`, LOG_LEVEL: 'info' };
  const echo = process.env.RECON_BENCH_SERVICE_LOG === '1';
  let service = await startService(env, { echo, startTimeoutMs: 180_000 });
  cleanups.push(() => stopService(service));
  log(`service up on ${database.name}; seeding ${COUNT.toLocaleString('en')} transactions on ${from} (load ${load()})`);

  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  cleanups.push(() => db.end());
  const seeded = await timed(async () => {
    const run = (statement, values) => db.query(statement, statement.includes('$1') ? values : []);
    for (const statement of SEED) await run(statement, [COUNT, yesterday]);
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM payment_events`);
    const missing = Math.max(0, COUNT - rows[0].n);
    for (const statement of SEED_UNLINKED) await run(statement, [missing, yesterday]);
    await db.query('ANALYZE');
  });
  const { rows: counts } = await db.query(`SELECT (SELECT count(*) FROM transactions)::int AS transactions, (SELECT count(*) FROM payment_events)::int AS events, (SELECT count(*) FROM payments)::int AS payments`);
  log(`seeded in ${seeded.seconds.toFixed(1)} s: ${JSON.stringify(counts[0])} (load ${load()})`);

  const range = `from=${from}&to=${to}`;
  const phases = [
    ['first page (200 rows) with counts and totals', () => call(service.baseUrl, `/reconciliation?${range}`)],
    ['the page after it (cursor)', async () => {
      const first = JSON.parse((await call(service.baseUrl, `/reconciliation?${range}`)).text);
      return timed(() => call(service.baseUrl, `/reconciliation?${range}&cursor=${first.nextCursor}`)).then((inner) => ({ ...inner.result, innerSeconds: inner.seconds }));
    }],
    ['first page as CSV', () => call(service.baseUrl, `/reconciliation?${range}`, 'text/csv')],
    ['first page of 1,000 rows with counts and totals', () => call(service.baseUrl, `/reconciliation?${range}&limit=1000`)],
  ];
  const results = [];
  let summary;
  for (const [name, run] of phases) {
    const seconds = [];
    for (let i = 0; i < REPEATS; i += 1) {
      const { seconds: total, result } = await timed(run);
      seconds.push(result.innerSeconds ?? total);
      if (!summary && name.startsWith('first page (200')) summary = JSON.parse(result.text);
    }
    results.push({ name, best: Math.min(...seconds), worst: Math.max(...seconds) });
    log(`${name}: best ${Math.min(...seconds).toFixed(2)} s, worst ${Math.max(...seconds).toFixed(2)} s (load ${load()})`);
  }
  log(`counts per class: ${JSON.stringify(summary.counts)}`);
  log(`totals: ${JSON.stringify(summary.totals)}`);

  await db.query(`DELETE FROM reconciliation_reports`);
  await stopService(service);
  const daily = await timed(async () => {
    service = await startService(env, { echo, startTimeoutMs: 180_000 });
    for (;;) {
      const { rows } = await db.query(`SELECT 1 FROM reconciliation_reports WHERE day = $1::date`, [from]);
      if (rows.length > 0) return;
      await sleep(100);
    }
  });
  log(`daily report of ${from} stored ${daily.seconds.toFixed(2)} s after the service was started (load ${load()})`);

  console.log('');
  console.log(`| measure (${COUNT.toLocaleString('en')} transactions, ${counts[0].events.toLocaleString('en')} events) | best | worst |`);
  console.log('|---|---|---|');
  for (const { name, best, worst } of results) console.log(`| ${name} | ${best.toFixed(2)} s | ${worst.toFixed(2)} s |`);
  console.log(`| daily report, service start included | ${daily.seconds.toFixed(2)} s | |`);
  console.log(`load average at the end: ${load()}`);
  for (const { name, worst } of results) console.log(`${worst < TARGET_S ? 'PASS' : 'FAIL'}: ${name} in ${worst.toFixed(2)} s at worst (target under ${TARGET_S} s)`);
}

main()
  .then(() => cleanups.run(), async (error) => {
    console.error(`[reconciliation-bench] ${error.stack ?? error}`);
    await cleanups.run();
    process.exitCode = 1;
  });
