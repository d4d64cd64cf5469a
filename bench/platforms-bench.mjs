// Benchmark of a declared platform's webhook ingestion (`npm run bench:platforms`): verify, read by the file's
// field paths, store, acknowledge.
//
// The platform is the shipped example (config/payment-platforms.example.yaml). Signed payment.success events (a
// fresh transaction_id each; the example has no event id, so each is keyed by its body's SHA-256), shaped like the
// issue's example body and signed as the file says (HMAC-SHA512 of the exact body, hex, in x-example-signature),
// offered open loop at PLATFORMS_BENCH_RATE (2,000) events/s for PLATFORMS_BENCH_SECONDS (20), then closed loop
// with PLATFORMS_BENCH_CONNECTIONS (32): see bench/webhook-ingest-bench.mjs for the phases and checks, shared with
// bench:paystack. Each is an inbound payment, screened after the answer as Paystack's charge.success is.
import { nextPayment, paymentsMade, PLATFORM_ENV, PLATFORM_PATH, signPayment } from './platform-payments.mjs';
import { runWebhookIngestBench } from './webhook-ingest-bench.mjs';

await runWebhookIngestBench({
  name: 'platforms-bench',
  path: PLATFORM_PATH,
  env: PLATFORM_ENV,
  nextBody: nextPayment,
  sign: signPayment,
  sent: paymentsMade,
  rate: Number(process.env.PLATFORMS_BENCH_RATE || 2_000),
  seconds: Number(process.env.PLATFORMS_BENCH_SECONDS || 20),
  connections: Number(process.env.PLATFORMS_BENCH_CONNECTIONS || 32),
});
