// Structured JSON logs (pino): one line per request (request-log.ts), a request id, secrets masked.
import { DynamicModule, Module, OnApplicationShutdown } from '@nestjs/common';
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
 * at most FLUSH_EVERY_MS; pino writes what is left when the process exits, a crash included (every
 * line, though the chunk being written at that moment may land after the rest: sonic-boom's
 * flushSync does not wait for a write in flight). Synchronous chunks would keep the order, but a
 * log reader that stops reading would then stop validate.
 */
export const STDOUT_WRITES = { sync: false, minLength: 4096 } as const;

/** The longest a quiet service's log line waits for others to share its write. */
export const FLUSH_EVERY_MS = 250;

/** Where the root logger writes, and how to let go of it when the application closes. */
export interface LogDestination {
  readonly stream: ReturnType<typeof pino.destination>;
  /**
   * Writes what is buffered and stops the periodic flush. Lines logged later still reach the
   * stream: once they fill a chunk, and all of them when the process exits.
   */
  release(): void;
}

/**
 * `dest` (stdout by default) written as STDOUT_WRITES says, flushed every FLUSH_EVERY_MS by a timer
 * of our own. sonic-boom's periodicFlush timer stops only when the stream ends, which the lines a
 * shutdown logs after the application has closed must not meet: left running, it kept every closed
 * application instance reachable, with all the modules it had loaded.
 */
export function bufferedDestination(dest: number | string = 1): LogDestination {
  const stream = pino.destination({ dest, ...STDOUT_WRITES });
  const flushing = setInterval(() => stream.flush(), FLUSH_EVERY_MS);
  flushing.unref();
  return {
    stream,
    release: () => {
      clearInterval(flushing);
      stream.flush();
    },
  };
}

/**
 * The root logger: JSON lines on `destination`, ISO timestamps, level names, and every line passed
 * through the redactor before it is written.
 */
export function createRootLogger(config: Configuration, destination: DestinationStream): Logger {
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
export class RootLogger implements OnApplicationShutdown {
  constructor(
    readonly logger: Logger,
    /** Header and query names whose values never reach a log line. */
    readonly sensitiveKeys: ReadonlySet<string>,
    private readonly release: () => void = () => undefined,
  ) {}

  /** The application's last phase: what was logged so far is written now (see LogDestination). */
  onApplicationShutdown(): void {
    this.release();
  }
}

@Module({})
export class LoggingModule {
  /** On stdout unless given a `destination`, which its giver then owns. */
  static forRoot(config: Configuration, destination?: DestinationStream): DynamicModule {
    const sensitive = new Set([...SENSITIVE_KEYS, ...config.secrets.headers].map((key) => key.toLowerCase()));
    const stdout = destination ? undefined : bufferedDestination();
    const root = new RootLogger(createRootLogger(config, destination ?? stdout!.stream), sensitive, () => stdout?.release());
    return {
      module: LoggingModule,
      providers: [{ provide: RootLogger, useValue: root }],
      exports: [RootLogger],
    };
  }
}
