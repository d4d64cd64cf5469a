// Vendors' callback signatures that are the hex HMAC-SHA256 of the raw body (Flagright, Marble).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { WebhookUnauthenticError } from '../../domain/domain-error';

const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;

/**
 * Throws WebhookUnauthenticError unless `signature` (the value of `header`) looks like a hex
 * HMAC-SHA256 and, when `rawBody` is given, is the one of rawBody keyed with `secret`, compared in
 * constant time. Without rawBody it checks the header alone, before the body is read.
 */
export function checkHexHmacSha256(header: string, signature: string | undefined, secret: string, rawBody?: Uint8Array): void {
  const given = (signature ?? '').trim();
  if (!HEX_SHA256.test(given)) throw new WebhookUnauthenticError(`${header} is missing or is not a hex HMAC-SHA256`);
  if (rawBody === undefined) return;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  if (!timingSafeEqual(Buffer.from(given, 'hex'), expected)) throw new WebhookUnauthenticError(`${header} does not match the body`);
}
