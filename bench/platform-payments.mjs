// The shipped example platform's payment.success events, signed as config/payment-platforms.example.yaml says:
// shared by bench:platforms and bench:profile's platforms route.
import { createHmac, randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PLATFORM_SECRET = 'example-pay-bench-secret-0123456789abcdef';
export const PLATFORMS_FILE = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', 'config', 'payment-platforms.example.yaml');
export const PLATFORM_PATH = '/webhooks/platforms/example-pay';
/** The service's variables that declare the platform. */
export const PLATFORM_ENV = { PAYMENT_PLATFORMS_FILE: PLATFORMS_FILE, EXAMPLE_PAY_WEBHOOK_SECRET: PLATFORM_SECRET };

let sequence = 0;
/** A new payment.success each call, with mostly small amounts (approved) and one in fifty held for review. */
export function nextPayment() {
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

/** How many events nextPayment has made. */
export const paymentsMade = () => sequence;

/** HMAC-SHA512 of the exact body, hex, in x-example-signature. */
export const signPayment = (body) => ({ 'x-example-signature': createHmac('sha512', PLATFORM_SECRET).update(body).digest('hex') });
