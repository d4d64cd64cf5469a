// Authenticates compliance analysts by bearer token; the token's name becomes the recorded decider.
import { CanActivate, createParamDecorator, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { FastifyRequest } from 'fastify';
import { analystsConfig } from '../../config/analysts.config';
import { Problem } from './problem-details';
import { SecretMatcher } from './secret-matcher';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated analyst's name, set by AnalystAuthGuard. */
    analyst?: string;
  }
}

export const ANALYST_BEARER_SCHEME = 'analyst-bearer';

@Injectable()
export class AnalystAuthGuard implements CanActivate {
  private readonly tokens: SecretMatcher<string>;
  private readonly configured: boolean;

  constructor(@Inject(analystsConfig.KEY) analysts: ConfigType<typeof analystsConfig>) {
    this.tokens = new SecretMatcher(analysts.tokens.map(({ name, token }) => [token, name]));
    this.configured = analysts.tokens.length > 0;
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    const analyst = match ? this.tokens.match(match[1]!) : undefined;
    if (analyst === undefined) {
      const detail = this.configured
        ? 'An analyst token is required: Authorization: Bearer <token>'
        : 'The analyst API is disabled: no ANALYST_TOKENS are configured';
      throw new Problem(401, 'unauthorized', 'Unauthorized', detail, undefined, { 'www-authenticate': 'Bearer realm="analysts"' });
    }
    request.analyst = analyst;
    return true;
  }
}

/** The authenticated analyst's name, in a handler behind AnalystAuthGuard. */
export const Analyst = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const analyst = context.switchToHttp().getRequest<FastifyRequest>().analyst;
  if (analyst === undefined) throw new Error('Analyst used on a route without AnalystAuthGuard');
  return analyst;
});
