// Who a bearer credential belongs to: an ANALYST_TOKENS token, or a JWT from the organisation's identity provider.
import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { analystsConfig } from '../../config/analysts.config';
import { analystKey, Principal } from '../../domain/analyst-role';
import { OidcTokenVerifier } from './analyst-oidc';
import { Problem } from './problem-details';
import { SecretMatcher } from './secret-matcher';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

@Injectable()
export class AnalystAuthenticator {
  private readonly tokens: SecretMatcher<Principal>;
  private readonly configured: boolean;
  private readonly oidc: OidcTokenVerifier | undefined;
  /** ANALYST_TOKENS' names as analystKey gives them: a signed-in analyst may not share one. */
  private readonly tokenNames: ReadonlySet<string>;

  constructor(@Inject(analystsConfig.KEY) analysts: ConfigType<typeof analystsConfig>) {
    this.tokens = new SecretMatcher(analysts.tokens.map(({ name, token, role }) => [token, { name, role }]));
    this.oidc = analysts.oidc && new OidcTokenVerifier(analysts.oidc, unauthorized);
    this.configured = analysts.tokens.length > 0 || this.oidc !== undefined;
    this.tokenNames = new Set(analysts.tokens.map(({ name }) => analystKey(name)));
  }

  /**
   * The principal of an Authorization header: an ANALYST_TOKENS token, else (with single sign-on)
   * a JWT the identity provider signed. Throws a 401 problem for anything else, 403 for a JWT
   * without a known role, 503 when the identity provider's keys cannot be read.
   */
  async authenticate(authorization: string | undefined): Promise<Principal> {
    const credential = BEARER.exec(authorization ?? '')?.[1];
    const principal = credential === undefined ? undefined : this.tokens.match(credential);
    if (principal !== undefined) return principal;
    if (credential !== undefined && this.oidc && OidcTokenVerifier.looksLikeJwt(credential)) return this.signedIn(await this.oidc.principalOf(credential));
    throw unauthorized(
      this.configured
        ? 'An analyst token is required: Authorization: Bearer <token>'
        : 'The analyst API is disabled: neither ANALYST_TOKENS nor single sign-on (ANALYST_OIDC_ISSUER) is configured',
    );
  }

  /**
   * A signed-in analyst whose name is an ANALYST_TOKENS analyst's (in any case) would act as them:
   * decide what they claimed, or give the second approval after their first. Refused.
   */
  private signedIn(principal: Principal): Principal {
    if (!this.tokenNames.has(analystKey(principal.name))) return principal;
    throw new Problem(403, 'forbidden', 'Forbidden', `The signed-in name "${principal.name}" is also an ANALYST_TOKENS analyst's; the two must name different people`);
  }
}

export function unauthorized(detail: string): Problem {
  return new Problem(401, 'unauthorized', 'Unauthorized', detail, undefined, { 'www-authenticate': 'Bearer realm="analysts"' });
}
