// Opens PayTo's secured_payload: a compact JWS (RS256 only), possibly wrapped in a JWE (RSA-OAEP, A256CBC-HS512).
import { createPrivateKey, createPublicKey, KeyObject } from 'node:crypto';
import { compactDecrypt, errors, jwtVerify } from 'jose';
import { WebhookUnauthenticError } from '../../../domain/domain-error';
import { JsonObject } from '../../../domain/transaction';

/**
 * A few minutes either way for exp, nbf and iat, when the sender sets them. Neither exp nor iat is
 * required: ANZ redelivers the same signed payload until it is answered RCVD, and a replay has no
 * second effect (dedupe keys) nor moves anything backwards (ordering), so a token's age proves
 * nothing worth refusing a genuine event for. A token issued in the future is refused.
 */
const CLOCK_TOLERANCE_SECONDS = 300;
const COMPACT_PARTS = /^[A-Za-z0-9_-]*(\.[A-Za-z0-9_-]*)+$/;

export interface PaytoKeys {
  readonly signingPublicKey: string;
  readonly decryptionPrivateKey?: string;
}

export class PaytoTokenOpener {
  private readonly verificationKey: KeyObject;
  private readonly decryptionKey?: KeyObject;

  constructor(keys: PaytoKeys) {
    this.verificationKey = createPublicKey(keys.signingPublicKey);
    this.decryptionKey = keys.decryptionPrivateKey === undefined ? undefined : createPrivateKey(keys.decryptionPrivateKey);
  }

  /**
   * The verified payload. Throws WebhookUnauthenticError for anything that is not a token signed
   * with ANZ's key: a bad signature, another algorithm (none, HS256 keyed with the public key),
   * an undecryptable or expired token; nothing about why is given beyond a short reason.
   */
  async open(token: string): Promise<JsonObject> {
    if (!COMPACT_PARTS.test(token)) throw new WebhookUnauthenticError('secured_payload is not a compact JWS or JWE');
    const parts = token.split('.').length;
    let jws = token;
    if (parts === 5) jws = await this.decrypt(token);
    else if (parts !== 3) throw new WebhookUnauthenticError('secured_payload is not a compact JWS or JWE');
    let verified: JsonObject;
    try {
      const { payload } = await jwtVerify(jws, this.verificationKey, { algorithms: ['RS256'], clockTolerance: CLOCK_TOLERANCE_SECONDS });
      verified = payload as JsonObject;
    } catch (error) {
      throw new WebhookUnauthenticError(`secured_payload does not verify: ${reason(error)}`);
    }
    if (typeof verified.iat === 'number' && verified.iat > Date.now() / 1000 + CLOCK_TOLERANCE_SECONDS) {
      throw new WebhookUnauthenticError('secured_payload does not verify: its iat is in the future');
    }
    return verified;
  }

  private async decrypt(jwe: string): Promise<string> {
    if (!this.decryptionKey) throw new WebhookUnauthenticError('secured_payload is encrypted, but no PAYTO_DECRYPTION_PRIVATE_KEY is configured');
    try {
      const { plaintext } = await compactDecrypt(jwe, this.decryptionKey, {
        keyManagementAlgorithms: ['RSA-OAEP'],
        contentEncryptionAlgorithms: ['A256CBC-HS512'],
      });
      return new TextDecoder('utf-8', { fatal: true }).decode(plaintext).trim();
    } catch (error) {
      throw new WebhookUnauthenticError(`secured_payload cannot be decrypted: ${reason(error)}`);
    }
  }
}

/** jose's error codes are short and safe to show; anything else is summarised. */
function reason(error: unknown): string {
  if (error instanceof errors.JOSEError) return error.code;
  return 'malformed token';
}
