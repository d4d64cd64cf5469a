// Benchmark of Paystack webhook ingestion (`npm run bench:paystack`): verify, store, acknowledge.
//
// What it does, in order:
//   1. Creates a fresh database paystack_bench_<time> on DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test)
//      and starts the built service (node dist/main.js) on it with PAYSTACK_SECRET_KEY set and the shipped rules.
//   2. Open loop (bench/open-loop.mjs) at PAYSTACK_BENCH_RATE (2,000) events/s for PAYSTACK_BENCH_SECONDS (20) after a
//      2 s warm-up: each request a new charge.success (a fresh data.id and reference), shaped like Paystack's
//      published example and signed like Paystack signs (HMAC-SHA512 of the exact body, hex). Latency runs from each
//      request's intended send time to the end of its answer, so a stalled service shows in the figures.
//   3. Counts what the database holds afterwards: every acknowledged event must be stored exactly once, and its
//      follow-up (the screening of the payment) done or still queued — nothing lost.
//   4. Closed loop with autocannon (PAYSTACK_BENCH_CONNECTIONS, 32) for 10 s: the most events/s one instance takes.
// The acknowledgement while the monitoring provider is down is proven by test/paystack-webhooks.e2e-spec.ts.
// Prints the figures against the targets (≥ 2,000 events/s, p99 < 20 ms) and always cleans up.
// Exit code 0 unless something failed; a missed target is reported as FAIL but does not change it.
import autocannon from 'autocannon';
import pg from 'pg';
import { createHmac, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { runOpenLoop } from './open-loop.mjs';
import { cleanups as createCleanups, createBenchDatabase, startService as startBuiltService, stopService } from './service.mjs';

const ADMIN_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const RATE = Number(process.env.PAYSTACK_BENCH_RATE || 2_000);
const SECONDS = Number(process.env.PAYSTACK_BENCH_SECONDS || 20);
const CONNECTIONS = Number(process.env.PAYSTACK_BENCH_CONNECTIONS || 32);
const SECRET = 'sk_test_bench_0123456789abcdef0123456789abcdef';
const TARGET_RATE = 2_000;
const TARGET_P99_MS = 20;

const log = (message) => console.log(`[paystack-bench] ${message}`);
const cleanups = createCleanups('paystack-bench', 300_000);
const cleanUp = cleanups.run;

let sequence = 0;
/** A new charge.success each call, with mostly small amounts (approved) and one in fifty held for review. */
function nextCharge() {
  sequence += 1;
  const kobo = sequence % 50 === 0 ? 2_500_000_00 : 10_000 + (sequence % 997) * 100;
  return JSON.stringify({
    event: 'charge.success',
    data: {
      id: 5_000_000_000 + sequence,
      domain: 'live',
      status: 'success',
      reference: `bench-${randomUUID()}`,
      amount: kobo,
      gateway_response: 'Successful',
      paid_at: new Date().toISOString(),
      channel: 'card',
      currency: 'NGN',
      customer: { id: sequence, email: `payer${sequence % 500}@example.com`, customer_code: `CUS_bench${sequence % 500}` },
      authorization: { bin: '539999', last4: '8877', card_type: 'mastercard DEBIT', bank: 'Guaranty Trust Bank', country_code: 'NG' },
      metadata: { invoice: `INV-${sequence}` },
    },
  });
}
const sign = (body) => ({ 'x-paystack-signature': createHmac('sha512', SECRET).update(body).digest('hex') });

function startService(env) {
  // One source sending thousands a second would be rate-limited (WEBHOOK_RATE_LIMIT_PER_MINUTE): this measures capacity.
  return startBuiltService({ NODE_ENV: 'test', TOQIO_API_KEY: 'paystack-bench-key-0123456789', PAYSTACK_SECRET_KEY: SECRET, PAYSTACK_VERIFY: 'false', WEBHOOK_RATE_LIMIT_PER_MINUTE: '1000000', ...env });
}

async function main() {
  const { url: databaseUrl, name } = await createBenchDatabase(ADMIN_URL, 'paystack_bench', cleanups);
  const service = await startService({ DATABASE_URL: databaseUrl });
  cleanups.push(() => stopService(service));
  log(`service up at ${service.baseUrl}; database ${name}`);

  const open = await runOpenLoop({
    baseUrl: service.baseUrl,
    path: '/webhooks/paystack',
    headers: { 'content-type': 'application/json' },
    nextBody: nextCharge,
    headersFor: sign,
    rate: RATE,
    durationS: SECONDS,
  });
  log(
    `open loop at ${RATE}/s for ${SECONDS} s: ${open.ok} acknowledged, ${open.errors} errors; latency p50 ${open.latency.p50.toFixed(1)} ms, ` +
      `p90 ${open.latency.p90.toFixed(1)} ms, p99 ${open.latency.p99.toFixed(1)} ms, max ${open.latency.max.toFixed(1)} ms; ` +
      `answered ${open.answeredRate.toFixed(0)}/s; sender lateness p99 ${open.senderLateness.p99.toFixed(1)} ms`,
  );

  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  cleanups.push(() => db.end());
  const sent = sequence;
  const [{ events, distinct }] = (await db.query(`SELECT count(*)::int AS events, count(DISTINCT dedupe_key)::int AS distinct FROM payment_events`)).rows;
  // Give the follow-ups a moment to finish screening what was acknowledged last.
  let pending = 0;
  for (let i = 0; i < 100; i += 1) {
    pending = (await db.query(`SELECT count(*)::int AS n FROM payment_follow_ups`)).rows[0].n;
    if (pending === 0) break;
    await sleep(100);
  }
  const [{ screened, held }] = (
    await db.query(`SELECT count(*) FILTER (WHERE state <> 'SCREENING')::int AS screened, count(*) FILTER (WHERE state = 'PENDING_EXTERNAL_APPROVAL')::int AS held FROM transactions WHERE direction = 'INBOUND'`)
  ).rows;
  log(`database: ${events} events (${distinct} distinct keys) for ${sent} sent; ${screened} inbound payments screened (${held} held as alerts), ${pending} follow-ups still queued`);

  const closed = await autocannon({
    url: service.baseUrl,
    connections: CONNECTIONS,
    duration: 10,
    requests: [
      {
        method: 'POST',
        path: '/webhooks/paystack',
        headers: { 'content-type': 'application/json' },
        setupRequest(request) {
          const body = nextCharge();
          request.body = body;
          request.headers = { ...request.headers, ...sign(body) };
          return request;
        },
      },
    ],
  });
  log(`closed loop, ${CONNECTIONS} connections, 10 s: ${closed.requests.average.toFixed(0)} events/s, p50 ${closed.latency.p50} ms, p99 ${closed.latency.p99} ms, errors ${closed.errors + closed.non2xx}`);

  const verdict = (ok) => (ok ? 'PASS' : 'FAIL');
  const achieved = open.answeredRate;
  log(`target ≥ ${TARGET_RATE} events/s acknowledged: ${achieved.toFixed(0)}/s open loop, ${closed.requests.average.toFixed(0)}/s closed loop — ${verdict(achieved >= TARGET_RATE * 0.99 && open.errors === 0)}`);
  log(`target p99 < ${TARGET_P99_MS} ms at ${RATE}/s: ${open.latency.p99.toFixed(1)} ms — ${verdict(open.latency.p99 < TARGET_P99_MS)}`);
  log(`nothing lost: ${events === distinct && events >= open.ok ? 'PASS' : 'FAIL'} (${events} stored ≥ ${open.ok} acknowledged, no key twice)`);
}

main()
  .then(cleanUp, async (error) => {
    console.error(`[paystack-bench] failed: ${error.stack ?? error}`);
    process.exitCode = 1;
    await cleanUp();
  })
  .finally(() => process.exit());
