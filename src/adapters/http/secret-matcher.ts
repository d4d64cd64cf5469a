// Constant-time lookup of a presented secret among several accepted ones.
import { hash, timingSafeEqual } from 'node:crypto';

/**
 * Compares SHA-256 digests so that neither the secret's length nor its content leaks through
 * timing, and checks every candidate so that the position of a match does not leak either.
 */
export class SecretMatcher<T> {
  private readonly candidates: readonly { digest: Buffer; value: T }[];

  constructor(secrets: Iterable<readonly [secret: string, value: T]>) {
    this.candidates = [...secrets].map(([secret, value]) => ({ digest: digest(secret), value }));
  }

  match(presented: string): T | undefined {
    const presentedDigest = digest(presented);
    let found: T | undefined;
    for (const candidate of this.candidates) {
      if (timingSafeEqual(presentedDigest, candidate.digest) && found === undefined) found = candidate.value;
    }
    return found;
  }
}

/** One shot (crypto.hash): no Hash object a call. */
function digest(secret: string): Buffer {
  return hash('sha256', secret, 'buffer');
}
