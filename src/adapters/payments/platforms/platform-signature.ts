// Verifies a platform's webhook signature as PAYMENT_PLATFORMS_FILE describes it: HMAC (hex or base64, with an optional timestamp) or Standard Webhooks.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { WebhookUnauthenticError } from '../../../domain/domain-error';
import { StandardWebhooksCallbacks } from '../../monitoring/standard-webhooks/standard-webhooks.callbacks';
import { Platform, PlatformSignature } from './platform-definition';

export type Headers = Readonly<Record<string, string | string[] | undefined>>;

const HEX = /^[0-9a-fA-F]+$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const STANDARD_WEBHOOKS_HEADERS = ['webhook-id', 'webhook-timestamp', 'webhook-signature'];

/** The headers a delivery must carry before its body is worth reading. */
export function requiredHeaders(signature: PlatformSignature): string[] {
  if (signature.scheme === 'standard-webhooks') return STANDARD_WEBHOOKS_HEADERS;
  return signature.timestamp ? [signature.header, signature.timestamp.header] : [signature.header];
}

/** One platform's check, built once: throws WebhookUnauthenticError for what does not verify. */
export class PlatformSignatureVerifier {
  private readonly standardWebhooks?: StandardWebhooksCallbacks;

  constructor(
    private readonly platform: Platform,
    private readonly nowSeconds: () => number = () => Date.now() / 1000,
  ) {
    if (platform.signature.scheme === 'standard-webhooks') this.standardWebhooks = new StandardWebhooksCallbacks(platform.secret);
  }

  /** From the headers alone: each one the scheme needs is present. */
  checkHeaders(headers: Headers): void {
    for (const name of requiredHeaders(this.platform.signature)) {
      if (typeof headers[name] !== 'string') throw new WebhookUnauthenticError(`${name} is missing`);
    }
  }

  verify(headers: Headers, raw: Uint8Array): void {
    const { signature } = this.platform;
    if (signature.scheme === 'standard-webhooks') {
      this.standardWebhooks!.authenticate({ headers: stringHeaders(headers, STANDARD_WEBHOOKS_HEADERS), rawBody: raw });
      return;
    }
    const given = header(headers, signature.header);
    const digest = given?.startsWith(signature.prefix) ? decode(given.slice(signature.prefix.length), signature.encoding) : undefined;
    if (!digest) throw new WebhookUnauthenticError(`${signature.header} is missing or not a ${signature.encoding} ${signature.scheme} signature`);
    const hmac = createHmac(signature.scheme === 'hmac-sha256' ? 'sha256' : 'sha512', this.platform.secret);
    if (signature.timestamp) hmac.update(`${this.timestampOf(headers, signature.timestamp)}.`);
    const expected = hmac.update(raw).digest();
    if (digest.length !== expected.length || !timingSafeEqual(digest, expected)) throw new WebhookUnauthenticError(`${signature.header} does not match the body`);
  }

  private timestampOf(headers: Headers, timestamp: { header: string; toleranceSeconds: number }): string {
    const value = header(headers, timestamp.header) ?? '';
    const seconds = /^\d{1,12}$/.test(value) ? Number(value) : Number.NaN;
    if (!(Math.abs(this.nowSeconds() - seconds) <= timestamp.toleranceSeconds)) {
      throw new WebhookUnauthenticError(`${timestamp.header} must be Unix seconds within ${timestamp.toleranceSeconds} s of now`);
    }
    return value;
  }
}

function decode(text: string, encoding: 'hex' | 'base64'): Buffer | undefined {
  if (encoding === 'hex') return HEX.test(text) && text.length % 2 === 0 ? Buffer.from(text, 'hex') : undefined;
  return BASE64.test(text) ? Buffer.from(text, 'base64') : undefined;
}

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' ? value : undefined;
}

function stringHeaders(headers: Headers, names: readonly string[]): Record<string, string | undefined> {
  return Object.fromEntries(names.map((name) => [name, header(headers, name)]));
}
