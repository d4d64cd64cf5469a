// Single sign-on: verifies an identity provider's bearer JWT against its published keys, and reads who the analyst is and their role.
import { createRemoteJWKSet, decodeJwt, errors, JWTPayload, jwtVerify, JWTVerifyGetKey } from 'jose';
import { highestRole, Principal } from '../../domain/analyst-role';
import { isUsableId } from '../../domain/transaction-id';
import { Problem } from './problem-details';

export interface OidcSettings {
  /** ANALYST_OIDC_ISSUER: exactly the tokens' `iss`; its discovery document names the JWKS. */
  readonly issuer: string;
  /** ANALYST_OIDC_AUDIENCE: the tokens' `aud` must include it. */
  readonly audience: string;
  /** ANALYST_OIDC_ROLES_CLAIM: a claim name (`roles`, `https://example.com/roles`) or a dotted path (`realm_access.roles`). */
  readonly rolesClaim: string;
  /** ANALYST_OIDC_NAME_CLAIM: the claim naming the analyst (`preferred_username`, `email`, `sub`). */
  readonly nameClaim: string;
  /** A token with an unknown key id refetches the JWKS at most this often. */
  readonly jwksCooldownMs: number;
}

/** Asymmetric only: a key set is public, so a MAC key (HS256) in it would let anyone sign. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const FETCH_TIMEOUT_MS = 5_000;
/** Keys are refetched at least this often, so that a key the provider withdrew stops working. */
const JWKS_MAX_AGE_MS = 10 * 60_000;
/** Seconds of clock difference tolerated on exp, nbf and iat. */
const CLOCK_TOLERANCE_S = 30;
const MAX_NAME_LENGTH = 128;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** The identity provider could not be asked for its keys: the service is unwell, not the caller. */
export class IdentityProviderUnavailableProblem extends Problem {
  constructor(detail: string) {
    super(503, 'identity-provider-unavailable', 'Identity provider unavailable', detail, undefined, { 'retry-after': '5' });
  }
}

export class OidcTokenVerifier {
  private keys: Promise<JWTVerifyGetKey> | undefined;

  constructor(
    private readonly settings: OidcSettings,
    private readonly unauthorized: (detail: string) => Problem,
  ) {}

  /** True when the credential has the shape of a signed JWT, so that it is worth verifying. */
  static looksLikeJwt(credential: string): boolean {
    return COMPACT_JWS.test(credential);
  }

  /** The analyst a token names; a 401 problem for a token that does not verify, 403 for one without a known role. */
  async principalOf(token: string): Promise<Principal> {
    // Checked before any key is fetched: a token from elsewhere costs no request to the provider.
    if (unverifiedIssuerOf(token) !== this.settings.issuer) throw this.unauthorized('The token was not issued by the configured identity provider');
    const keys = await this.keySet();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        algorithms: ALGORITHMS,
        clockTolerance: CLOCK_TOLERANCE_S,
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      throw this.refusal(error);
    }
    // One claim, never a fallback to another: a token without the profile claims would otherwise
    // name the same person differently, and four-eyes would take them for two analysts.
    const name = nameOf(payload, this.settings.nameClaim);
    if (name === undefined) throw this.unauthorized(`The token names nobody: its "${this.settings.nameClaim}" claim (ANALYST_OIDC_NAME_CLAIM) is missing or not a usable name`);
    const role = highestRole(claimValues(payload, this.settings.rolesClaim).map((value) => (typeof value === 'string' ? value.trim().toLowerCase() : value)));
    if (role === undefined) {
      throw new Problem(403, 'forbidden', 'Forbidden', `${name} has no role this service knows in the "${this.settings.rolesClaim}" claim (viewer, analyst, supervisor or admin)`);
    }
    return { name, role };
  }

  /** The issuer's key set, found through its discovery document once; a failed discovery is tried again on the next token. */
  private keySet(): Promise<JWTVerifyGetKey> {
    this.keys ??= this.discover().catch((error: unknown) => {
      this.keys = undefined;
      throw error;
    });
    return this.keys;
  }

  private async discover(): Promise<JWTVerifyGetKey> {
    const url = `${this.settings.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
    let document: { issuer?: unknown; jwks_uri?: unknown };
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), headers: { accept: 'application/json' } });
      if (!response.ok) throw new Error(`${url} answered ${response.status}`);
      document = (await response.json()) as typeof document;
    } catch (error) {
      throw new IdentityProviderUnavailableProblem(`The identity provider's discovery document could not be read: ${(error as Error).message}`);
    }
    if (document.issuer !== this.settings.issuer || typeof document.jwks_uri !== 'string') {
      throw new IdentityProviderUnavailableProblem(`The discovery document at ${url} does not describe the issuer ${this.settings.issuer} with a jwks_uri`);
    }
    return createRemoteJWKSet(new URL(document.jwks_uri), {
      timeoutDuration: FETCH_TIMEOUT_MS,
      cooldownDuration: this.settings.jwksCooldownMs,
      cacheMaxAge: JWKS_MAX_AGE_MS,
    });
  }

  private refusal(error: unknown): Problem {
    if (error instanceof errors.JWTExpired) return this.unauthorized('The token has expired');
    if (error instanceof errors.JWTClaimValidationFailed) return this.unauthorized(`The token's "${error.claim}" claim is not accepted: ${error.message}`);
    if (error instanceof errors.JWKSNoMatchingKey) return this.unauthorized("The token is signed with a key the identity provider does not publish");
    // Only a failure to fetch the keys is the service's (503); anything else about the token is the caller's.
    const unfetched =
      error instanceof errors.JWKSTimeout ||
      error instanceof errors.JWKSInvalid ||
      (error instanceof errors.JOSEError && error.code === 'ERR_JOSE_GENERIC') ||
      (error instanceof TypeError && error.message === 'fetch failed');
    if (unfetched) return new IdentityProviderUnavailableProblem(`The identity provider's keys could not be read: ${(error as Error).message}`);
    return this.unauthorized(`The token does not verify: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function unverifiedIssuerOf(token: string): unknown {
  try {
    return decodeJwt(token).iss;
  } catch {
    return undefined;
  }
}

/** A claim by its full name first (namespaced claims hold dots), then as a dotted path; always a list. */
function claimValues(payload: JWTPayload, claim: string): unknown[] {
  let value: unknown = payload[claim];
  if (value === undefined) value = claim.split('.').reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), payload);
  if (typeof value === 'string') return value.split(/[\s,]+/);
  return Array.isArray(value) ? value : [];
}

/** The claim's value, trimmed, when it can name an analyst in the records: 1 to 128 characters, as an id may be (isUsableId). */
function nameOf(payload: JWTPayload, claim: string): string | undefined {
  const value = payload[claim];
  if (typeof value !== 'string') return undefined;
  const name = value.trim();
  return name.length <= MAX_NAME_LENGTH && isUsableId(name, MAX_NAME_LENGTH) ? name : undefined;
}
