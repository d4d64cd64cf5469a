// RFC 9457 problem+json: the one shape of every error this service answers.
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { DomainError } from '../../domain/domain-error';
import { isDatabaseUnavailable, isRetryableRollback } from '../errors/database-unavailable';
import { redactUrl } from '../logging/url-redaction';

export interface FieldError {
  readonly field: string;
  readonly message: string;
}

export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance?: string;
  readonly errors?: readonly FieldError[];
}

const PROBLEM_BASE = 'https://toqio-tm.dev/problems/';
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** An error that already knows its problem document (thrown by parsers, pipes and guards). */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    readonly title: string,
    readonly detail: string,
    readonly errors?: readonly FieldError[],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(detail);
  }
}

export class BadRequestProblem extends Problem {
  constructor(detail: string) {
    super(400, 'malformed-request', 'Malformed request', detail);
  }
}

export class ValidationProblem extends Problem {
  constructor(errors: readonly FieldError[]) {
    super(400, 'invalid-request', 'Invalid request', `${errors.length} field(s) are invalid: ${[...new Set(errors.map((e) => e.field))].join(', ')}`, errors);
  }
}

export class UnauthorizedProblem extends Problem {
  constructor(detail: string) {
    super(401, 'unauthorized', 'Unauthorized', detail);
  }
}

/** A webhook from an address outside the provider's configured allowlist; nothing is recorded. */
export class WebhookSourceForbiddenProblem extends Problem {
  constructor(detail: string) {
    super(403, 'webhook-source-forbidden', 'Webhook source not allowed', detail);
  }
}

const DOMAIN_STATUS: Record<DomainError['code'], { status: number; slug: string; title: string; headers?: Record<string, string> }> = {
  INVALID_AMOUNT: { status: 400, slug: 'invalid-request', title: 'Invalid request' },
  INVALID_CURRENCY: { status: 400, slug: 'invalid-request', title: 'Invalid request' },
  INVALID_RANGE: { status: 400, slug: 'invalid-request', title: 'Invalid request' },
  TRANSACTION_CONFLICT: { status: 409, slug: 'transaction-conflict', title: 'Transaction conflict' },
  SCREENING_IN_PROGRESS: { status: 503, slug: 'screening-in-progress', title: 'Screening in progress', headers: { 'retry-after': '1' } },
  TRANSACTION_NOT_FOUND: { status: 404, slug: 'not-found', title: 'Not found' },
  TRANSACTION_NOT_PENDING: { status: 409, slug: 'not-pending', title: 'Transaction no longer pending' },
  APPROVAL_ALREADY_GIVEN: { status: 409, slug: 'approval-already-given', title: 'Second approval must come from another analyst' },
  CASE_CLAIMED: { status: 409, slug: 'case-claimed', title: 'Case claimed by another analyst' },
  ROLE_FORBIDDEN: { status: 403, slug: 'forbidden', title: 'Forbidden' },
  NOTIFICATION_NOT_FOUND: { status: 404, slug: 'not-found', title: 'Not found' },
  NOTIFICATION_NOT_DEAD: { status: 409, slug: 'notification-not-dead', title: 'Notification is not dead' },
  OPERATOR_EVENT_NOT_FOUND: { status: 404, slug: 'not-found', title: 'Not found' },
  OPERATOR_EVENT_NOT_DEAD: { status: 409, slug: 'event-not-dead', title: 'Event is not dead' },
  UNKNOWN_PROVIDER: { status: 404, slug: 'not-found', title: 'Not found' },
  WEBHOOK_UNAUTHENTIC: { status: 401, slug: 'webhook-unauthentic', title: 'Webhook not authentic' },
  WEBHOOK_MALFORMED: { status: 400, slug: 'invalid-request', title: 'Invalid request' },
  PROVIDER_UNAVAILABLE: { status: 503, slug: 'provider-unavailable', title: 'Monitoring provider unavailable', headers: { 'retry-after': '30' } },
  DEADLINE_EXCEEDED: { status: 503, slug: 'deadline-exceeded', title: 'No decision in time for the deadline', headers: { 'retry-after': '1' } },
  SANCTIONS_ENTRY_NOT_FOUND: { status: 400, slug: 'invalid-request', title: 'Invalid request' },
  LIST_NOT_FOUND: { status: 404, slug: 'not-found', title: 'Not found' },
  LIST_ENTRY_NOT_FOUND: { status: 404, slug: 'not-found', title: 'Not found' },
  INVALID_LIST_CHANGE: { status: 400, slug: 'invalid-request', title: 'Invalid request' },
  INVALID_RULE_SET: { status: 400, slug: 'invalid-rule-set', title: 'Invalid rule set' },
  RULE_SET_VERSION_NOT_FOUND: { status: 404, slug: 'not-found', title: 'Not found' },
  BACKTEST_NOT_FOUND: { status: 404, slug: 'not-found', title: 'Not found' },
  INVALID_NOTE: { status: 400, slug: 'invalid-request', title: 'Invalid request' },
  ATTACHMENT_NOT_FOUND: { status: 404, slug: 'not-found', title: 'Not found' },
  ATTACHMENT_TYPE_UNSUPPORTED: { status: 415, slug: 'attachment-type-unsupported', title: 'Attachment type not accepted' },
  ATTACHMENT_CONTENT_MISMATCH: { status: 422, slug: 'attachment-content-mismatch', title: 'Attachment is not what its type says' },
};

/** Turns anything thrown while handling a request into a problem document and its headers. */
export function toProblem(error: unknown): { problem: ProblemDetails; headers: Record<string, string>; unexpected: boolean } {
  if (error instanceof Problem) {
    return { problem: document(error.status, error.slug, error.title, error.detail, error.errors), headers: { ...error.headers }, unexpected: false };
  }
  if (error instanceof DomainError) {
    const mapping = DOMAIN_STATUS[error.code];
    const errors = error.fieldProblems ?? (error.field ? [{ field: error.field, message: error.message }] : undefined);
    return { problem: document(mapping.status, mapping.slug, mapping.title, error.message, errors), headers: { ...mapping.headers }, unexpected: false };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const detail = typeof response === 'string' ? response : String((response as { message?: unknown }).message ?? error.message);
    return { problem: document(status, 'about:blank', STATUS_CODES[status] ?? 'Error', detail), headers: {}, unexpected: status >= 500 };
  }
  const fastifyError = error as { statusCode?: unknown; code?: unknown; message?: unknown };
  if (typeof fastifyError?.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    const status = fastifyError.statusCode;
    return { problem: document(status, 'about:blank', STATUS_CODES[status] ?? 'Error', describeFastifyError(fastifyError)), headers: {}, unexpected: false };
  }
  if (isDatabaseUnavailable(error)) {
    // Not logged one by one: during an outage that would be a stack trace per request (see sendProblem).
    return {
      problem: document(503, 'service-unavailable', 'Service unavailable', 'The database cannot serve right now; retry shortly (a validate retried with the same transactionId gets one consistent answer)'),
      headers: { 'retry-after': '2' },
      unexpected: false,
    };
  }
  if (isRetryableRollback(error)) {
    return {
      problem: document(503, 'service-unavailable', 'Service unavailable', 'The database rolled this request back (a deadlock or serialization failure); retry it'),
      headers: { 'retry-after': '1' },
      unexpected: false,
    };
  }
  return {
    problem: document(500, 'internal-error', 'Internal error', 'The service failed to handle this request; it has been logged'),
    headers: {},
    unexpected: true,
  };
}

function describeFastifyError(error: { code?: unknown; message?: unknown }): string {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'The request body is larger than this endpoint accepts';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'Unsupported content type; send application/json';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'The request body is empty; a JSON document is expected';
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return 'A path parameter is longer than any this service accepts';
    case 'FST_ERR_BAD_URL':
      return 'The path is not a valid URL (a malformed percent-escape)';
    default:
      return typeof error.message === 'string' ? error.message : 'The request cannot be processed';
  }
}

function document(status: number, slug: string, title: string, detail: string, errors?: readonly FieldError[]): ProblemDetails {
  return {
    type: slug === 'about:blank' ? slug : `${PROBLEM_BASE}${slug}`,
    title,
    status,
    detail,
    ...(errors ? { errors } : {}),
  };
}

const logger = new Logger('Problem');
const UNAVAILABLE_LOG_EVERY_MS = 5_000;
let lastUnavailableLogAt = 0;

export function sendProblem(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const { problem, headers, unexpected } = toProblem(error);
  // The request id ties the line to the request's own line (see request-log.ts), whose masked URL it
  // writes: masked with the configured secret names too, which only the request log knows.
  const url = () => request.logUrl ?? redactUrl(request.url);
  if (unexpected) logger.error({ req: { id: request.id }, msg: `${request.method} ${url()} failed: ${(error as Error)?.stack ?? String(error)}` });
  else if (problem.status === 503 && Date.now() - lastUnavailableLogAt >= UNAVAILABLE_LOG_EVERY_MS) {
    lastUnavailableLogAt = Date.now();
    const reason = `${(error as Error)?.message ?? String(error)} (at most one such line every ${UNAVAILABLE_LOG_EVERY_MS / 1000} s)`;
    logger.warn({ req: { id: request.id }, msg: `${request.method} ${url()} answered 503 (${problem.type.split('/').pop()}): ${reason}` });
  }
  void reply
    .status(problem.status)
    .headers(headers)
    .type(PROBLEM_CONTENT_TYPE)
    .send({ ...problem, instance: request.url.split('?')[0] });
}

/** The single place Nest-side errors become HTTP answers. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(error, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>());
  }
}
