// Aggregates (`npm run bench:aggregates`): counting rows through an index against a running counter per time bucket.
//
// Issue 16 asked whether a running counter beats counting rows. Both are measured on one fresh database:
//   1. Migrations applied by starting the built service once (then stopped); AGG_BENCH_ROWS (1,000,000)
//      transactions spread over the last 30 days across 5,000 source accounts, plus one hot account holding
//      AGG_BENCH_HOT_ROWS (20,000) of them; VACUUM (ANALYZE).
//   2. Counting rows, as the claim does: count(*) and sum(amount) over (source_account_id, received_at) for
//      windows of 1 minute, 1 hour, 1 day and 30 days, for random accounts and for the hot one.
//   3. A running counter: a table of (account, bucket start, count, sum) with 1-minute buckets for windows up
//      to an hour and 1-hour buckets beyond, filled from the same rows; reads sum the window's buckets.
//   4. The write side of each, per new transaction: inserting a row into transactions (which keeps the
//      indexes up to date) against the same insert plus one upsert per counter table, on one connection,
//      and with 8 connections writing the hot account at once (the counter's row lock serialises them).
// Each read case runs AGG_BENCH_READS (300) times on one connection; p50 and p99 of the client's wall time.
import pg from 'pg';
import { loadavg } from 'node:os';
import { cleanups as createCleanups, createMigratedBenchDatabase } from './service.mjs';

const ADMIN_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const ROWS = Number(process.env.AGG_BENCH_ROWS || 1_000_000);
const HOT_ROWS = Number(process.env.AGG_BENCH_HOT_ROWS || 20_000);
const READS = Number(process.env.AGG_BENCH_READS || 300);
const WRITES = 2_000;
const WINDOWS = [60, 3_600, 86_400, 30 * 86_400];
const cleanups = createCleanups('aggregate-bench', 900_000);
const log = (message) => console.log(`[aggregate-bench] ${message}`);

const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];
const ms = (values) => `p50 ${percentile(values, 50).toFixed(2)} ms, p99 ${percentile(values, 99).toFixed(2)} ms`;

async function timed(times, run) {
  const samples = [];
  for (let i = 0; i < times; i += 1) {
    const started = process.hrtime.bigint();
    await run(i);
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return samples;
}

async function seed(client) {
  const started = Date.now();
  await client.query(
    `INSERT INTO transactions (id, direction, state, amount, currency, source_account_id, payload, received_at, claimed_at)
     SELECT 'agg-' || g, 'OUTBOUND', 'APPROVED', ((g::bigint * 7919) % 2000000) / 100.0 + 1, 'EUR',
            CASE WHEN g <= $2 THEN 'acc-hot' ELSE 'acc-' || (g % 5000) END, '{}',
            now() - make_interval(secs => ((g::bigint * 104729) % 2592000)::float8), now()
       FROM generate_series(1, $1::int) AS g`,
    [ROWS, HOT_ROWS],
  );
  for (const [name, width] of [['agg_minute', 'minute'], ['agg_hour', 'hour']]) {
    await client.query(`CREATE TABLE ${name} (account text, bucket timestamptz, n bigint, total numeric, PRIMARY KEY (account, bucket))`);
    await client.query(`INSERT INTO ${name} SELECT source_account_id, date_trunc('${width}', received_at), count(*), sum(amount) FROM transactions GROUP BY 1, 2`);
  }
  await client.query('VACUUM (ANALYZE)');
  log(`seeded ${ROWS} transactions (${HOT_ROWS} on acc-hot) and the counters in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function reads(client) {
  const account = (i, hot) => (hot ? 'acc-hot' : `acc-${(i * 37) % 5000}`);
  const lines = [];
  for (const window of WINDOWS) {
    for (const hot of [false, true]) {
      const rows = await timed(READS, (i) =>
        client.query({ name: 'rows', text: `SELECT count(*), sum(amount) FROM transactions WHERE source_account_id = $1 AND received_at > now() - make_interval(secs => $2)`, values: [account(i, hot), window] }),
      );
      const table = window <= 3_600 ? 'agg_minute' : 'agg_hour';
      const counter = await timed(READS, (i) =>
        client.query({ name: `counter-${table}`, text: `SELECT sum(n), sum(total) FROM ${table} WHERE account = $1 AND bucket > now() - make_interval(secs => $2)`, values: [account(i, hot), window] }),
      );
      const [{ n }] = (await client.query(`SELECT count(*)::int AS n FROM transactions WHERE source_account_id = $1 AND received_at > now() - make_interval(secs => $2)`, [account(1, hot), window])).rows;
      lines.push(`| ${window} s | ${hot ? 'hot' : 'typical'} | ${n} | ${ms(rows)} | ${ms(counter)} |`);
    }
  }
  return lines;
}

async function writes(client, url) {
  const insert = (id, account) => client.query({ name: 'insert', text: `INSERT INTO transactions (id, direction, state, amount, currency, source_account_id, payload) VALUES ($1, 'OUTBOUND', 'APPROVED', 12.34, 'EUR', $2, '{}')`, values: [id, account] });
  const upsert = (c, table, width, account) =>
    c.query({ name: `upsert-${table}`, text: `INSERT INTO ${table} VALUES ($1, date_trunc('${width}', now()), 1, 12.34) ON CONFLICT (account, bucket) DO UPDATE SET n = ${table}.n + 1, total = ${table}.total + excluded.total`, values: [account] });
  const rowsOnly = await timed(WRITES, (i) => insert(`w-rows-${i}`, `acc-${i % 5000}`));
  const withCounters = await timed(WRITES, async (i) => {
    await client.query('BEGIN');
    await insert(`w-counter-${i}`, `acc-${i % 5000}`);
    await upsert(client, 'agg_minute', 'minute', `acc-${i % 5000}`);
    await upsert(client, 'agg_hour', 'hour', `acc-${i % 5000}`);
    await client.query('COMMIT');
  });
  // Eight writers on the hot account at once: each upsert waits for the bucket row's lock.
  const writers = await Promise.all(Array.from({ length: 8 }, async () => { const c = new pg.Client({ connectionString: url }); await c.connect(); return c; }));
  const hot = await Promise.all(
    writers.map((c, w) =>
      timed(WRITES / 8, async (i) => {
        await c.query('BEGIN');
        await c.query(`INSERT INTO transactions (id, direction, state, amount, currency, source_account_id, payload) VALUES ($1, 'OUTBOUND', 'APPROVED', 1, 'EUR', 'acc-hot', '{}')`, [`w-hot-${w}-${i}`]);
        await upsert(c, 'agg_minute', 'minute', 'acc-hot');
        await upsert(c, 'agg_hour', 'hour', 'acc-hot');
        await c.query('COMMIT');
      }),
    ),
  );
  const hotRows = await Promise.all(writers.map((c, w) => timed(WRITES / 8, (i) => c.query(`INSERT INTO transactions (id, direction, state, amount, currency, source_account_id, payload) VALUES ($1, 'OUTBOUND', 'APPROVED', 1, 'EUR', 'acc-hot', '{}')`, [`w-hotrows-${w}-${i}`]))));
  await Promise.all(writers.map((c) => c.end()));
  return [
    `| one writer, rows only (each insert its own commit) | ${ms(rowsOnly)} |`,
    `| one writer, row + two counter upserts (one commit) | ${ms(withCounters)} |`,
    `| 8 writers on the hot account, rows only | ${ms(hotRows.flat())} |`,
    `| 8 writers on the hot account, row + two counter upserts | ${ms(hot.flat())} |`,
  ];
}

try {
  const { database, client } = await createMigratedBenchDatabase(ADMIN_URL, 'aggregate_bench', cleanups);
  await seed(client);
  log(`load average before: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const readLines = await reads(client);
  const writeLines = await writes(client, database.url);
  console.log('\nreads (one connection, the claim\'s question: count and sum of one account over a window)\n');
  console.log('| window | account | rows in window | counting rows | running counter |\n|---|---|---:|---|---|');
  console.log(readLines.join('\n'));
  console.log('\nwrites, per new transaction\n\n| case | time |\n|---|---|');
  console.log(writeLines.join('\n'));
  log(`load average after: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
} catch (error) {
  console.error(`[aggregate-bench] failed: ${error.stack ?? error}`);
  process.exitCode = 1;
} finally {
  await cleanups.run();
}
