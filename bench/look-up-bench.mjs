// Validate's look-up alone (`npm run bench:lookup`): PostgreSQL's own CPU for the statement that computes
// the rules engine's aggregates, by rule set and by the planner settings of validate's connections.
//
// bench:engine gives what validate costs at 1,000/s, on a machine that moves its p99 by more than the
// aggregates do. This reads one figure such a machine moves little: the CPU time the statement's backend
// spends (Linux's /proc/<pid>/schedstat, so PostgreSQL must run on this machine), a row at a time.
//   1. A fresh database on DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), its migrations applied
//      by starting the built service once; 50,000 transactions shaped like bench:engine's end: 5,000 accounts,
//      2,000 customers and 20,000 IBANs in turn, one row every 60 ms (50 minutes, ending two minutes ago, so that
//      no row leaves velocity's minute while the plannings' answers are compared), VACUUM (ANALYZE) after the
//      first 40,000 and not after the last 10,000, as autovacuum would have left it.
//   2. The store's look-up (lookUpBatchSql, from dist/) with no aggregate, with velocity alone, and with velocity
//      plus bench:engine's three (a daily EUR sum per customer, a distinct count of IBANs per account over an hour,
//      a count per IBAN over an hour); each on a connection of its own planning as validate's do
//      (HOT_PATH_PLANNER) and on one that keeps bitmap scans (the setting before 4 December 2026), every plan
//      generic, as a prepared statement's is from its sixth run.
//   3. LOOK_UP_BENCH_BLOCKS (8) blocks, each running every variant in turn for LOOK_UP_BENCH_BATCHES (300)
//      batches of four new transactions (the same ones for every variant; the order of the variants reversed
//      every other block); per variant, the backend's CPU a row, fastest and median block. Both plannings of a rule
//      set must answer the first 20 batches alike, or the bench fails.
//   4. 20,000 rows of one account (and one customer) within the last hour (none in its last two minutes), interleaved with as many of others,
//      then the four aggregates for that account in both plannings, 40 batches a block.
import pg from 'pg';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cleanups as createCleanups, createMigratedBenchDatabase, positiveIntegerFromEnv } from './service.mjs';

const require = createRequire(import.meta.url);
const { lookUpBatchSql } = require('../dist/adapters/persistence/postgres-transaction-once.queries.js');
const { HOT_PATH_PLANNER } = require('../dist/adapters/persistence/hot-path-pool.js');

const ADMIN_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const BLOCKS = positiveIntegerFromEnv('LOOK_UP_BENCH_BLOCKS', 8);
const BATCHES = positiveIntegerFromEnv('LOOK_UP_BENCH_BATCHES', 300);
const BATCH_SIZE = 4;
const cleanups = createCleanups('look-up-bench', 1_800_000);
const log = (message) => console.log(`[look-up-bench] ${message}`);

const VELOCITY = { fn: 'count', groupBy: 'sourceAccountId', windowSeconds: 60 };
const FOUR = [
  VELOCITY,
  { fn: 'sum', groupBy: 'customerId', windowSeconds: 86_400, currency: 'EUR' },
  { fn: 'distinct', of: 'beneficiaryIban', groupBy: 'sourceAccountId', windowSeconds: 3_600 },
  { fn: 'count', groupBy: 'beneficiaryIban', windowSeconds: 3_600 },
];
/** Every plan generic (a prepared statement's from its sixth run); no JIT, as on every connection of the service. */
const BASE_OPTIONS = '-c jit=off -c plan_cache_mode=force_generic_plan';
const PLANNINGS = { 'as validate plans': HOT_PATH_PLANNER.join('; '), 'with bitmap scans': 'SET enable_seqscan = off' };

const IBAN = (n) => `GB00BENC${String(n % 20_000).padStart(14, '0')}`;

async function seed(client) {
  const fill = (from, to) =>
    client.query(
      `INSERT INTO transactions (id, direction, state, amount, currency, source_account_id, customer_id, company_id, user_id,
                                 payment_scheme, reference, beneficiary, payload, received_at, claimed_at)
       SELECT 'tx-' || n, 'OUTBOUND', 'APPROVED', (n % 9000 + 1)::numeric + 0.25, 'EUR', 'acc-' || (n % 5000), 'cust-' || (n % 2000),
              'company', 'user', 'SEPA', 'Invoice ' || n,
              jsonb_build_object('name', 'Name ' || n, 'iban', 'GB00BENC' || lpad((n % 20000)::text, 14, '0'), 'country', 'GB'),
              jsonb_build_object('id', 'tx-' || n, 'note', repeat('x', 300)), now() - make_interval(secs => 120 + (50000 - n) * 0.06), now()
         FROM generate_series($1::int, $2::int) n`,
      [from, to],
    );
  await fill(1, 40_000);
  await client.query('VACUUM (ANALYZE) transactions');
  await fill(40_001, 50_000);
}

/**
 * 20,000 rows of acc-hot and cust-hot in the last hour, each beside a row of another account; none in the
 * last two minutes, so that velocity's minute is empty for the whole phase and both plannings answer alike.
 */
async function seedHotAccount(client) {
  await client.query(
    `INSERT INTO transactions (id, direction, state, amount, currency, source_account_id, customer_id, beneficiary, payload, received_at, claimed_at)
     SELECT 'hot-' || n, 'OUTBOUND', 'APPROVED', (n % 900 + 1)::numeric, 'EUR',
            CASE WHEN n % 2 = 0 THEN 'acc-hot' ELSE 'acc-other-' || (n % 7000) END, CASE WHEN n % 2 = 0 THEN 'cust-hot' ELSE 'cust-other-' || (n % 3000) END,
            jsonb_build_object('name', 'Name ' || n, 'iban', 'GB00HOTB' || lpad((n % 1000)::text, 14, '0')), '{}',
            now() - make_interval(secs => 120 + (40000 - n) * 0.07), now()
       FROM generate_series(1, 40000) n`,
  );
  await client.query('VACUUM (ANALYZE) transactions');
}

/** A batch of new transactions, as claimBatchJson writes them; `k` numbers them, so that every variant gets the same. */
function batchJson(k, hot) {
  return JSON.stringify(
    Array.from({ length: BATCH_SIZE }, (_, index) => {
      const n = 50_001 + k * BATCH_SIZE + index;
      return {
        position: index + 1, first: true, id: `new-${n}`, direction: 'OUTBOUND', amount: '120.50', currency: 'EUR',
        source_account_id: hot ? 'acc-hot' : `acc-${n % 5000}`, customer_id: hot ? 'cust-hot' : `cust-${n % 2000}`,
        company_id: 'company', user_id: 'user', payment_scheme: 'SEPA', reference: `Invoice ${n}`,
        beneficiary: { name: `Name ${n}`, iban: IBAN(n), country: 'GB' }, payload: { id: `new-${n}` },
      };
    }),
  );
}

/** The backend's CPU time in µs: schedstat's first field is its time on a CPU, in ns. */
function backendCpuUs(pid) {
  return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1000;
}

async function variant(url, name, aggregates, planner) {
  const client = new pg.Client({ connectionString: url, options: BASE_OPTIONS });
  await client.connect();
  cleanups.push(() => client.end());
  await client.query(planner);
  const { rows } = await client.query('SELECT pg_backend_pid() AS pid');
  const pid = rows[0].pid;
  if (!isLocalBackend(pid)) throw new Error(`PostgreSQL's backend ${pid} is not a process of this machine's /proc: run the bench beside its server`);
  return { name, client, pid, text: lookUpBatchSql(aggregates), perRowUs: [] };
}

/** Whether `pid` is a PostgreSQL backend on this machine, whose CPU /proc can tell. */
function isLocalBackend(pid) {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres' && existsSync(`/proc/${pid}/schedstat`);
  } catch {
    return false;
  }
}

/**
 * Runs each variant `batches` batches a block, in turn (the order reversed every other block),
 * `blocks` times; then checks that the plannings of one rule set answer alike, batch by batch.
 */
async function measure(variants, { blocks, batches, hot }) {
  const run = (v, k) => v.client.query({ name: 'look_up', text: v.text, values: [batchJson(k, hot)] });
  for (const v of variants) for (let k = 0; k < 10; k += 1) await run(v, k);
  for (let block = 0; block < blocks; block += 1) {
    for (const v of block % 2 === 0 ? variants : [...variants].reverse()) {
      const before = backendCpuUs(v.pid);
      for (let k = 0; k < batches; k += 1) await run(v, k);
      v.perRowUs.push((backendCpuUs(v.pid) - before) / (batches * BATCH_SIZE));
    }
  }
  for (let k = 0; k < Math.min(batches, 20); k += 1) {
    const answers = new Map();
    for (const v of variants) {
      const answer = JSON.stringify((await run(v, k)).rows.map((row) => [row.fresh, row.aggregates]));
      const rules = v.name.split(', ')[0];
      if (answers.has(rules) && answers.get(rules) !== answer) throw new Error(`batch ${k}: ${v.name} answered ${answer}, the other planning ${answers.get(rules)}`);
      answers.set(rules, answer);
    }
  }
  return variants.map((v) => {
    const sorted = [...v.perRowUs].sort((a, b) => a - b);
    return `| ${v.name} | ${sorted[0].toFixed(1)} | ${sorted[Math.floor(sorted.length / 2)].toFixed(1)} |`;
  });
}

const TABLE_HEAD = '| look-up | fastest block, µs a row | median block, µs a row |\n|---|---:|---:|';

try {
  const { database, client: admin } = await createMigratedBenchDatabase(ADMIN_URL, 'look_up_bench', cleanups);
  await seed(admin);
  log(`seeded 50,000 transactions; ${BLOCKS} blocks of ${BATCHES} batches of ${BATCH_SIZE}`);
  const typical = [];
  for (const [rules, aggregates] of [['no aggregate', []], ['velocity', [VELOCITY]], ['four aggregates', FOUR]]) {
    for (const [planning, planner] of Object.entries(PLANNINGS)) typical.push(await variant(database.url, `${rules}, ${planning}`, aggregates, planner));
  }
  const typicalLines = await measure(typical, { blocks: BLOCKS, batches: BATCHES, hot: false });
  console.log(`\ntypical accounts (PostgreSQL's CPU, the statement's backend only)\n\n${TABLE_HEAD}\n${typicalLines.join('\n')}`);
  await seedHotAccount(admin);
  const hot = [];
  for (const [planning, planner] of Object.entries(PLANNINGS)) hot.push(await variant(database.url, `four aggregates, ${planning}`, FOUR, planner));
  const hotLines = await measure(hot, { blocks: Math.min(BLOCKS, 6), batches: 40, hot: true });
  console.log(`\none account with 20,000 rows in its hour\n\n${TABLE_HEAD}\n${hotLines.join('\n')}`);
} catch (error) {
  console.error(`[look-up-bench] failed: ${error.stack ?? error}`);
  process.exitCode = 1;
} finally {
  await cleanups.run();
}
