// Deliveries of a declared payment platform as the suites send them: the example platform, signed as its file says.
import { createHmac } from 'node:crypto';
import { resolve } from 'node:path';
import { httpCall, HttpTarget } from './http';

/** The shipped example file and the secret the suites give its platform. */
export const EXAMPLE_PLATFORMS_FILE = resolve(__dirname, '..', '..', 'config', 'payment-platforms.example.yaml');
export const EXAMPLE_PLATFORM = 'example-pay';
export const EXAMPLE_SECRET = 'example-pay-webhook-secret-0123456789';

/** The example body, with the event, reference and amount given. */
export function examplePlatformBody(event: string, reference: string, amount: number | string = 5000, currency = 'NGN') {
  return { event, data: { transaction_id: reference, amount, currency, status: 'success', customer: { email: 'customer@example.com', name: 'John Doe' } } };
}

/** Signs the exact text as the example file says (hex HMAC-SHA512 in x-example-signature) unless told otherwise, and POSTs it. */
export async function deliverToPlatform(
  target: HttpTarget,
  body: unknown,
  options: { platform?: string; secret?: string; signature?: string | null; headers?: Record<string, string> } = {},
) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const signature = options.signature === undefined ? createHmac('sha512', options.secret ?? EXAMPLE_SECRET).update(text).digest('hex') : options.signature;
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (signature !== null) headers['x-example-signature'] = signature;
  return httpCall(target, 'POST', `/webhooks/platforms/${options.platform ?? EXAMPLE_PLATFORM}`, { headers, body: text });
}
