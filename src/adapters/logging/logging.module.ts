// Structured JSON logs (pino): one line per request (request-log.ts), a request id, secrets masked.
import { DynamicModule, Module } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import pino, { DestinationStream, Logger } from 'pino';
import { Configuration } from '../../config/configuration';
import { createLogRedactor, SENSITIVE_KEYS } from './log-redaction';

export const REQUEST_ID_HEADER = 'x-request-id';
/** A caller's id is kept only when it is short and plain, so it cannot forge log content. */
const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:@-]{1,128}$/;

/**
 * How stdout is written. Asynchronously: a synchronous write per request line cost validate about
 * a sixth of its CPU (profiled at 1,400 requests/s with stdout on a file). And in chunks of at
 * least 4 KiB, a handful of request lines: one write per line or two still cost validate 5% of
 * its samples at 1,000/s (queueing each write to libuv's threads). A quiet service's lines wait
 * at most periodicFlush; pino writes what is left when the process exits, a crash included (every
 * line, though the chunk being written at that moment may land after the rest: sonic-boom's
 * flushSync does not wait for a write in flight). Synchronous chunks would keep the order, but a
 * log reader that stops reading would then stop validate.
 */
export const STDOUT_WRITES = { sync: false, minLength: 4096, periodicFlush: 250 } as const;

/**
 * The root logger: JSON lines on stdout (or `destination`), ISO timestamps, level names, and
 * every line passed through the redactor before it is written.
 */
export function createRootLogger(config: Configuration, destination: DestinationStream = pino.destination({ dest: 1, ...STDOUT_WRITES })): Logger {
  // Learnt from configuration (variables marked @Secret and @SecretHeader), so that a new
  // provider's secret needs no edit here. A generated development key is printed at start on
  // purpose: it is no configured secret.
  const redact = createLogRedactor({ extraKeys: config.secrets.headers, secretValues: config.secrets.values });
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
 * Fastify's genReqId: the caller's x-request-id when it is acceptable, else a new UUID. The
 * request log writes it, and configureApp echoes it in the response header.
 */
export function requestIdOf(request: IncomingMessage): string {
  const incoming = request.headers[REQUEST_ID_HEADER];
  return typeof incoming === 'string' && ACCEPTABLE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** The service's root pino logger, for configureApp to hand to Nest and to the request log. */
export class RootLogger {
  constructor(
    readonly logger: Logger,
    /** Header and query names whose values never reach a log line. */
    readonly sensitiveKeys: ReadonlySet<string>,
  ) {}
}

@Module({})
export class LoggingModule {
  static forRoot(config: Configuration, destination?: DestinationStream): DynamicModule {
    const sensitive = new Set([...SENSITIVE_KEYS, ...config.secrets.headers].map((key) => key.toLowerCase()));
    return {
      module: LoggingModule,
      providers: [{ provide: RootLogger, useValue: new RootLogger(createRootLogger(config, destination), sensitive) }],
      exports: [RootLogger],
    };
  }
}
