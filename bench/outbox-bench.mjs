// Benchmark of the outbox to Toqio (`node bench/outbox-bench.mjs` after `npm run build`): backlog drain and decision-to-receipt latency.
//
// What it does, in order:
//   1. Creates a fresh database outbox_bench_<time> on DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test)
//      and starts a fake Toqio webhook in this process (HTTP on 127.0.0.1, answers 200 at once, counts
//      every idempotency-key it receives).
//   2. Queues OUTBOX_BENCH_COUNT (10,000) notifications exactly as the service writes them: the built
//      service (node dist/main.js) runs without TOQIO_WEBHOOK_URL, so decisions wait in the outbox; each
//      transaction is validated (held: 12,000 GBP) and then decided over the analyst API.
//   3. Restarts the service with TOQIO_WEBHOOK_URL set and times the drain of that backlog by one
//      instance: seconds, deliveries per second, and its resident memory sampled every 100 ms (the peak,
//      and the samples at each tenth of the drain, to see whether it stays flat).
//   4. With the outbox empty and Toqio healthy, makes OUTBOX_BENCH_SINGLES (200) decisions one at a time
//      and measures, for each, the time from sending the decision to Toqio receiving the notification.
//   5. Checks that every key arrived exactly once, prints the figures against the targets (drain under
//      30 s, p99 under 1 s) and always cleans up: stops the service, drops the database.
// Exit code 0 unless something failed; missed targets are reported as FAIL but do not change it.
// Environment: DATABASE_URL, OUTBOX_BENCH_COUNT (10000), OUTBOX_BENCH_SINGLES (200), OUTBOX_BENCH_TOQIO_LATENCY_MS
// (0: how long the fake takes to answer; a real Toqio's latency bounds a replica at NOTIFICATION_CONCURRENCY
// deliveries per latency, and the drain time is then mostly that); the service's own
// variables pass through (NOTIFICATION_CONCURRENCY, ...). To look inside the service: OUTBOX_BENCH_NODE_ARGS
// (e.g. "--trace-gc" or "--cpu-prof --cpu-prof-dir=/tmp/prof") and OUTBOX_BENCH_SERVICE_LOG=1 (its output on stderr).
import pg from 'pg';
import { createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { cleanups as createCleanups, createBenchDatabase, procMemoryMiB, startService as startBuiltService, stopService } from './service.mjs';

const ADMIN_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const COUNT = Number(process.env.OUTBOX_BENCH_COUNT || 10_000);
const SINGLES = Number(process.env.OUTBOX_BENCH_SINGLES || 200);
const TOQIO_LATENCY_MS = Number(process.env.OUTBOX_BENCH_TOQIO_LATENCY_MS || 0);
const SEED_CONCURRENCY = 32;
const API_KEY = 'outbox-bench-key-0123456789';
const ANALYST = 'bench-analyst-token-0123456789';
const TARGET_DRAIN_S = 30;
const TARGET_P99_MS = 1000;

const cleanups = createCleanups('outbox-bench', 600_000);
const cleanUp = cleanups.run;

const log = (message) => console.log(`[outbox-bench] ${message}`);

// --- the fake Toqio -------------------------------------------------------------------------------------

const toqio = {
  counts: new Map(),
  /** transactionId -> performance.now() at receipt, for the latency phase. */
  receivedAt: new Map(),
  total: 0,
  firstAt: 0,
  lastAt: 0,
};
const fake = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const now = performance.now();
    const key = String(request.headers['idempotency-key']);
    toqio.counts.set(key, (toqio.counts.get(key) ?? 0) + 1);
    toqio.total += 1;
    toqio.firstAt ||= now;
    toqio.lastAt = now;
    try {
      toqio.receivedAt.set(JSON.parse(Buffer.concat(chunks).toString('utf8')).transactionId, now);
    } catch {
      // counted all the same
    }
    const answer = () => response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    if (TOQIO_LATENCY_MS > 0) setTimeout(answer, TOQIO_LATENCY_MS);
    else answer();
  });
});

// --- the service ----------------------------------------------------------------------------------------

function startService(env) {
  return startBuiltService(
    // One client deciding 10,000 transactions would be rate-limited (ANALYST_RATE_LIMIT_PER_MINUTE): this measures delivery.
    { NODE_ENV: 'test', TOQIO_API_KEY: API_KEY, ANALYST_TOKENS: `bench:${ANALYST}`, ANALYST_RATE_LIMIT_PER_MINUTE: '1000000', ...env },
    { nodeArgs: (process.env.OUTBOX_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean), echo: Boolean(process.env.OUTBOX_BENCH_SERVICE_LOG) },
  );
}

function rssMiB(pid, field = 'VmRSS') {
  return procMemoryMiB(pid, field) ?? NaN;
}

async function call(baseUrl, path, body, headers) {
  const response = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${path}: ${response.status} ${text}`);
  return JSON.parse(text);
}
const validate = (baseUrl, transactionId) => call(baseUrl, '/transaction/validate', { transactionId, amount: '12000', currency: 'GBP' }, { 'x-api-key': API_KEY });
const decide = (baseUrl, transactionId) =>
  call(baseUrl, `/transactions/${transactionId}/decision`, { status: 'APPROVED', reason: 'bench' }, { authorization: `Bearer ${ANALYST}` });

async function inParallel(items, limit, work) {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

// --- the run --------------------------------------------------------------------------------------------

async function main() {
  const { url: databaseUrl } = await createBenchDatabase(ADMIN_URL, 'outbox_bench', cleanups);

  await new Promise((resolve) => fake.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => fake.close(() => resolve())));
  fake.keepAliveTimeout = 30_000;
  const webhookUrl = `http://127.0.0.1:${fake.address().port}/webhooks/integration/bench/webhookType/TRANSACTION_MONITORING_STATUS_UPDATED`;

  // 2. Queue the backlog with no webhook configured.
  let service = await startService({ DATABASE_URL: databaseUrl });
  cleanups.push(() => stopService(service));
  const ids = Array.from({ length: COUNT }, (_, i) => `outbox-bench-${i}`);
  let seeded = performance.now();
  await inParallel(ids, SEED_CONCURRENCY, async (id) => {
    await validate(service.baseUrl, id);
    await decide(service.baseUrl, id);
  });
  seeded = (performance.now() - seeded) / 1000;
  await stopService(service);
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  cleanups.push(() => db.end());
  const queued = (await db.query(`SELECT count(*)::int AS n FROM toqio_notifications WHERE state = 'QUEUED'`)).rows[0].n;
  log(`queued ${queued} notifications through the API in ${seeded.toFixed(1)} s`);

  // 3. Drain it with one instance.
  const spawnedAt = performance.now();
  service = await startService({ DATABASE_URL: databaseUrl, TOQIO_WEBHOOK_URL: webhookUrl });
  const listeningAt = performance.now();
  const samples = [];
  const rssAtStart = rssMiB(service.child.pid);
  while (toqio.counts.size < COUNT) {
    samples.push({ delivered: toqio.counts.size, rss: rssMiB(service.child.pid) });
    if (performance.now() - listeningAt > 120_000) throw new Error(`drain: only ${toqio.counts.size} of ${COUNT} after 120 s`);
    await sleep(100);
  }
  // Delivered at Toqio; now wait for the last results to be recorded.
  while ((await db.query(`SELECT count(*)::int AS n FROM toqio_notifications WHERE state <> 'DELIVERED'`)).rows[0].n > 0) await sleep(20);
  const recordedAt = performance.now();
  const rssAtEnd = rssMiB(service.child.pid);
  const peakRss = Math.max(...samples.map((s) => s.rss), rssAtEnd);
  const drainS = (toqio.lastAt - Math.min(toqio.firstAt, listeningAt)) / 1000;
  const byTenths = [];
  for (let tenth = 1; tenth <= 10; tenth += 1) {
    const sample = samples.find((s) => s.delivered >= (tenth * COUNT) / 10) ?? { rss: rssAtEnd };
    byTenths.push(sample.rss.toFixed(0));
  }

  // 4. Single decisions on a healthy Toqio.
  const singles = Array.from({ length: SINGLES }, (_, i) => `outbox-bench-single-${i}`);
  await inParallel(singles, 8, (id) => validate(service.baseUrl, id));
  const latencies = [];
  for (const id of singles) {
    const sentAt = performance.now();
    await decide(service.baseUrl, id);
    while (!toqio.receivedAt.has(id)) {
      if (performance.now() - sentAt > 10_000) throw new Error(`${id}: not received within 10 s`);
      await sleep(1);
    }
    latencies.push(toqio.receivedAt.get(id) - sentAt);
    await sleep(10);
  }
  latencies.sort((a, b) => a - b);

  // 5. Correctness and figures.
  const duplicates = [...toqio.counts.values()].filter((n) => n > 1).length;
  const missing = COUNT + SINGLES - toqio.counts.size;
  const p50 = percentile(latencies, 50);
  const p99 = percentile(latencies, 99);
  const verdict = (ok) => (ok ? 'PASS' : 'FAIL');
  console.log('');
  console.log('| figure | value | target |');
  console.log('|---|---|---|');
  console.log(`| backlog drained by one instance | ${COUNT} in ${drainS.toFixed(2)} s (${Math.round(COUNT / drainS)}/s) | < ${TARGET_DRAIN_S} s: ${verdict(drainS < TARGET_DRAIN_S)} |`);
  console.log(`| start to listening / to all recorded | ${((listeningAt - spawnedAt) / 1000).toFixed(2)} s / ${((recordedAt - spawnedAt) / 1000).toFixed(2)} s | |`);
  console.log(`| service RSS: at listening, peak (sampled), at end, VmHWM | ${rssAtStart.toFixed(0)} / ${peakRss.toFixed(0)} / ${rssAtEnd.toFixed(0)} / ${rssMiB(service.child.pid, 'VmHWM').toFixed(0)} MiB | flat |`);
  console.log(`| service RSS at each tenth of the drain (MiB) | ${byTenths.join(', ')} | flat |`);
  console.log(`| decision to receipt, ${SINGLES} single decisions | p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${latencies[latencies.length - 1].toFixed(1)} ms | p99 < ${TARGET_P99_MS} ms: ${verdict(p99 < TARGET_P99_MS)} |`);
  console.log(`| keys received twice / never | ${duplicates} / ${missing} | 0 / 0: ${verdict(duplicates === 0 && missing === 0)} |`);
  console.log('');
}

main()
  .catch((error) => {
    console.error(`[outbox-bench] failed: ${error.stack ?? error}`);
    process.exitCode = 1;
  })
  .finally(() => cleanUp());
