// Builds the Nest application on Fastify; shared by main.ts and the e2e suites.
import { INestApplication, LogLevel, NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyInstance } from 'fastify';
import { registerJsonBodyParser } from './adapters/http/json-body';
import { setUpOpenApi } from './adapters/http/openapi';
import { ProblemDetailsFilter } from './adapters/http/problem-details';
import { AppModule } from './app.module';
import { AppConfig } from './config/app-config';

/** The contract's limit for request bodies. */
export const BODY_LIMIT_BYTES = 100 * 1024;

export function createFastifyAdapter(config?: AppConfig): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    return503OnClosing: true,
    // Transaction ids are up to 128 characters, percent-encoded up to three times as long in a
    // path; Fastify's default (100) would answer 414 for ids the API accepts.
    routerOptions: { maxParamLength: 512 },
    // request.ip (the Paystack allowlist) reads X-Forwarded-For only from proxies trusted so.
    // Fastify also takes a hop count, which the adapter's option type leaves out.
    trustProxy: (config?.trustProxy ?? false) as boolean | string,
  });
}

export const NEST_APP_OPTIONS: NestApplicationOptions = {
  abortOnError: false,
  // Our own JSON parser replaces Nest's and Fastify's (see json-body.ts).
  bodyParser: false,
};

/** Everything main.ts and the tests both need beyond the module graph. */
export async function configureApp(app: NestFastifyApplication | INestApplication): Promise<void> {
  const fastify = (app as NestFastifyApplication).getHttpAdapter().getInstance();
  registerJsonBodyParser(fastify);
  closeConnectionsOnShutdown(fastify);
  app.useGlobalFilters(new ProblemDetailsFilter());
  setUpOpenApi(app, app.get(AppConfig));
  await app.init();
}

/**
 * A keep-alive connection that is busy when shutdown starts would otherwise stay open after its
 * response and hold the close (and the process) until the client's idle timeout; answering it
 * with `Connection: close` lets the request finish and the connection go.
 */
function closeConnectionsOnShutdown(fastify: FastifyInstance): void {
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
}

export async function createApp(config: AppConfig, logLevels: LogLevel[] = ['log', 'warn', 'error']): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), createFastifyAdapter(config), {
    ...NEST_APP_OPTIONS,
    logger: logLevels,
  });
  await configureApp(app);
  return app;
}
