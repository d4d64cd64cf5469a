// Paystack signs each webhook with HMAC-SHA512 of the raw body, keyed with the secret key.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Paystack sends lowercase hex, as the contract requires; nothing else is accepted. */
const HEX_SHA512 = /^[0-9a-f]{128}$/;

/** True when `signature` (the x-paystack-signature header) matches `rawBody`, compared in constant time. */
export function verifyPaystackSignature(rawBody: Uint8Array, signature: string | undefined, secretKey: string): boolean {
  if (signature === undefined || !HEX_SHA512.test(signature)) return false;
  const expected = createHmac('sha512', secretKey).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(signature, 'hex'));
}
