// The embedded engine at full size (`npm run bench:engine`): validate's open-loop p99 with 10,000 list entries,
// a 1,000,000-name sanctions list and three aggregates, against the rule set shipped before issue 16, in one run.
//
// What it does, in order:
//   1. Two fresh databases on DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), one per service:
//      the active rule set lives in the database (RULES_FILE is stored as version 1 on an empty one only), so
//      two services on one database would screen with the same rule set whatever their RULES_FILE.
//   2. "full": the shipped config/rules.yaml (sanctions, lists) plus three aggregates (a daily sum per customer,
//      a distinct count of IBANs per source account, a count per beneficiary IBAN), stored as version 1 by a
//      first start that applies the migrations; then ENGINE_BENCH_NAMES (1,000,000) generated names
//      (bench/sanctions-names.mjs) loaded as the UN list with the loader `npm run sanctions:load` uses, the
//      service started (it builds the sanctions index before it listens), and ENGINE_BENCH_LIST_ENTRIES (10,000)
//      IBANs added to the deny list through POST /lists/{name}/entries.
//   3. "before": the rule set shipped before issue 16 (country, amount, velocity) on its own database, with no
//      list and no sanctions name: it builds no sanctions index.
//   4. Checks what each service screens with (GET /rules, and the sanctions index on GET /metrics) and stops if
//      either is not the rule set it should be; prints each one's JavaScript heap (used and total) and RSS (now and
//      at its peak, which for the full one is its index build) beside it.
//   5. Each driven open loop (bench/open-loop.mjs) at BENCH_RATE (1000) req/s for BENCH_DURATION (10) s: one
//      unmeasured warm-up round each, then ENGINE_BENCH_ROUNDS (2) measured rounds of each, alternated (before, full,
//      before, full), so that drift falls on both; one service is driven at a time (the other
//      idles). Every request is a new transaction from one of ENGINE_BENCH_ACCOUNTS (5,000) accounts and
//      ENGINE_BENCH_CUSTOMERS (2,000) customers, each in turn, to one of 20,000 IBANs, with a generated
//      beneficiary name. Where the server runs no autovacuum, each phase starts with a VACUUM (ANALYZE)
//      of its service's transactions table, as a production server would have vacuumed it (see standInForAutovacuum).
//   6. Prints p50/p99 per phase with the lateness of its sends (flagged past SENDER_LATENESS_WARN_MS at the p99:
//      the load generator, not the service, then set part of the tail), and the full rule set's p99 against
//      the before one's (target: within 10%; flagged rounds still count, so read the flags before the verdict).
//      Each round also gives the CPU the service and PostgreSQL spent per validate (PostgreSQL's where it runs on
//      this machine): what the full rule set costs, in a figure a shared machine moves far less than a p99, and
//      the garbage collections the service made in it (from its GET /metrics), which set much of a tail. The
//      verdict compares each service's p99 over all its rounds pooled, which one slow round moves less; the worst
//      round of each is printed beside it (judged worst against worst, one slow "before" round passed a run whose
//      every other round was 23 to 26% over).
// ENGINE_BENCH_AGGREGATES=off leaves the three aggregates out of "full", to tell their share of the difference from
// the sanctions index's. ENGINE_BENCH_VACUUM=off leaves out the VACUUM (ANALYZE) before each phase (step 5).
// ENGINE_BENCH_PROFILE=<dir> runs both services under `node --cpu-prof` (profiles in <dir>/before and <dir>/full) and
// prints, from their measured rounds only, where the full rule set's CPU per validate goes beyond the before one's:
// self time per validate by function and by module, largest differences first.
// Always cleans up: stops the services, drops the databases.
import pg from 'pg';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { perRequestDifferences, profileClockUs, readNewestProfile, selfTime } from './cpu-profile.mjs';
import { percentile, runOpenLoop } from './open-loop.mjs';
import { generateList } from './sanctions-names.mjs';
import { autovacuumIsOff, cleanups as createCleanups, cpuMs, createBenchDatabase, gcBetween, gcTotals, localPostmasterPid, positiveIntegerFromEnv, postgresCpuMs, procMemoryMiB, startService, stopService, withClient } from './service.mjs';

const require = createRequire(import.meta.url);
const { replaceSanctionsList } = require('../dist/adapters/persistence/sanctions-list.loader.js');
const ADMIN_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const NAMES = Number(process.env.ENGINE_BENCH_NAMES || 1_000_000);
const LIST_ENTRIES = Number(process.env.ENGINE_BENCH_LIST_ENTRIES || 10_000);
const RATE = positiveIntegerFromEnv('BENCH_RATE', 1000);
/**
 * Sends later than this at the p99 mean the load generator itself stalled and set part of the tail (its
 * p99 lateness is 11 to 17 ms at 1,000/s on the shared 2-core machine when it keeps up).
 */
const SENDER_LATENESS_WARN_MS = 50;
const DURATION_S = positiveIntegerFromEnv('BENCH_DURATION', 10);
const WARMUP_S = 2;
/** Measured rounds of each service, alternated: more of them pool more samples into the run's p99. */
const ROUNDS = positiveIntegerFromEnv('ENGINE_BENCH_ROUNDS', 2);
const WITH_AGGREGATES = process.env.ENGINE_BENCH_AGGREGATES !== 'off';
const ACCOUNTS = positiveIntegerFromEnv('ENGINE_BENCH_ACCOUNTS', 5000);
const CUSTOMERS = positiveIntegerFromEnv('ENGINE_BENCH_CUSTOMERS', 2000);
const API_KEY = 'engine-bench-key-0123456789';
const ADMIN_TOKEN = 'engine-bench-admin-token-0123456789';
const cleanups = createCleanups('engine-bench', 1_800_000);
const PROFILE_DIR = process.env.ENGINE_BENCH_PROFILE;
const profileArgs = (name) => (PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${join(PROFILE_DIR, name)}`] : []);
/** The measured rounds' windows on the profile clock, and their validates, per service. */
const profiled = { before: { windows: [], requests: 0 }, full: { windows: [], requests: 0 } };
const log = (message) => console.log(`[engine-bench] ${message}`);

const BEFORE_RULES = `
rules:
  - { id: sanctioned-beneficiary-country, type: beneficiary-country, countries: [KP, IR, CU, SY], status: REJECTED, reason: "country {country}" }
  - { id: large-amount, type: amount-at-least, threshold: "10000", status: PENDING_EXTERNAL_APPROVAL, reason: "amount {amount}" }
  - { id: source-account-velocity, type: velocity, maxTransactions: 10, windowSeconds: 60, status: PENDING_EXTERNAL_APPROVAL, reason: "velocity {count}" }
`;
const AGGREGATES = `
  - { id: customer-daily-eur, type: aggregate, function: sum, groupBy: customerId, currency: EUR, windowSeconds: 86400, above: "50000", status: PENDING_EXTERNAL_APPROVAL, reason: "customer sent {value}" }
  - { id: many-ibans, type: aggregate, function: distinct, of: beneficiaryIban, groupBy: sourceAccountId, windowSeconds: 3600, above: 5, status: PENDING_EXTERNAL_APPROVAL, reason: "{value} IBANs" }
  - { id: busy-beneficiary, type: aggregate, function: count, groupBy: beneficiaryIban, windowSeconds: 3600, above: 50, status: PENDING_EXTERNAL_APPROVAL, reason: "{value} payments to one IBAN" }
`;

/** A GB IBAN with correct check digits (ISO 13616: mod 97), for bank code BENC and a 14-digit sort code and account. */
function benchIban(n) {
  const bban = `BENC${String(n).padStart(14, '0')}`;
  const digits = `${bban}GB00`.replace(/[A-Z]/g, (letter) => String(letter.charCodeAt(0) - 55));
  const check = 98 - Number(BigInt(digits) % 97n);
  return `GB${String(check).padStart(2, '0')}${bban}`;
}

async function* asEntries(entries) {
  yield* entries;
}

async function loadSanctions(url) {
  const started = Date.now();
  const list = generateList(NAMES);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await replaceSanctionsList(client, { source: 'UN', entries: asEntries(list.entries), version: () => 'engine-bench' }, { format: 'un-xml', files: ['generated'] });
  } finally {
    await client.end();
  }
  log(`loaded ${NAMES.toLocaleString('en')} names in ${list.entries.length.toLocaleString('en')} entries in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return packedNames(list.entries.map((entry) => entry.name));
}

/**
 * The entries' names in one string, for the traffic: the generated list (millions of objects) is dropped once
 * loaded. Kept whole, it made this process, the load generator, pause for its own full collections: rounds
 * whose sends were up to 570 ms late (1 December 2026), counted against the service.
 */
function packedNames(names) {
  const starts = new Uint32Array(names.length + 1);
  names.forEach((name, i) => (starts[i + 1] = starts[i] + name.length));
  const text = names.join('');
  return { length: names.length, at: (i) => text.slice(starts[i], starts[i + 1]) };
}

async function addListEntries(service) {
  const lists = await fetch(`${service.baseUrl}/lists`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  if (!lists.ok) {
    log(`GET /lists answered ${lists.status}: no managed lists in this build, list entries skipped`);
    return 0;
  }
  // One IBAN in fifty that the traffic uses (n % 20,000) is on the list; the rest of the entries are never paid.
  const values = Array.from({ length: LIST_ENTRIES }, (_, i) => benchIban(50 * i));
  const answer = await fetch(`${service.baseUrl}/lists/blocked-beneficiaries/entries`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ values, reason: 'engine bench' }),
  });
  if (!answer.ok) throw new Error(`POST /lists/blocked-beneficiaries/entries answered ${answer.status}: ${await answer.text()}`);
  await new Promise((resolve) => setTimeout(resolve, 1_500)); // every replica follows a change within 1 s
  return values.length;
}

function nextBodyFrom(names) {
  const run = randomBytes(4).toString('hex');
  let n = 0;
  return () => {
    n += 1;
    const account = n % ACCOUNTS;
    const listed = names.at((n * 7919) % names.length);
    // One name in fifty is a listed one, as a few beneficiaries would be; the rest are variations no list holds.
    const name = n % 50 === 0 ? listed : `${listed.split(' ')[0]} Q${n % 997}x`;
    return JSON.stringify({
      transactionId: `engine-${run}-${n}`, amount: ((n * 37) % 200000 / 100 + 1).toFixed(2), currency: n % 3 === 0 ? 'EUR' : 'GBP',
      sourceAccountId: `acc-${account}`, customerId: `cust-${n % CUSTOMERS}`, reference: `Invoice ${n}`,
      beneficiary: { name, iban: benchIban(n % 20000), country: 'GB' },
    });
  };
}

/** Where the PostgreSQL serving the benches runs on this machine, its postmaster's pid (CPU per validate); else undefined. */
let postmasterPid;

/** CPU ms used so far by the service and by PostgreSQL (undefined where /proc cannot tell). */
function cpuNow(service) {
  return { service: cpuMs(service.child.pid), postgres: postmasterPid === undefined ? undefined : postgresCpuMs(postmasterPid) };
}

/** The service's write system calls so far (/proc/<pid>/io `syscw`: each write and writev, sockets included); undefined off Linux. */
function writeCallsOf(service) {
  try {
    return Number(/^syscw: (\d+)$/m.exec(readFileSync(`/proc/${service.child.pid}/io`, 'utf8'))?.[1]);
  } catch {
    return undefined;
  }
}

/**
 * Transactions committed so far in the service's database: one per statement outside a transaction block.
 * PostgreSQL's backends report theirs at most once a second while busy, so a round's count misses up to its
 * last second: a figure to compare between rounds, not an exact one.
 */
async function commitsOf(databaseUrl) {
  const { rows } = await withClient(databaseUrl, (client) => client.query('SELECT xact_commit::bigint AS commits FROM pg_stat_database WHERE datname = current_database()'));
  return Number(rows[0].commits);
}

/**
 * CPU µs per validate over a round, warm-up included (one service is driven at a time, so PostgreSQL's is
 * this service's): far less moved by the rest of a shared machine than a p99 is.
 */
function cpuPerValidate(before, after, requests) {
  const per = (key) => (before[key] === undefined || after[key] === undefined ? undefined : ((after[key] - before[key]) * 1000) / requests);
  return { service: per('service'), postgres: per('postgres') };
}

/**
 * Set where the server runs no autovacuum (the development and CI machines' PostgreSQL): each phase then starts
 * with a VACUUM (ANALYZE) of its service's transactions, outside what is measured, as `npm run bench` vacuums
 * between its phases. A production server vacuums `transactions` about once a minute at 1,000 inserts a second (migration
 * 1765600000000), so the older part of a daily window is read from the covering index alone; without a vacuum,
 * every row of every window is read from the table, which the full rule set's daily sum per customer pays for.
 * Here each database is vacuumed every other phase, every 24 s or so: more often than production, far closer to
 * it than never.
 */
let standInForAutovacuum = false;

async function phase(name, { service, databaseUrl, profile }, nextBody) {
  if (standInForAutovacuum) await withClient(databaseUrl, (client) => client.query('VACUUM (ANALYZE) transactions'));
  const [writesBefore, commitsBefore] = [writeCallsOf(service), await commitsOf(databaseUrl)];
  const gcBefore = await gcTotals(service); // scraped before the CPU is read, so that the scrape's own CPU is not counted
  const cpuBefore = cpuNow(service);
  const from = profileClockUs();
  const result = await runOpenLoop({
    baseUrl: service.baseUrl, path: '/transaction/validate', headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
    nextBody, rate: RATE, durationS: DURATION_S, warmupS: WARMUP_S,
  });
  const validates = result.sent + Math.round(RATE * WARMUP_S);
  if (profile) {
    profile.windows.push({ from, to: profileClockUs() });
    profile.requests += validates;
  }
  result.cpu = cpuPerValidate(cpuBefore, cpuNow(service), validates);
  result.gc = gcBetween(gcBefore, await gcTotals(service));
  const writesAfter = writeCallsOf(service);
  const writes = writesBefore === undefined || writesAfter === undefined ? 'n/a' : ((writesAfter - writesBefore) / validates).toFixed(2);
  const commits = ((await commitsOf(databaseUrl)) - commitsBefore - 1) / validates;
  const late = result.senderLateness;
  const behind = late.p99 > SENDER_LATENESS_WARN_MS ? ' - LOAD GENERATOR BEHIND: latencies include its own delay' : '';
  const line =
    `${name}: p50 ${result.latency.p50.toFixed(1)} ms, p99 ${result.latency.p99.toFixed(1)} ms, max ${result.latency.max.toFixed(1)} ms; ` +
    `${JSON.stringify(result.statusCodes)}, errors ${result.errors}; sends late p99 ${late.p99.toFixed(1)} ms, max ${late.max.toFixed(1)} ms; ` +
    `CPU per validate: service ${formatUs(result.cpu.service)}, PostgreSQL ${formatUs(result.cpu.postgres)}; per validate ${writes} write calls, ${commits.toFixed(2)} commits; GC ${result.gc}${behind}`;
  log(line);
  return result;
}

const formatUs = (us) => (us === undefined ? 'n/a' : `${us.toFixed(0)} µs`);
const mib = (value) => (value === undefined ? 'n/a' : `${value.toFixed(0)} MiB`);

/** Stops both services (so that they write their profiles) and prints where the full one's CPU per validate goes beyond the before one's. */
async function printProfiles(services) {
  const started = Date.now();
  await Promise.all(services.map((service) => stopService(service, { killAfterMs: 180_000 })));
  log(`services stopped in ${((Date.now() - started) / 1000).toFixed(1)} s, profiles written`);
  const [before, full] = await Promise.all(['before', 'full'].map((name) => readNewestProfile(join(PROFILE_DIR, name))));
  for (const by of ['module', 'function']) {
    const a = selfTime(before.profile, profiled.before.windows, by);
    const b = selfTime(full.profile, profiled.full.windows, by);
    console.log(`\nself time per validate by ${by}, before -> full, measured rounds only (${before.file}, ${full.file}):`);
    for (const line of perRequestDifferences(a, profiled.before.requests, b, profiled.full.requests, by === 'module' ? 12 : 25)) console.log(`  ${line}`);
  }
}

/**
 * What a service's validates answered: a held one also opened a review case. The accounts take turns: with the
 * default 5,000, one payment every 5 s while its service is driven, which is half the time, so the velocity rule
 * (more than 10 in 60 s) holds none and the comparison is of screening, not of the review queue.
 */
async function heldShare(databaseUrl) {
  const { rows } = await withClient(databaseUrl, (client) => client.query(`SELECT state, count(*)::int AS count FROM transactions GROUP BY state ORDER BY state`));
  const total = rows.reduce((sum, row) => sum + row.count, 0);
  return `${total.toLocaleString('en')} validated: ${rows.map((row) => `${row.state} ${(100 * row.count / total).toFixed(1)}%`).join(', ')}`;
}

/** Stops the bench when a service does not screen with the rule set it stands for. */
async function checkService(name, service, { rules, sanctionsNames }) {
  const active = await (await fetch(`${service.baseUrl}/rules`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json();
  const ids = active.rules.map((rule) => rule.id);
  const metrics = await (await fetch(`${service.baseUrl}/metrics`)).text();
  /** An unlabelled gauge's value; NaN when the scrape has none. */
  const gauge = (metric) => Number(new RegExp(`^${metric} (\\S+)$`, 'm').exec(metrics)?.[1]);
  const names = gauge('tm_sanctions_names_indexed') || 0;
  const [heapUsed, heapTotal] = ['nodejs_heap_size_used_bytes', 'nodejs_heap_size_total_bytes'].map((metric) => mib(gauge(metric) / 2 ** 20));
  const [rss, peak] = ['VmRSS', 'VmHWM'].map((field) => mib(procMemoryMiB(service.child.pid, field)));
  log(
    `${name}: rule set version ${active.version} (${ids.join(', ')}); ${names.toLocaleString('en')} sanctions names in memory; ` +
      `JavaScript heap ${heapUsed} used of ${heapTotal}; RSS ${rss}, peak ${peak} (the index build's)`,
  );
  const missing = rules.filter((id) => !ids.includes(id));
  if (missing.length > 0 || ids.length !== rules.length) throw new Error(`${name} screens with ${ids.join(', ')}, not ${rules.join(', ')}`);
  // A generated name that normalises to no token is not indexed: a few may be missing.
  if (sanctionsNames === 0 ? names !== 0 : names < 0.99 * sanctionsNames) throw new Error(`${name} holds ${names} sanctions names, not ${sanctionsNames}`);
}

try {
  const dir = await mkdtemp(join(tmpdir(), 'engine-bench-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'before.yaml'), BEFORE_RULES);
  const shipped = await readFile(fileURLToPath(new URL('../config/rules.yaml', import.meta.url)), 'utf8');
  const fullRules = `${shipped.trimEnd()}\n${WITH_AGGREGATES ? AGGREGATES : ''}`;
  await writeFile(join(dir, 'full.yaml'), fullRules);
  const base = { TOQIO_API_KEY: API_KEY, NODE_ENV: 'development', LOG_LEVEL: 'info', ANALYST_TOKENS: `bench:${ADMIN_TOKEN}:admin` };

  postmasterPid = await localPostmasterPid(ADMIN_URL);
  standInForAutovacuum = process.env.ENGINE_BENCH_VACUUM !== 'off' && (await autovacuumIsOff(ADMIN_URL));
  if (standInForAutovacuum) log('autovacuum is off on this server: each phase starts with a VACUUM (ANALYZE) of its transactions in its place');
  const fullDatabase = await createBenchDatabase(ADMIN_URL, 'engine_bench_full', cleanups);
  const fullEnv = { ...base, DATABASE_URL: fullDatabase.url, RULES_FILE: join(dir, 'full.yaml') };
  await stopService(await startService(fullEnv, { startTimeoutMs: 120_000 })); // migrations, and full.yaml as version 1
  const names = await loadSanctions(fullDatabase.url);
  const started = Date.now();
  const full = await startService(fullEnv, { startTimeoutMs: 300_000, nodeArgs: profileArgs('full') });
  cleanups.push(() => stopService(full));
  log(`full rule set's service ready in ${((Date.now() - started) / 1000).toFixed(1)} s (sanctions index built from PostgreSQL)`);

  const beforeDatabase = await createBenchDatabase(ADMIN_URL, 'engine_bench_before', cleanups);
  const before = await startService({ ...base, DATABASE_URL: beforeDatabase.url, RULES_FILE: join(dir, 'before.yaml') }, { startTimeoutMs: 120_000, nodeArgs: profileArgs('before') });
  cleanups.push(() => stopService(before));

  const [beforeRun, fullRun] = [{ service: before, databaseUrl: beforeDatabase.url }, { service: full, databaseUrl: fullDatabase.url }];
  const idsOf = (yaml) => [...yaml.matchAll(/^\s*- (?:\{ )?id: ([\w-]+)/gm)].map((match) => match[1]);
  await checkService('before', before, { rules: idsOf(BEFORE_RULES), sanctionsNames: 0 });
  await checkService('full', full, { rules: idsOf(fullRules), sanctionsNames: NAMES });
  const entries = await addListEntries(full);
  const nextBody = nextBodyFrom(names);
  // A service just started (the full one has also just built a 1 GB index and taken 10,000 list entries)
  // runs its first seconds unoptimised: one unmeasured round each, so that the comparison is of warm services.
  await phase('warm-up before (not counted)', beforeRun, nextBody);
  await phase('warm-up full (not counted)', fullRun, nextBody);
  const results = { before: [], full: [] };
  for (let round = 1; round <= ROUNDS; round += 1) {
    results.before.push(await phase(`before #${round}`, { ...beforeRun, profile: profiled.before }, nextBody));
    results.full.push(await phase(`full #${round}`, { ...fullRun, profile: profiled.full }, nextBody));
  }
  const p99 = (runs) => Math.max(...runs.map((r) => r.latency.p99));
  console.log(`\n| rule set | p50 ms | p99 ms | service CPU µs/validate | PostgreSQL CPU µs/validate |\n|---|---:|---:|---:|---:|`);
  for (const [name, runs] of Object.entries(results)) {
    for (const [i, r] of runs.entries()) {
      console.log(`| ${name} #${i + 1} | ${r.latency.p50.toFixed(1)} | ${r.latency.p99.toFixed(1)} | ${r.cpu.service?.toFixed(0) ?? 'n/a'} | ${r.cpu.postgres?.toFixed(0) ?? 'n/a'} |`);
    }
  }
  // Every measured validate of a service, all rounds pooled: the run's p99, which one slow round moves less.
  const pooledP99 = (runs) => percentile(Float64Array.from(runs.flatMap((r) => Array.from(r.latenciesBySlot))).sort(), 99);
  const cpu = (runs, key) => {
    const mean = runs.reduce((sum, r) => sum + (r.cpu[key] ?? NaN), 0) / runs.length;
    return Number.isFinite(mean) ? mean.toFixed(0) : 'n/a';
  };
  const [pooledFull, pooledBefore] = [pooledP99(results.full), pooledP99(results.before)];
  console.log(
    `\nall rounds pooled: p99 ${pooledFull.toFixed(1)} vs ${pooledBefore.toFixed(1)} ms (${((pooledFull / pooledBefore - 1) * 100).toFixed(0)}%); ` +
      `CPU per validate ${cpu(results.full, 'service')} vs ${cpu(results.before, 'service')} µs in the service, ` +
      `${cpu(results.full, 'postgres')} vs ${cpu(results.before, 'postgres')} µs in PostgreSQL`,
  );
  for (const [name, run] of [['before', beforeRun], ['full', fullRun]]) log(`${name}: ${await heldShare(run.databaseUrl)}`);
  if (PROFILE_DIR) await printProfiles([before, full]);
  const ratio = pooledFull / pooledBefore;
  const worst = p99(results.full) / p99(results.before);
  console.log(
    `full (${entries.toLocaleString('en')} list entries, ${NAMES.toLocaleString('en')} sanctions names, ${WITH_AGGREGATES ? 'three' : 'no'} aggregates) vs before: ` +
      `p99 of all rounds pooled ${pooledFull.toFixed(1)} vs ${pooledBefore.toFixed(1)} ms, ${((ratio - 1) * 100).toFixed(0)}% (target <= +10%): ${ratio <= 1.1 ? 'PASS' : 'FAIL'} ` +
      `(worst round against worst round: ${p99(results.full).toFixed(1)} vs ${p99(results.before).toFixed(1)} ms, ${((worst - 1) * 100).toFixed(0)}%)`,
  );
} catch (error) {
  console.error(`[engine-bench] failed: ${error.stack ?? error}`);
  process.exitCode = 1;
} finally {
  await cleanups.run();
}
