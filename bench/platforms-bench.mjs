// Benchmark of a declared platform's webhook ingestion (`npm run bench:platforms`): verify, read by the file's
// field paths, store, acknowledge.
//
// The platform is the shipped example (config/payment-platforms.example.yaml). Signed payment.success events (a
// fresh transaction_id each; the example has no event id, so each is keyed by its body's SHA-256), shaped like the
// issue's example body and signed as the file says (HMAC-SHA512 of the exact body, hex, in x-example-signature),
// offered open loop at PLATFORMS_BENCH_RATE (2,000) events/s for PLATFORMS_BENCH_SECONDS (20), then closed loop
// with PLATFORMS_BENCH_CONNECTIONS (32): see bench/webhook-ingest-bench.mjs for the phases and checks, shared with
// bench:paystack. Each is an inbound payment, screened after the answer as Paystack's charge.success is.
import { createHmac, randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runWebhookIngestBench } from './webhook-ingest-bench.mjs';

const SECRET = 'example-pay-bench-secret-0123456789abcdef';
const PLATFORMS_FILE = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', 'config', 'payment-platforms.example.yaml');

let sequence = 0;
/** A new payment.success each call, with mostly small amounts (approved) and one in fifty held for review. */
function nextPayment() {
  sequence += 1;
  const kobo = sequence % 50 === 0 ? 2_500_000_00 : 10_000 + (sequence % 997) * 100;
  return JSON.stringify({
    event: 'payment.success',
    data: {
      transaction_id: `bench-${randomUUID()}`,
      amount: kobo,
      currency: 'NGN',
      status: 'success',
      customer: { email: `payer${sequence % 500}@example.com`, name: `Payer ${sequence % 500}` },
    },
  });
}

await runWebhookIngestBench({
  name: 'platforms-bench',
  path: '/webhooks/platforms/example-pay',
  env: { PAYMENT_PLATFORMS_FILE: PLATFORMS_FILE, EXAMPLE_PAY_WEBHOOK_SECRET: SECRET },
  nextBody: nextPayment,
  sign: (body) => ({ 'x-example-signature': createHmac('sha512', SECRET).update(body).digest('hex') }),
  sent: () => sequence,
  rate: Number(process.env.PLATFORMS_BENCH_RATE || 2_000),
  seconds: Number(process.env.PLATFORMS_BENCH_SECONDS || 20),
  connections: Number(process.env.PLATFORMS_BENCH_CONNECTIONS || 32),
});
