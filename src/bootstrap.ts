// Builds the Nest application on Fastify; shared by main.ts and the e2e suites.
import { INestApplication, LoggerService, LogLevel, NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { registerAttachmentUploads } from './adapters/http/attachment-upload';
import { registerHttpHardening } from './adapters/http/http-hardening';
import { registerJsonBodyParser } from './adapters/http/json-body';
import { keepOperationsOffPublicPort } from './adapters/http/operations-port';
import { registerRequestGates } from './adapters/http/request-gate';
import { cacheValidationMetadata } from './adapters/http/validation-metadata-cache';
import { registerYamlBodyParser } from './adapters/http/yaml-body';
import { REQUEST_ID_HEADER, requestIdOf, RootLogger } from './adapters/logging/logging.module';
import { PinoNestLogger } from './adapters/logging/nest-logger';
import { registerRequestLog } from './adapters/logging/request-log';
import { MetricsRecorder } from './adapters/metrics/metrics-recorder';
import { instrumentValidateLatency } from './adapters/metrics/validate-latency.hook';
import { setUpOpenApi } from './adapters/http/openapi';
import { ProblemDetailsFilter, sendProblem } from './adapters/http/problem-details';
import { answerClientError } from './adapters/http/client-errors';
import { AppModule } from './app.module';
import { ConfigType } from '@nestjs/config';
import { auditConfig } from './config/audit.config';
import { Configuration } from './config/configuration';
import { operationsConfig, TrustProxy } from './config/operations.config';
import { paymentsConfig } from './config/payments.config';
import { serverConfig } from './config/server.config';
import { toqioConfig } from './config/toqio.config';

/** The contract's limit for request bodies. */
export const BODY_LIMIT_BYTES = 100 * 1024;

export function createFastifyAdapter(trustProxy: TrustProxy = false): FastifyAdapter {
  // Transaction ids are up to 128 characters, percent-encoded up to three times as long in a path;
  // Fastify's default (100) would answer 414 for ids the API accepts.
  return new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    return503OnClosing: true,
    // No Nest middleware is used: without this, @fastify/middie runs an onRequest hook on every
    // request for nothing. Should a module add middleware, the adapter registers middie then.
    skipMiddie: true,
    routerOptions: { maxParamLength: 512 },
    // What the router refuses before any route (a longer parameter, a malformed escape) is a problem+json too.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => sendProblem(error, request, reply),
    // And so is what Node's HTTP parser refuses before that (a bad method, a raw byte in the path, headers too large).
    clientErrorHandler: answerClientError,
    // The request id of the logs: the caller's x-request-id when acceptable, else generated.
    requestIdHeader: false,
    genReqId: requestIdOf,
    ...(trustProxy === false ? {} : { trustProxy: typeof trustProxy === 'number' ? (_address: string, hop: number) => hop < trustProxy : [...trustProxy] }),
  });
}

export const NEST_APP_OPTIONS: NestApplicationOptions = {
  abortOnError: false,
  // Our own JSON parser replaces Nest's and Fastify's (see json-body.ts).
  bodyParser: false,
  // Held until configureApp switches to the JSON logger, so boot lines are JSON too.
  bufferLogs: true,
};

/** Everything main.ts and the tests both need beyond the module graph. */
export async function configureApp(app: NestFastifyApplication | INestApplication): Promise<void> {
  const root = app.get(RootLogger);
  app.useLogger(new PinoNestLogger(root.logger));
  // Written now, and from here on as they come: held until init() ends, the lines of a start that
  // waits (for the migration lock, a long index build) were not seen until it was over, and those
  // of a start killed meanwhile never.
  app.flushLogs();
  const operations = app.get<ConfigType<typeof operationsConfig>>(operationsConfig.KEY);
  const metrics = app.get(MetricsRecorder);
  const fastify = (app as NestFastifyApplication).getHttpAdapter().getInstance();
  // These add onRoute hooks, so they come before any route is registered; the gates' first, so
  // that a route's own body limit wins over its group's.
  registerRequestGates(fastify, (gate) => app.get(gate, { strict: false }));
  await registerHttpHardening(app as NestFastifyApplication, operations, metrics);
  instrumentValidateLatency(fastify, metrics);
  registerJsonBodyParser(fastify);
  registerYamlBodyParser(fastify);
  cacheValidationMetadata();
  await registerAttachmentUploads(app as NestFastifyApplication, app.get<ConfigType<typeof auditConfig>>(auditConfig.KEY).attachmentMaxBytes);
  closeConnectionsOnShutdown(fastify);
  registerRequestLog(fastify, root.logger, root.sensitiveKeys);
  if (app.get<ConfigType<typeof serverConfig>>(serverConfig.KEY).opsPort !== undefined) keepOperationsOffPublicPort(fastify);
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });
  app.useGlobalFilters(new ProblemDetailsFilter());
  setUpOpenApi(app, {
    toqio: app.get<ConfigType<typeof toqioConfig>>(toqioConfig.KEY).apiKeyHeader,
    payto: app.get<ConfigType<typeof paymentsConfig>>(paymentsConfig.KEY).payto.apiKeyHeader,
  });
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

/** `logger`: where the start's lines go until configureApp hands Nest the application's own logger. */
export async function createApp(config: Configuration, logger: LoggerService | LogLevel[] = ['log', 'warn', 'error']): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), createFastifyAdapter(config.operations.trustProxy), {
    ...NEST_APP_OPTIONS,
    logger,
  });
  await configureApp(app);
  return app;
}
