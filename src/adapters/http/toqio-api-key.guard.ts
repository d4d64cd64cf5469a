// Authenticates Toqio by its API key, in constant time, accepting the previous keys during a rotation.
import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { FastifyRequest } from 'fastify';
import { toqioConfig } from '../../config/toqio.config';
import { UnauthorizedProblem } from './problem-details';
import { headersPassedGate, RequestGate } from './request-gate';
import { SecretMatcher } from './secret-matcher';

@Injectable()
export class ToqioApiKeyGuard extends RequestGate implements CanActivate {
  private readonly header: string;
  private readonly keys: SecretMatcher<string>;

  constructor(@Inject(toqioConfig.KEY) toqio: ConfigType<typeof toqioConfig>) {
    super();
    this.header = toqio.apiKeyHeader;
    this.keys = new SecretMatcher([toqio.apiKey, ...toqio.previousApiKeys].map((key) => [key, key]));
  }

  /** The route's gate has usually checked the key already, before the body was read: not hashed twice then. */
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (!headersPassedGate(request, this)) this.checkHeaders(request);
    return true;
  }

  checkHeaders(request: FastifyRequest): void {
    const presented = request.headers[this.header];
    if (typeof presented !== 'string' || this.keys.match(presented) === undefined) {
      throw new UnauthorizedProblem(`A valid API key is required in the ${this.header} header`);
    }
  }
}
