// Benchmark of Paystack webhook ingestion (`npm run bench:paystack`): verify, store, acknowledge.
//
// Signed charge.success events (a fresh data.id and reference each), shaped like Paystack's published example and
// signed like Paystack signs (HMAC-SHA512 of the exact body, hex), offered open loop at PAYSTACK_BENCH_RATE (2,000)
// events/s for PAYSTACK_BENCH_SECONDS (20), then closed loop with PAYSTACK_BENCH_CONNECTIONS (32): see
// bench/webhook-ingest-bench.mjs for the phases and checks, shared with bench:platforms.
// The acknowledgement while the monitoring provider is down is proven by test/paystack-webhooks.e2e-spec.ts.
import { createHmac, randomUUID } from 'node:crypto';
import { runWebhookIngestBench } from './webhook-ingest-bench.mjs';

const SECRET = 'sk_test_bench_0123456789abcdef0123456789abcdef';

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

await runWebhookIngestBench({
  name: 'paystack-bench',
  path: '/webhooks/paystack',
  env: { PAYSTACK_SECRET_KEY: SECRET, PAYSTACK_VERIFY: 'false' },
  nextBody: nextCharge,
  sign: (body) => ({ 'x-paystack-signature': createHmac('sha512', SECRET).update(body).digest('hex') }),
  sent: () => sequence,
  rate: Number(process.env.PAYSTACK_BENCH_RATE || 2_000),
  seconds: Number(process.env.PAYSTACK_BENCH_SECONDS || 20),
  connections: Number(process.env.PAYSTACK_BENCH_CONNECTIONS || 32),
});
