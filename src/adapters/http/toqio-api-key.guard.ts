// Authenticates Toqio by its API key, in constant time, accepting the previous keys during a rotation.
import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { FastifyRequest } from 'fastify';
import { toqioConfig } from '../../config/toqio.config';
import { SecretMatcher } from './secret-matcher';
import { UnauthorizedProblem } from './problem-details';

@Injectable()
export class ToqioApiKeyGuard implements CanActivate {
  private readonly header: string;
  private readonly keys: SecretMatcher<string>;

  constructor(@Inject(toqioConfig.KEY) toqio: ConfigType<typeof toqioConfig>) {
    this.header = toqio.apiKeyHeader;
    this.keys = new SecretMatcher([toqio.apiKey, ...toqio.previousApiKeys].map((key) => [key, key]));
  }

  canActivate(context: ExecutionContext): boolean {
    const presented = context.switchToHttp().getRequest<FastifyRequest>().headers[this.header];
    if (typeof presented !== 'string' || this.keys.match(presented) === undefined) {
      throw new UnauthorizedProblem(`A valid API key is required in the ${this.header} header`);
    }
    return true;
  }
}
