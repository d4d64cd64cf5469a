// Authenticates Toqio by its API key, in constant time, accepting the previous keys during a rotation.
import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { FastifyRequest } from 'fastify';
import { toqioConfig } from '../../config/toqio.config';
import { UnauthorizedProblem } from './problem-details';
import { GuardingGate } from './request-gate';
import { SecretMatcher } from './secret-matcher';

@Injectable()
export class ToqioApiKeyGuard extends GuardingGate {
  private readonly header: string;
  private readonly keys: SecretMatcher<string>;

  constructor(@Inject(toqioConfig.KEY) toqio: ConfigType<typeof toqioConfig>) {
    super();
    this.header = toqio.apiKeyHeader;
    this.keys = new SecretMatcher([toqio.apiKey, ...toqio.previousApiKeys].map((key) => [key, key]));
  }

  checkHeaders(request: FastifyRequest): void {
    const presented = request.headers[this.header];
    if (typeof presented !== 'string' || this.keys.match(presented) === undefined) {
      throw new UnauthorizedProblem(`A valid API key is required in the ${this.header} header`);
    }
  }
}
