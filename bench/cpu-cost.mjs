// CPU spent per validate (`npm run bench:cpu`), in the service's process and in its PostgreSQL
// backends, next to the floor server's. Unlike latency, CPU time per request hardly depends on what
// else the machine runs, so this measures the hot path's cost even on a busy machine.
//
// Drives each server open loop at BENCH_CPU_RATE (default 400) req/s for BENCH_CPU_DURATION (default
// 10) s after a warm-up, and reads user+system time from /proc before and after: the server's
// process, and every backend connected to the bench database. Needs Linux and a PostgreSQL on this
// machine (DATABASE_URL, or the one on 127.0.0.1:5432).
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { runOpenLoop } from './open-loop.mjs';
import { cleanups, cpuMs, createBenchDatabase, startService, stopService } from './service.mjs';
import { spawn } from 'node:child_process';

const RATE = Number(process.env.BENCH_CPU_RATE ?? 400);
const DURATION_S = Number(process.env.BENCH_CPU_DURATION ?? 10);
const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const API_KEY = 'bench-key-0123456789';

const cleanup = cleanups('bench:cpu', 5 * 60_000);

/** User + system CPU of a process, in microseconds; 0 once it has gone. */
function cpuOf(pid) {
  return (cpuMs(pid) ?? 0) * 1000;
}

async function backendPids(admin, database) {
  const { rows } = await admin.query('SELECT pid FROM pg_stat_activity WHERE datname = $1', [database]);
  return rows.map((row) => row.pid);
}

async function backendCpu(admin, database, known) {
  for (const pid of await backendPids(admin, database)) if (!known.has(pid)) known.set(pid, cpuOf(pid));
  let total = 0;
  for (const [pid, start] of known) total += Math.max(0, cpuOf(pid) - start);
  return total;
}

let counter = 0;
const runId = randomBytes(4).toString('hex');
function nextBody() {
  const n = counter++;
  const account = n % 5000;
  return JSON.stringify({
    transactionId: `cpu-${runId}-${n}`, amount: `${100 + (n % 900)}.25`, currency: 'GBP',
    sourceAccountId: `acc-${account}`, customerId: `cust-${account}`, reference: `Invoice ${n}`,
    beneficiary: { name: 'Acme Ltd', iban: `GB00BENC${String(n).padStart(14, '0')}`, country: 'GB' },
  });
}

async function measure(label, server, admin, database) {
  const drive = (durationS) =>
    runOpenLoop({
      baseUrl: server.baseUrl, path: '/transaction/validate', rate: RATE, durationS, warmupS: 1,
      headers: { 'content-type': 'application/json', 'x-api-key': API_KEY }, nextBody,
    });
  await drive(3);
  const known = new Map();
  await backendCpu(admin, database, known);
  const before = cpuOf(server.child.pid);
  const result = await drive(DURATION_S);
  const nodeUs = cpuOf(server.child.pid) - before;
  const pgUs = await backendCpu(admin, database, known);
  const answered = result.ok;
  const perRequest = (us) => (answered > 0 ? (us / answered).toFixed(0) : 'n/a');
  console.log(
    `${label.padEnd(8)} ${answered} answered: node ${perRequest(nodeUs)} µs/request, PostgreSQL ${perRequest(pgUs)} µs/request` +
      ` (p50 ${result.latency.p50.toFixed(1)} ms, p99 ${result.latency.p99.toFixed(1)} ms, load ${readFileSync("/proc/loadavg", "utf8").split(" ")[0]})`,
  );
}

function startFloor(databaseUrl) {
  const script = fileURLToPath(new URL('./floor-server.mjs', import.meta.url));
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child = spawn(process.execPath, [script], { env: { ...process.env, PORT: String(port), DATABASE_URL: databaseUrl }, stdio: 'inherit' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return { child, exited, baseUrl: `http://127.0.0.1:${port}` };
}

async function waitForAnswer(baseUrl) {
  for (let i = 0; i < 100; i += 1) {
    try {
      await fetch(`${baseUrl}/health/ready`);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

try {
  const database = await createBenchDatabase(ADMIN_URL, 'bench_cpu', cleanup);
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  cleanup.push(() => admin.end());
  console.log(`open loop ${RATE}/s for ${DURATION_S} s each; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);

  const floor = startFloor(database.url);
  cleanup.push(() => stopService(floor));
  await waitForAnswer(floor.baseUrl);
  await measure('floor', floor, admin, database.name);
  await stopService(floor);

  const service = await startService({ DATABASE_URL: database.url, TOQIO_API_KEY: API_KEY, NODE_ENV: 'development', ...cpuEnv() });
  cleanup.push(() => stopService(service));
  await measure('validate', service, admin, database.name);
} finally {
  await cleanup.run();
}

/** Extra service variables for an experiment, from BENCH_CPU_ENV="A=1 B=2". */
function cpuEnv() {
  return Object.fromEntries((process.env.BENCH_CPU_ENV ?? '').split(/\s+/).filter(Boolean).map((pair) => pair.split('=')));
}
