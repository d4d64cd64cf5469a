// Benchmark of the queue's search (`npm run bench:search`): every filter and q over 1 M held transactions, then bulk decisions.
//
// What it does, in order:
//   1. Creates a fresh database search_bench_<time> on DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test)
//      and starts the built service (node dist/main.js) on it, which applies the migrations.
//   2. Stores SEARCH_BENCH_ROWS (1,000,000) transactions, each a review case, with two INSERT ... SELECT
//      statements (bench/search-seed.mjs says what they look like), then VACUUM ANALYZE.
//   3. For each search in SEARCHES (each filter alone, q as an id, a reference, an IBAN, rare, common and
//      misspelt names, filters combined, a second page), sends SEARCH_BENCH_REQUESTS (100) requests of
//      GET /transactions one at a time after 5 to warm up: p50, p95, p99 and the slowest, and how many cases
//      the page held (target: p99 under 100 ms for each).
//   4. Holds BULK_BENCH_ITEMS (100) new transactions through validate, and decides them all with one
//      POST /transactions/decisions, BULK_BENCH_ROUNDS (5) times: the time of each call (target: under 2 s).
//   5. Prints the load average, and always cleans up: stops the service, drops the database.
// Exit code 0 unless something failed; a missed target is reported as FAIL but does not change it.
// Environment: DATABASE_URL, SEARCH_BENCH_ROWS, SEARCH_BENCH_REQUESTS, BULK_BENCH_ITEMS, BULK_BENCH_ROUNDS, SEARCH_BENCH_SERVICE_LOG=1.
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import pg from 'pg';
import { seedQueue } from './search-seed.mjs';
import { cleanups as createCleanups, createBenchDatabase, startService, stopService, timeSequential } from './service.mjs';

const ADMIN_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const ROWS = Number(process.env.SEARCH_BENCH_ROWS || 1_000_000);
const REQUESTS = Number(process.env.SEARCH_BENCH_REQUESTS || 100);
const BULK_ITEMS = Number(process.env.BULK_BENCH_ITEMS || 100);
const BULK_ROUNDS = Number(process.env.BULK_BENCH_ROUNDS || 5);
const TARGET_P99_MS = 100;
const TARGET_BULK_MS = 2000;
const API_KEY = 'search-bench-key-0123456789';
const TOKEN = 'search-bench-token-0123456789';

const cleanups = createCleanups('search-bench', 3_600_000);
const log = (message) => console.log(`[search-bench] ${message}`);
const load = () => loadavg().map((figure) => figure.toFixed(2)).join(' ');

async function call(baseUrl, method, path, body) {
  const headers = { authorization: `Bearer ${TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) };
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body: body && JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

/** A pending case half way along the queue, whose values the searches look for. */
async function sampleCase(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT c.transaction_id AS id, t.reference, t.beneficiary ->> 'name' AS name, t.beneficiary ->> 'iban' AS iban, c.source_account_id AS account,
              c.customer_id AS customer, c.currency, c.opened_at AS at
         FROM review_cases c JOIN transactions t ON t.id = c.transaction_id
        WHERE c.status = 'PENDING_EXTERNAL_APPROVAL' AND c.beneficiary_name NOT LIKE '% smith' AND c.opened_at < now() - $1::int * interval '15 seconds'
        ORDER BY c.opened_at DESC LIMIT 1`,
      [ROWS],
    );
    return rows[0];
  } finally {
    await client.end();
  }
}

function searches(sample) {
  const [given, surname] = sample.name.split(' ');
  const spacedIban = sample.iban.toLowerCase().replace(/(.{4})/g, '$1 ').trim();
  const day = new Date(sample.at).toISOString().slice(0, 10);
  const nextDay = new Date(new Date(sample.at).getTime() + 86_400_000).toISOString().slice(0, 10);
  const weekAgo = new Date(Date.now() - 7 * 86_400_000).toISOString();
  const misspelt = `${surname.slice(0, -2)}${surname.slice(-1)}${surname.slice(-2, -1)}`;
  const pending = 'status=PENDING_EXTERNAL_APPROVAL';
  return [
    ['first page, no filter', ''],
    [pending, pending],
    ['sourceAccountId', `sourceAccountId=${sample.account}`],
    ['customerId', `customerId=${sample.customer}`],
    ['beneficiaryIban (spaced, lower case)', `beneficiaryIban=${encodeURIComponent(spacedIban)}`],
    ['minAmount broad (>= 10)', 'minAmount=10'],
    ['minAmount narrow (>= 99990.5)', 'minAmount=99990.5'],
    ['maxAmount narrow (<= 5.25)', 'maxAmount=5.25'],
    ['amount range 5000 to 5050.50', 'minAmount=5000&maxAmount=5050.50'],
    ['currency common (EUR)', 'currency=EUR'],
    ['currency rare (GOLD, 0.1%)', 'currency=GOLD'],
    ['from/to one day', `from=${day}&to=${nextDay}`],
    ['from last week', `from=${encodeURIComponent(weekAgo)}`],
    ['q = a whole transaction id', `q=${sample.id}`],
    ['q = 8 characters of an id', `q=${sample.id.slice(9, 17)}`],
    ['q = a reference', `q=${sample.reference}`],
    ['q = IBAN fragment with spaces', `q=${encodeURIComponent(spacedIban.slice(0, 14))}`],
    ['q = a full name (rare)', `q=${encodeURIComponent(sample.name)}`],
    ['q = a rare surname', `q=${encodeURIComponent(surname)}`],
    ['q = a rare surname misspelt', `q=${encodeURIComponent(misspelt)}`],
    ['q = common surname (smith, 10%)', 'q=smith'],
    ['q = common given name (3%)', `q=${given}`],
    ['q = common name misspelt (jon smith)', 'q=jon%20smith'],
    ['q = no match', 'q=zqxwv'],
    ['q = common + pending', `q=smith&${pending}`],
    ['q = rare surname + pending', `q=${encodeURIComponent(surname)}&${pending}`],
    ['q = common + currency rare', 'q=smith&currency=GOLD'],
    ['q = common + currency + status', `q=${given}&currency=CHF&status=REJECTED`],
    ['currency rare + pending', `currency=GOLD&${pending}`],
    ['minAmount narrow + pending', `minAmount=99990.5&${pending}`],
    ['all filters on the sample', `q=${encodeURIComponent(surname)}&sourceAccountId=${sample.account}&customerId=${sample.customer}&currency=${sample.currency}&${pending}`],
  ];
}

async function measureSearches(baseUrl, sample) {
  let failures = 0;
  for (const [label, query] of [...searches(sample), ['second page of q = smith', 'q=smith']]) {
    let path = `/transactions?${query}`;
    if (label.startsWith('second page')) path += `&cursor=${(await call(baseUrl, 'GET', path)).nextCursor}`;
    const page = await call(baseUrl, 'GET', path);
    const figures = await timeSequential(REQUESTS, 5, () => call(baseUrl, 'GET', path));
    const verdict = figures.p99 < TARGET_P99_MS ? 'PASS' : 'FAIL';
    if (verdict === 'FAIL') failures += 1;
    log(`${label.padEnd(40)} p50 ${figures.p50.toFixed(1).padStart(6)} ms  p95 ${figures.p95.toFixed(1).padStart(6)}  p99 ${figures.p99.toFixed(1).padStart(6)}  max ${figures.max.toFixed(1).padStart(6)}  ${String(page.items.length).padStart(2)} cases${page.nextCursor ? ', more' : ''}  ${verdict}`);
  }
  log(`searches: ${failures === 0 ? 'PASS' : `FAIL (${failures} over)`} (target p99 < ${TARGET_P99_MS} ms each), load average ${load()}`);
}

async function measureBulk(baseUrl) {
  for (let round = 1; round <= BULK_ROUNDS; round += 1) {
    const ids = [];
    for (let i = 0; i < BULK_ITEMS; i += 1) {
      const transactionId = `bulk-bench-${randomUUID()}`;
      const response = await fetch(`${baseUrl}/transaction/validate`, {
        method: 'POST',
        headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' },
        body: JSON.stringify({ transactionId, amount: '12000.00', currency: 'EUR', beneficiary: { name: 'Bulk Bench', country: 'GB' } }),
      });
      if ((await response.json()).status !== 'PENDING_EXTERNAL_APPROVAL') throw new Error('a bulk bench transaction was not held');
      ids.push(transactionId);
    }
    const items = ids.map((transactionId, i) => ({ transactionId, status: i % 2 === 0 ? 'APPROVED' : 'REJECTED', reason: `Bulk round ${round}` }));
    const started = performance.now();
    const { results } = await call(baseUrl, 'POST', '/transactions/decisions', { items });
    const ms = performance.now() - started;
    const decided = results.filter((result) => result.outcome === 'DECIDED').length;
    log(`bulk round ${round}: ${BULK_ITEMS} decisions in ${ms.toFixed(0)} ms, ${decided} DECIDED: ${ms < TARGET_BULK_MS && decided === BULK_ITEMS ? 'PASS' : 'FAIL'} (target < ${TARGET_BULK_MS} ms)`);
  }
}

async function main() {
  const db = await createBenchDatabase(ADMIN_URL, 'search_bench', cleanups);
  const service = await startService(
    { DATABASE_URL: db.url, TOQIO_API_KEY: API_KEY, ANALYST_TOKENS: `bench:${TOKEN}:supervisor`, ANALYST_RATE_LIMIT_PER_MINUTE: '1000000' },
    { echo: process.env.SEARCH_BENCH_SERVICE_LOG === '1' },
  );
  cleanups.push(() => stopService(service));
  log(`seeding ${ROWS} held transactions (load average ${load()})`);
  log(`seeded in ${(await seedQueue(db.url, ROWS)).toFixed(0)} s`);
  const sample = await sampleCase(db.url);
  log(`sample case ${sample.id}: ${sample.name}, ${sample.iban}, ${sample.reference}, ${sample.account}, ${sample.customer}`);
  await measureSearches(service.baseUrl, sample);
  await measureBulk(service.baseUrl);
  log(`load average when done: ${load()} (1, 5, 15 min)`);
}

main()
  .catch((error) => {
    console.error(`[search-bench] failed: ${error.stack ?? error.message}`);
    process.exitCode = 1;
  })
  .finally(() => cleanups.run());
