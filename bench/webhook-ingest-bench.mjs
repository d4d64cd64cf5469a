// What bench:paystack and bench:platforms share: a payment webhook's ingestion (verify, store, acknowledge) on the
// built service, open loop at a fixed rate and then closed loop, with the database checked for what was kept.
//
// What it does, in order:
//   1. Creates a fresh database <database>_<time> on DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test)
//      and starts the built service (node dist/main.js) on it with the given environment and the shipped rules.
//   2. Open loop (bench/open-loop.mjs) at `rate` events/s for `seconds` after a 2 s warm-up: each request a new event
//      (`nextBody`), signed by `sign`. Latency runs from each request's intended send time to the end of its answer, so
//      a stalled service shows in the figures.
//   3. Counts what the database holds afterwards: every acknowledged event must be stored exactly once, and its
//      follow-up (the screening of the payment) done or still queued — nothing lost.
//   4. Closed loop with autocannon (`connections`) for 10 s: the most events/s one instance takes.
// Prints the figures against the targets (≥ 2,000 events/s, p99 < 20 ms) and always cleans up.
// WEBHOOK_BENCH_NODE_ARGS adds arguments to the service's node (a CPU profile: "--cpu-prof --cpu-prof-dir=DIR").
// Exit code 0 unless something failed; a missed target is reported as FAIL but does not change it.
import autocannon from 'autocannon';
import pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { runOpenLoop } from './open-loop.mjs';
import { cleanups as createCleanups, createBenchDatabase, startService, stopService } from './service.mjs';

const ADMIN_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const TARGET_RATE = 2_000;
const TARGET_P99_MS = 20;

/**
 * `name`: the log prefix and database name; `path`: the webhook route; `env`: the service's variables beyond the
 * database; `nextBody()`: a new event's exact text; `sign(body)`: its signature headers; `sent()`: how many were made.
 */
export async function runWebhookIngestBench({ name, path, env, nextBody, sign, sent, rate, seconds, connections }) {
  const log = (message) => console.log(`[${name}] ${message}`);
  const cleanups = createCleanups(name, 300_000);
  try {
    await measure({ name, path, env, nextBody, sign, sent, rate, seconds, connections, log, cleanups });
  } catch (error) {
    console.error(`[${name}] failed: ${error.stack ?? error}`);
    process.exitCode = 1;
  } finally {
    await cleanups.run();
    process.exit();
  }
}

async function measure({ name, path, env, nextBody, sign, sent, rate, seconds, connections, log, cleanups }) {
  const { url: databaseUrl, name: database } = await createBenchDatabase(ADMIN_URL, name.replace(/-/g, '_'), cleanups);
  // One source sending thousands a second would be rate-limited (WEBHOOK_RATE_LIMIT_PER_MINUTE): this measures capacity.
  // WEBHOOK_BENCH_NODE_ARGS (space-separated) goes to the service's node, e.g. "--cpu-prof --cpu-prof-dir=/tmp/profiles".
  const nodeArgs = (process.env.WEBHOOK_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const service = await startService({ NODE_ENV: 'test', TOQIO_API_KEY: `${name}-key-0123456789`, WEBHOOK_RATE_LIMIT_PER_MINUTE: '1000000', ...env, DATABASE_URL: databaseUrl }, { nodeArgs });
  cleanups.push(() => stopService(service));
  log(`service up at ${service.baseUrl}; database ${database}`);

  const open = await runOpenLoop({ baseUrl: service.baseUrl, path, headers: { 'content-type': 'application/json' }, nextBody, headersFor: sign, rate, durationS: seconds });
  log(
    `open loop at ${rate}/s for ${seconds} s: ${open.ok} acknowledged, ${open.errors} errors; latency p50 ${open.latency.p50.toFixed(1)} ms, ` +
      `p90 ${open.latency.p90.toFixed(1)} ms, p99 ${open.latency.p99.toFixed(1)} ms, max ${open.latency.max.toFixed(1)} ms; ` +
      `answered ${open.answeredRate.toFixed(0)}/s; sender lateness p99 ${open.senderLateness.p99.toFixed(1)} ms`,
  );
  const kept = await countKept(databaseUrl, cleanups, sent());
  log(`database: ${kept.events} events (${kept.distinct} distinct keys) for ${kept.sent} sent; ${kept.screened} inbound payments screened (${kept.held} held as alerts), ${kept.pending} follow-ups still queued ` +
      `(the queue ${kept.pending === 0 ? 'emptied' : 'was waited on for'} ${kept.drainedInS.toFixed(1)} s after the last answer)`);

  const closed = await autocannon({
    url: service.baseUrl,
    connections,
    duration: 10,
    requests: [
      {
        method: 'POST',
        path,
        headers: { 'content-type': 'application/json' },
        setupRequest(request) {
          const body = nextBody();
          request.body = body;
          request.headers = { ...request.headers, ...sign(body) };
          return request;
        },
      },
    ],
  });
  log(`closed loop, ${connections} connections, 10 s: ${closed.requests.average.toFixed(0)} events/s, p50 ${closed.latency.p50} ms, p99 ${closed.latency.p99} ms, errors ${closed.errors + closed.non2xx}`);

  const verdict = (ok) => (ok ? 'PASS' : 'FAIL');
  log(`target ≥ ${TARGET_RATE} events/s acknowledged: ${open.answeredRate.toFixed(0)}/s open loop, ${closed.requests.average.toFixed(0)}/s closed loop — ${verdict(open.answeredRate >= TARGET_RATE * 0.99 && open.errors === 0)}`);
  log(`target p99 < ${TARGET_P99_MS} ms at ${rate}/s: ${open.latency.p99.toFixed(1)} ms — ${verdict(open.latency.p99 < TARGET_P99_MS)}`);
  log(`nothing lost: ${kept.events === kept.distinct && kept.events >= open.ok ? 'PASS' : 'FAIL'} (${kept.events} stored ≥ ${open.ok} acknowledged, no key twice)`);
}

/**
 * What the database holds once the open loop is over, after giving the follow-ups up to 10 s to
 * screen the last ones; how long they took is the screening's lag behind the acknowledgements.
 */
async function countKept(databaseUrl, cleanups, sent) {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  cleanups.push(() => db.end());
  const [{ events, distinct }] = (await db.query(`SELECT count(*)::int AS events, count(DISTINCT (provider, dedupe_key))::int AS distinct FROM payment_events`)).rows;
  let pending = 0;
  const started = performance.now();
  for (let i = 0; i < 100; i += 1) {
    pending = (await db.query(`SELECT count(*)::int AS n FROM payment_follow_ups`)).rows[0].n;
    if (pending === 0) break;
    await sleep(100);
  }
  const [{ screened, held }] = (
    await db.query(`SELECT count(*) FILTER (WHERE state <> 'SCREENING')::int AS screened, count(*) FILTER (WHERE state = 'PENDING_EXTERNAL_APPROVAL')::int AS held FROM transactions WHERE direction = 'INBOUND'`)
  ).rows;
  return { events, distinct, sent, pending, screened, held, drainedInS: (performance.now() - started) / 1000 };
}
