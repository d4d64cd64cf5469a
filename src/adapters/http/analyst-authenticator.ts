// Who a bearer credential belongs to: an ANALYST_TOKENS token, or a JWT from the organisation's identity provider.
import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { analystsConfig } from '../../config/analysts.config';
import { Principal } from '../../domain/analyst-role';
import { Problem } from './problem-details';
import { SecretMatcher } from './secret-matcher';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

@Injectable()
export class AnalystAuthenticator {
  private readonly tokens: SecretMatcher<Principal>;
  private readonly configured: boolean;

  constructor(@Inject(analystsConfig.KEY) analysts: ConfigType<typeof analystsConfig>) {
    this.tokens = new SecretMatcher(analysts.tokens.map(({ name, token, role }) => [token, { name, role }]));
    this.configured = analysts.tokens.length > 0;
  }

  /** The principal of an Authorization header; throws a 401 problem for anything else. */
  async authenticate(authorization: string | undefined): Promise<Principal> {
    const credential = BEARER.exec(authorization ?? '')?.[1];
    const principal = credential === undefined ? undefined : this.tokens.match(credential);
    if (principal !== undefined) return principal;
    throw unauthorized(
      this.configured ? 'An analyst token is required: Authorization: Bearer <token>' : 'The analyst API is disabled: no ANALYST_TOKENS are configured',
    );
  }
}

export function unauthorized(detail: string): Problem {
  return new Problem(401, 'unauthorized', 'Unauthorized', detail, undefined, { 'www-authenticate': 'Bearer realm="analysts"' });
}
