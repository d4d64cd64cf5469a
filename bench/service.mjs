// Shared by the benchmarks: the built service as a child process, and cleanup that always runs.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { platform } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

/** The Node flags `npm start` runs the service with (package.json's start script): benches measure what operators run. */
export const SERVICE_NODE_FLAGS = (() => {
  const { scripts } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  const words = scripts.start.trim().split(/\s+/);
  return words.slice(1, words.indexOf('dist/main.js'));
})();

/**
 * Starts `node <npm start's flags> [nodeArgs] dist/main.js` on a free port with `env` over the caller's environment,
 * and resolves once GET /health/live answers (within `startTimeoutMs`): whatever LOG_LEVEL says,
 * since a bench may silence the start-up lines. `echo` copies its output to stderr.
 */
export async function startService(env, { nodeArgs = [], echo = false, startTimeoutMs = 30_000 } = {}) {
  const port = await freePort();
  const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, ...nodeArgs, MAIN], { env: { ...process.env, NO_COLOR: '1', ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  let output = '';
  const onData = (chunk) => {
    if (echo) process.stderr.write(chunk);
    output += chunk.toString();
    if (output.length > 100_000) output = output.slice(-50_000);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const baseUrl = `http://127.0.0.1:${port}`;
  let exitCode;
  void exited.then((code) => (exitCode = code));
  const deadline = Date.now() + startTimeoutMs;
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`service exited with ${exitCode}\n${output}`);
    try {
      if ((await fetch(`${baseUrl}/health/live`, { signal: AbortSignal.timeout(1_000) })).ok) return { child, exited, baseUrl, output: () => output };
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error(`service: no start within ${startTimeoutMs / 1000} s\n${output}`);
}

/** A TCP port free on the loopback interface right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** SIGTERM, then SIGKILL if it has not exited within `killAfterMs` (a process writing a CPU profile at exit may need longer). */
export async function stopService(service, { killAfterMs = 15_000 } = {}) {
  if (service.child.exitCode !== null || service.child.signalCode !== null) return;
  service.child.kill('SIGTERM');
  await Promise.race([service.exited, sleep(killAfterMs, undefined, { ref: false }).then(() => service.child.kill('SIGKILL'))]);
}

/**
 * Cleanup steps run last-in first-out by `run()`, each whatever the others do; after
 * `watchdogMs` the steps are run and the process exits 1.
 */
export function cleanups(name, watchdogMs) {
  const steps = [];
  const run = async () => {
    while (steps.length > 0) {
      try {
        await steps.pop()();
      } catch (error) {
        console.error(`[${name}] cleanup failed: ${error.message}`);
      }
    }
  };
  setTimeout(() => {
    console.error(`[${name}] watchdog: over ${Math.round(watchdogMs / 60_000)} minutes`);
    void run().then(() => process.exit(1));
  }, watchdogMs).unref();
  return { push: (step) => steps.push(step), run };
}

/**
 * Creates an empty database named `<prefix>_<time>` on the server of `adminUrl`, registers its
 * drop with `cleanup`, and resolves to its URL and name.
 */
export async function createBenchDatabase(adminUrl, prefix, cleanup) {
  const name = `${prefix}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  cleanup.push(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), name };
}

/**
 * createBenchDatabase with the service's schema: the built service is started on it once, which
 * applies the migrations, and stopped. Resolves to the database and a client connected to it, whose
 * end is registered with `cleanup` (so it ends before the drop).
 */
export async function createMigratedBenchDatabase(adminUrl, prefix, cleanup) {
  const database = await createBenchDatabase(adminUrl, prefix, cleanup);
  const service = await startService({ DATABASE_URL: database.url, TOQIO_API_KEY: `${prefix}-key-0123456789abcdef`, NODE_ENV: 'development' });
  await stopService(service);
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  cleanup.push(() => client.end());
  return { database, client };
}

/** /proc reports CPU time in clock ticks, 100 a second on Linux (USER_HZ). */
const TICK_MS = 1000 / 100;

/**
 * The fields of /proc/<pid>/stat after the command, as numbers: [1] is the parent's pid, [11] and
 * [12] the CPU ticks in user and system mode, [13] and [14] those of children it has reaped.
 * Undefined where there is none (not Linux, or the process is gone).
 */
export function procStat(pid) {
  if (platform() !== 'linux') return undefined;
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ').map(Number);
  } catch {
    return undefined;
  }
}

/** CPU time the process has used (user + system) in ms; undefined where /proc has none. */
export function cpuMs(pid) {
  const fields = procStat(pid);
  return fields && cpuMsOf(fields);
}

/** CPU ms (user + system) of `fields` (procStat), read once. */
export function cpuMsOf(fields) {
  return (fields[11] + fields[12]) * TICK_MS;
}

/** CPU ms of `fields` (procStat) with those of the children the process has reaped. */
export function cpuMsWithReaped(fields) {
  return (fields[11] + fields[12] + fields[13] + fields[14]) * TICK_MS;
}

/** CPU ms used so far by a PostgreSQL on this machine: the postmaster, its live children, and the children it has reaped. */
export function postgresCpuMs(postmasterPid) {
  let sum = cpuMsWithReaped(procStat(postmasterPid));
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = procStat(entry); // undefined when gone meanwhile; read once, so that a child exiting cannot make it NaN
    if (fields?.[1] === postmasterPid) sum += cpuMsOf(fields);
  }
  return sum;
}

/**
 * The postmaster's pid of the PostgreSQL behind `url` when it runs on this machine (the parent of this
 * connection's backend), undefined otherwise: a remote server's CPU is not this machine's to read.
 */
export async function localPostmasterPid(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: [row] } = await client.query('SELECT pg_backend_pid() AS pid');
    // A remote server's backend pid may name some other process here: its command name tells them apart.
    const backend = procStat(row.pid);
    return backend && readFileSync(`/proc/${row.pid}/comm`, 'utf8').startsWith('postgres') ? backend[1] : undefined;
  } catch {
    return undefined;
  } finally {
    await client.end();
  }
}

/** A memory field of /proc/<pid>/status (VmRSS, VmHWM) in MiB; undefined where there is none. */
export function procMemoryMiB(pid, field) {
  if (platform() !== 'linux') return undefined;
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs `fn` `warmUp` times untimed, then `count` times one after another, timing each; resolves to
 * the p50, p95 and p99 (nearest rank) and the slowest, in ms.
 */
export async function timeSequential(count, warmUp, fn) {
  for (let i = 0; i < warmUp; i += 1) await fn();
  const samples = [];
  for (let i = 0; i < count; i += 1) {
    const started = performance.now();
    await fn();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  const at = (q) => samples[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)];
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: samples[samples.length - 1] };
}

/** A short-lived client: 2 s to connect, 30 s per query. */
export async function withClient(url, work) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000, query_timeout: 30_000 });
  client.on('error', () => undefined); // a dropped connection surfaces through the pending query
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** CI's PostgreSQL runs with autovacuum = off; a production server (and the embedded one) vacuums. */
export async function autovacuumIsOff(databaseUrl) {
  const { rows } = await withClient(databaseUrl, (client) => client.query('SHOW autovacuum'));
  return rows[0].autovacuum === 'off';
}

/**
 * The service's garbage collections so far, by kind (prom-client's nodejs_gc_duration_seconds on GET /metrics:
 * minor is a scavenge, major a mark-compact, incremental an incremental marking, counted once however many steps it
 * took): { kind: { count, ms } }.
 */
export async function gcTotals(service) {
  const text = await (await fetch(`${service.baseUrl}/metrics`)).text();
  const totals = {};
  for (const [, part, kind, value] of text.matchAll(/^nodejs_gc_duration_seconds_(count|sum)\{kind="(\w+)"\} (\S+)$/gm)) {
    totals[kind] ??= { count: 0, ms: 0 };
    if (part === 'count') totals[kind].count = Number(value);
    else totals[kind].ms = Number(value) * 1000;
  }
  return totals;
}

/** What the service collected between two gcTotals: "12 scavenges (31.0 ms), 1 mark-compact (9.2 ms), 1 incremental marking (1.1 ms)". */
export function gcBetween(before, after) {
  const names = { minor: ['scavenge', 'scavenges'], major: ['mark-compact', 'mark-compacts'], incremental: ['incremental marking', 'incremental markings'] };
  return Object.entries(names)
    .map(([kind, [one, many]]) => {
      const count = (after[kind]?.count ?? 0) - (before[kind]?.count ?? 0);
      const ms = (after[kind]?.ms ?? 0) - (before[kind]?.ms ?? 0);
      return `${count} ${count === 1 ? one : many} (${ms.toFixed(1)} ms)`;
    })
    .join(', ');
}

/** A bench setting from the environment: a positive whole number, or `fallback` when unset or blank; anything else stops the bench. */
export function positiveIntegerFromEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number (got "${raw}")`);
  return value;
}
