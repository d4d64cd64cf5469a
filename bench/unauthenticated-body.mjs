// Benchmark of refusing unauthenticated bodies (`npm run bench:unauthenticated`): what a forged 1 MiB request costs the service.
//
// What it does, in order:
//   1. Creates a fresh database unauth_bench_<time> on DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) and
//      starts the built service (node dist/main.js) on it with every inbound route enabled: validate, the analyst API,
//      Paystack, PayTo and Standard Webhooks provider callbacks.
//   2. For each route class, sends UNAUTH_BENCH_REQUESTS (200) requests one after another, each with a 1 MiB body of
//      `[1,1,1,…]` (the costliest JSON to walk per byte) and missing or wrong credentials, plus, for the routes whose
//      credential is a signature over the body, a badly signed body just under the route's limit (250 KiB): that one
//      must be read, and is refused before it is parsed.
//   3. Server time per refused request is the service process's CPU time (user + system, all threads, from
//      /proc/<pid>/stat) over the run, less what it spends idle over as long (pollers, timers; measured for 2 s just
//      before), divided by the number of requests; the client's view (send start to answer) is printed beside it.
// Target: every class refused within 5 ms of server time. Prints PASS or FAIL per class and always cleans up.
import { generateKeyPairSync } from 'node:crypto';
import { Agent, request } from 'node:http';
import { cleanups as createCleanups, cpuMs as cpuMsOrNothing, createBenchDatabase, startService, stopService } from './service.mjs';

const ADMIN_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const REQUESTS = Number(process.env.UNAUTH_BENCH_REQUESTS || 200);
const TARGET_MS = 5;
const MiB = 1024 * 1024;

const log = (message) => console.log(`[unauthenticated-body] ${message}`);
const cleanups = createCleanups('unauthenticated-body', 300_000);

/** `[1,1,…,1]` of exactly `bytes` bytes (odd), valid JSON. */
const ones = (bytes) => `[${'1,'.repeat((bytes - 3) / 2)}1]`;
const now = () => String(Math.floor(Date.now() / 1000));
const standardWebhookHeaders = () => ({ 'webhook-id': 'msg_forged', 'webhook-timestamp': now(), 'webhook-signature': 'v1,Zm9yZ2Vk' });

const CLASSES = [
  { name: 'validate, wrong API key', path: '/transaction/validate', headers: () => ({ 'x-api-key': 'wrong-key' }), bytes: MiB + 1 },
  { name: 'analyst decision, no token', path: '/transactions/any/decision', headers: () => ({}), bytes: MiB + 1 },
  { name: 'PayTo, wrong API key', path: '/webhooks/payto/queries', headers: () => ({ apikey: 'wrong-key', 'x-message-id': '0b7e6a58-6c8e-4a3e-9e0a-3c1f7d2b9a10' }), bytes: MiB + 1 },
  { name: 'Paystack, no signature', path: '/webhooks/paystack', headers: () => ({}), bytes: MiB + 1 },
  { name: 'Paystack, wrong signature', path: '/webhooks/paystack', headers: () => ({ 'x-paystack-signature': 'f'.repeat(128) }), bytes: MiB + 1 },
  { name: 'Paystack, wrong signature, 250 KiB', path: '/webhooks/paystack', headers: () => ({ 'x-paystack-signature': 'f'.repeat(128) }), bytes: 250 * 1024 + 1 },
  { name: 'provider callback, no signature', path: '/webhooks/monitoring/rules', headers: () => ({}), bytes: MiB + 1 },
  { name: 'provider callback, wrong signature', path: '/webhooks/monitoring/rules', headers: standardWebhookHeaders, bytes: MiB + 1 },
  { name: 'provider callback, wrong signature, 250 KiB', path: '/webhooks/monitoring/rules', headers: standardWebhookHeaders, bytes: 250 * 1024 + 1 },
];

/** The service's CPU ms; a measurement that cannot be made stops the bench rather than reading as a slow server. */
function cpuMs(pid) {
  const ms = cpuMsOrNothing(pid);
  if (ms === undefined) throw new Error(`cannot read the CPU time of process ${pid} from /proc (not Linux, or the service has exited)`);
  return ms;
}

function send(agent, baseUrl, path, headers, body) {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const call = request(new URL(path, baseUrl), { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': String(body.length), ...headers } });
    call.on('response', (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
    });
    // The service may answer and close before taking the whole body: the answer usually still
    // arrives; when the socket is gone first, the request counts as answered with status 0 (no
    // answer seen), rather than waiting for ever.
    call.on('error', (error) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') return reject(error);
      setTimeout(() => resolve({ status: 0, ms: Number(process.hrtime.bigint() - started) / 1e6 }), 500).unref();
    });
    call.end(body);
  });
}

/** The service's own background work (pollers, timers): CPU ms per wall ms over 2 s with no requests. */
async function idleCpuRate(pid) {
  const before = cpuMs(pid);
  const startedAt = performance.now();
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  return (cpuMs(pid) - before) / (performance.now() - startedAt);
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function measure(service, pid, spec) {
  const body = Buffer.from(ones(spec.bytes));
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  for (let i = 0; i < 10; i += 1) await send(agent, service.baseUrl, spec.path, spec.headers(), body); // warm-up
  const idleRate = await idleCpuRate(pid);
  const before = cpuMs(pid);
  const startedAt = performance.now();
  const latencies = [];
  const statuses = new Map();
  for (let i = 0; i < REQUESTS; i += 1) {
    const { status, ms } = await send(agent, service.baseUrl, spec.path, spec.headers(), body);
    latencies.push(ms);
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
  }
  const busyMs = cpuMs(pid) - before - idleRate * (performance.now() - startedAt);
  const serverMs = Math.max(0, busyMs) / REQUESTS;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const answered = [...statuses].map(([status, count]) => `${count}×${status}`).join(' ');
  const verdict = serverMs <= TARGET_MS && ![...statuses.keys()].some((status) => status < 400 || status >= 500) ? 'PASS' : 'FAIL';
  log(
    `${verdict} ${spec.name} (${(body.length / 1024).toFixed(0)} KiB): server ${serverMs.toFixed(2)} ms CPU per request; ` +
      `client p50 ${percentile(latencies, 50).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms; answers ${answered}`,
  );
  return verdict === 'PASS';
}

async function main() {
  const { url: databaseUrl } = await createBenchDatabase(ADMIN_URL, 'unauth_bench', cleanups);
  const service = await startService({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    TOQIO_API_KEY: 'unauth-bench-key-0123456789',
    ANALYST_TOKENS: 'alice:unauth-bench-analyst-0123456789',
    PAYSTACK_SECRET_KEY: 'sk_test_unauth_bench_0123456789abcdef',
    PAYSTACK_VERIFY: 'false',
    PAYTO_API_KEY: 'unauth-bench-payto-0123456789',
    PAYTO_SIGNING_PUBLIC_KEY: generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    MONITORING_WEBHOOK_SECRET: `whsec_${Buffer.from('unauthenticated-body-bench-secret-0123').toString('base64')}`,
    // One client sending hundreds of requests would be rate limited: this measures the refusal itself.
    ANALYST_RATE_LIMIT_PER_MINUTE: '1000000',
    WEBHOOK_RATE_LIMIT_PER_MINUTE: '1000000',
  });
  cleanups.push(() => stopService(service));
  log(`service up at ${service.baseUrl}; ${REQUESTS} requests per class, one at a time`);
  let allPassed = true;
  for (const spec of CLASSES) allPassed = (await measure(service, service.child.pid, spec)) && allPassed;
  log(allPassed ? `every class refused within ${TARGET_MS} ms of server time` : `some class failed: over ${TARGET_MS} ms of server time, or an answer other than 4xx (0: the connection closed before any answer was read)`);
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => cleanups.run());
