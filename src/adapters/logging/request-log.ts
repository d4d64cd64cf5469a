// One JSON line per answered request: its id, method, path, caller, headers (secrets masked) and status.
import { FastifyInstance, FastifyRequest } from 'fastify';
import { Level, Logger } from 'pino';
import { redactUrl } from './url-redaction';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The request target as the request log writes it (url-redaction.ts, with the configured secret
     * names), for any other line that names the request; absent until registerRequestLog has run.
     */
    readonly logUrl?: string;
  }
}

/** Probes and scrapes come every few seconds; their successes are logged at debug only. */
const QUIET_PATHS = /^\/(health\/(live|ready)|metrics)(\?|$)/;

export function requestLogLevel(url: string, statusCode: number): Level {
  if (statusCode >= 500) return 'error';
  return statusCode < 400 && QUIET_PATHS.test(url) ? 'debug' : 'info';
}

/**
 * Written from Fastify's onResponse hook by the root logger itself: no per-request child logger,
 * no Express-style middleware layer and no async context (nestjs-pino's pino-http middleware cost
 * validate about a sixth of its CPU under load, most of it in that plumbing). Nothing of the body
 * is logged: bodies carry account numbers and are kept in PostgreSQL, where they belong. Header
 * values named in `sensitiveKeys` are masked by the root logger's redactor; what of the URL names
 * a secret, an account or a person is masked here (url-redaction.ts), before the line is written.
 */
export function registerRequestLog(fastify: FastifyInstance, logger: Logger, sensitiveKeys: ReadonlySet<string>): void {
  // Computed when read: only the error and 503 lines (problem-details.ts) read it, on a few requests.
  fastify.decorateRequest('logUrl', {
    getter(this: FastifyRequest) {
      return redactUrl(this.url, sensitiveKeys);
    },
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const level = requestLogLevel(request.url, reply.statusCode);
    if (logger.isLevelEnabled(level)) {
      logger[level]({ req: requestFields(request, sensitiveKeys), res: { statusCode: reply.statusCode }, responseTime: Math.round(reply.elapsedTime) }, 'request completed');
    }
    done();
  });
}

function requestFields(request: FastifyRequest, sensitiveKeys: ReadonlySet<string>) {
  return {
    id: request.id,
    method: request.method,
    url: redactUrl(request.url, sensitiveKeys),
    remoteAddress: request.socket.remoteAddress,
    headers: request.headers,
  };
}
