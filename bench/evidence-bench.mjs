// Benchmark of the evidence pack (`npm run bench:evidence`): a case whose chain has 50 entries, its pack as JSON and as HTML.
//
// What it does, in order:
//   1. Creates a fresh database evidence_bench_<time> on DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test)
//      and starts the built service (node dist/main.js) on it, with a generated AUDIT_SIGNING_KEY.
//   2. Builds one case of EVIDENCE_BENCH_ENTRIES (50) chain entries through the API, as analysts would:
//      validate (held: 12,000 GBP, entry 1), notes of a few hundred characters, two attachments (a PDF and
//      a CSV of 64 KiB each), and a final rejection (the last entry, which queues a notification to Toqio).
//      It waits for a signed checkpoint to hold the chain, so the pack's checkpoint lookup is part of it.
//   3. Times EVIDENCE_BENCH_REQUESTS (200) requests of GET /transactions/{id}/evidence one at a time, after
//      20 to warm up, as JSON and then as HTML: p50, p95, p99 and the slowest, against the target
//      (p99 under 200 ms), with the machine's load average (a loaded machine gives meaningless figures).
//   4. Always cleans up: stops the service, drops the database.
// Exit code 0 unless something failed; a missed target is reported as FAIL but does not change it.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { cleanups as createCleanups, createBenchDatabase, startService, stopService, timeSequential } from './service.mjs';

const ADMIN_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const ENTRIES = Number(process.env.EVIDENCE_BENCH_ENTRIES || 50);
const REQUESTS = Number(process.env.EVIDENCE_BENCH_REQUESTS || 200);
const WARM_UP = 20;
const TARGET_P99_MS = 200;
const API_KEY = 'evidence-bench-key-0123456789';
const ANALYST = 'evidence-bench-token-0123456789';

const cleanups = createCleanups('evidence-bench', 600_000);
const log = (message) => console.log(`[evidence-bench] ${message}`);

async function call(baseUrl, method, path, { body, headers = {} } = {}) {
  const response = await fetch(`${baseUrl}${path}`, { method, headers: { authorization: `Bearer ${ANALYST}`, ...headers }, body });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
  return text;
}

async function buildCase(baseUrl) {
  const transactionId = `evidence-bench-${randomUUID()}`;
  await call(baseUrl, 'POST', '/transaction/validate', {
    headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' },
    body: JSON.stringify({ transactionId, amount: '12000.00', currency: 'GBP', beneficiary: { name: 'Ada Lovelace', country: 'GB' } }),
  });
  const files = [
    ['invoice.pdf', 'application/pdf', Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(64 * 1024, 0x20)])],
    ['statement.csv', 'text/csv', Buffer.from('date,amount\n'.concat('2026-11-30,12000.00\n'.repeat(3300)))],
  ];
  const notes = ENTRIES - 2 - files.length;
  for (let i = 1; i <= notes; i += 1) {
    const text = `Note ${i}: called the customer, checked the invoice against the contract and the beneficiary's account history. `.repeat(3);
    await call(baseUrl, 'POST', `/transactions/${transactionId}/notes`, { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
  }
  for (const [name, type, bytes] of files) {
    const form = new FormData();
    form.append('file', new Blob([bytes], { type }), name);
    await call(baseUrl, 'POST', `/transactions/${transactionId}/attachments`, { body: form });
  }
  await call(baseUrl, 'POST', `/transactions/${transactionId}/decision`, { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 'REJECTED', reason: 'No invoice came' }) });
  return transactionId;
}

async function main() {
  const db = await createBenchDatabase(ADMIN_URL, 'evidence_bench', cleanups);
  const signingKey = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const service = await startService({
    DATABASE_URL: db.url,
    TOQIO_API_KEY: API_KEY,
    ANALYST_TOKENS: `bench:${ANALYST}`,
    ANALYST_RATE_LIMIT_PER_MINUTE: '1000000',
    AUDIT_SIGNING_KEY: signingKey,
    AUDIT_CHECKPOINT_INTERVAL_SECONDS: '5',
  });
  cleanups.push(() => stopService(service));
  const transactionId = await buildCase(service.baseUrl);
  const pack = JSON.parse(await call(service.baseUrl, 'GET', `/transactions/${transactionId}/evidence`));
  log(`case ${transactionId}: ${pack.chain.entries.length} chain entries, intact ${pack.chain.intact}`);
  for (let waited = 0; waited < 15_000 && pack.chain.checkpoint?.sequence !== ENTRIES; waited += 500) {
    await sleep(500);
    pack.chain = JSON.parse(await call(service.baseUrl, 'GET', `/transactions/${transactionId}/evidence`)).chain;
  }
  log(`signed checkpoint holding it: ${pack.chain.checkpoint ? `number ${pack.chain.checkpoint.number}, sequence ${pack.chain.checkpoint.sequence}` : 'none yet'}`);
  if (pack.chain.entries.length !== ENTRIES || !pack.chain.intact) throw new Error('the case is not what the bench needs');
  const load = loadavg().map((n) => n.toFixed(2)).join(' ');
  for (const format of ['json', 'html']) {
    const path = `/transactions/${transactionId}/evidence?format=${format}`;
    const figures = await timeSequential(REQUESTS, WARM_UP, () => call(service.baseUrl, 'GET', path));
    const verdict = figures.p99 < TARGET_P99_MS ? 'PASS' : 'FAIL';
    log(`${format}: p50 ${figures.p50.toFixed(1)} ms, p95 ${figures.p95.toFixed(1)} ms, p99 ${figures.p99.toFixed(1)} ms, max ${figures.max.toFixed(1)} ms over ${REQUESTS} requests: ${verdict} (target p99 < ${TARGET_P99_MS} ms)`);
  }
  log(`load average when measured: ${load} (1, 5, 15 min)`);
}

main()
  .catch((error) => {
    console.error(`[evidence-bench] failed: ${error.stack ?? error.message}`);
    process.exitCode = 1;
  })
  .finally(() => cleanups.run());
