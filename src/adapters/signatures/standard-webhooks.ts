// The Standard Webhooks signature, shared by the callbacks we verify and the events we send.
import { createHmac } from 'node:crypto';

const SECRET_PREFIX = 'whsec_';

/** The HMAC key of a secret written "whsec_<base64>" (the prefix is optional). */
export function standardWebhooksKey(secret: string): Buffer {
  const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
  if (key.length === 0) throw new Error('a Standard Webhooks secret cannot be empty');
  return key;
}

/**
 * HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>"; the header carries it as
 * "v1,<base64>". node:crypto's rather than the `standardwebhooks` package's pure-JavaScript
 * SHA-256, which takes milliseconds per 100 KiB (a forger could make us spend them).
 */
export function standardWebhooksSignature(key: Buffer, id: string, timestamp: string, body: Uint8Array | string): Buffer {
  return createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest();
}
