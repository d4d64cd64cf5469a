// Authenticates Toqio by its API key, in constant time, accepting the previous keys during a rotation.
import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { AppConfig } from '../../config/app-config';
import { SecretMatcher } from './secret-matcher';
import { UnauthorizedProblem } from './problem-details';

@Injectable()
export class ToqioApiKeyGuard implements CanActivate {
  private readonly header: string;
  private readonly keys: SecretMatcher<string>;

  constructor(config: AppConfig) {
    this.header = config.toqio.apiKeyHeader;
    this.keys = new SecretMatcher([config.toqio.apiKey, ...config.toqio.previousApiKeys].map((key) => [key, key]));
  }

  canActivate(context: ExecutionContext): boolean {
    const presented = context.switchToHttp().getRequest<FastifyRequest>().headers[this.header];
    if (typeof presented !== 'string' || this.keys.match(presented) === undefined) {
      throw new UnauthorizedProblem(`A valid API key is required in the ${this.header} header`);
    }
    return true;
  }
}
