// Structured JSON logs (pino through nestjs-pino): one line per request, a request id, secrets masked.
import { DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import pino, { DestinationStream, Logger } from 'pino';
import { Configuration } from '../../config/configuration';
import { createLogRedactor, redactQuery, SENSITIVE_KEYS } from './log-redaction';

export const REQUEST_ID_HEADER = 'x-request-id';
/** A caller's id is kept only when it is short and plain, so it cannot forge log content. */
const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:@-]{1,128}$/;
/** Probes and scrapes come every few seconds; their successes are logged at debug only. */
const QUIET_PATHS = /^\/(health\/(live|ready)|metrics)(\?|$)/;

/**
 * The root logger: JSON lines on stdout (or `destination`), ISO timestamps, level names, and
 * every line passed through the redactor before it is written. Stdout is written asynchronously:
 * a synchronous write per request line cost validate about a sixth of its CPU (profiled at
 * 1,400 requests/s with stdout on a file). Lines written while a write is in flight go out
 * together with the next one; pino flushes what is left when the process exits.
 */
export function createRootLogger(config: Configuration, destination: DestinationStream = pino.destination({ dest: 1, sync: false })): Logger {
  const redact = createLogRedactor({
    extraKeys: [config.toqio.apiKeyHeader, config.payments.payto.apiKeyHeader],
    // A generated development key is printed at start on purpose; configured secrets never are.
    secretValues: [
      ...(config.toqio.apiKeyGenerated ? [] : [config.toqio.apiKey]),
      ...config.toqio.previousApiKeys,
      ...config.analysts.tokens.map(({ token }) => token),
      ...(config.monitoring.webhookSecret === undefined ? [] : [config.monitoring.webhookSecret]),
      ...config.payments.secrets,
    ],
  });
  const stream: DestinationStream = { write: (line: string) => destination.write(redact(line)) };
  return pino(
    {
      level: config.operations.logLevel,
      base: { service: 'toqio-tm' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    stream,
  );
}

/**
 * Fastify's genReqId: the caller's x-request-id when it is acceptable, else a new UUID. Fastify
 * hands the id to the request logger (middie copies it to the raw request pino-http reads), and
 * configureApp echoes it in the response header.
 */
export function requestIdOf(request: IncomingMessage): string {
  const incoming = request.headers[REQUEST_ID_HEADER];
  return typeof incoming === 'string' && ACCEPTABLE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

@Module({})
export class LoggingModule {
  static forRoot(config: Configuration, destination?: DestinationStream): DynamicModule {
    const sensitive = new Set([...SENSITIVE_KEYS, config.toqio.apiKeyHeader, config.payments.payto.apiKeyHeader].map((key) => key.toLowerCase()));
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          // nestjs-pino's default route, "{/*splat}", becomes "/{/*splat}" in @fastify/middie 9.3,
          // which matches no request; this one matches every path, "/" included.
          forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
          pinoHttp: {
            logger: createRootLogger(config, destination),
            customLogLevel: (request, response, error) =>
              error || response.statusCode >= 500 ? 'error' : response.statusCode < 400 && QUIET_PATHS.test(request.url ?? '') ? 'debug' : 'info',
            // The default serialisers plus nothing of the body: bodies carry account numbers
            // and are kept in PostgreSQL, where they belong.
            serializers: {
              req: (request: { id: unknown; method: string; url: string; headers: Record<string, unknown>; remoteAddress?: string }) => ({
                id: request.id,
                method: request.method,
                url: redactQuery(request.url, sensitive),
                remoteAddress: request.remoteAddress,
                headers: request.headers,
              }),
              res: (response: { statusCode: number; headers?: Record<string, unknown> }) => ({
                statusCode: response.statusCode,
              }),
            },
          },
        }),
      ],
      exports: [LoggerModule],
    };
  }
}
