// The OpenAPI document served at /docs (UI) and /docs-json, generated from the controllers.
import { applyDecorators, INestApplication } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse, DocumentBuilder, getSchemaPath, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ANALYST_BEARER_SCHEME } from './analyst-auth.guard';
import { routeGroupOf } from './http-hardening';
import { FieldError, ProblemDetails } from './problem-details';
import { TRANSACTION_STATUSES, TransactionStatus } from '../../domain/transaction-status';

export const TOQIO_API_KEY_SCHEME = 'toqio-api-key';
export const STANDARD_WEBHOOKS_SCHEME = 'standard-webhooks';

export class FieldErrorDto implements FieldError {
  @ApiProperty({ example: 'beneficiary.country' }) field!: string;
  @ApiProperty({ example: 'country must be an ISO 3166-1 alpha-2 country code, e.g. GB' }) message!: string;
}

/** RFC 9457 problem details, the body of every error answer. */
export class ProblemDetailsDto implements ProblemDetails {
  @ApiProperty({ example: 'https://toqio-tm.dev/problems/invalid-request' }) type!: string;
  @ApiProperty({ example: 'Invalid request' }) title!: string;
  @ApiProperty({ example: 400 }) status!: number;
  @ApiProperty({ example: '1 field(s) are invalid: beneficiary.country' }) detail!: string;
  @ApiPropertyOptional({ example: '/transaction/validate' }) instance?: string;
  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'Present when input is invalid: one entry per problem' }) errors?: FieldErrorDto[];
}

export class ValidateTransactionResponseDto {
  @ApiProperty({ example: '6f1c2a9e-2d1b-4c8e-9d3a-1b2c3d4e5f60' }) transactionId!: string;
  @ApiProperty({ enum: TRANSACTION_STATUSES, description: 'Never any other word: Toqio reads an unknown status as a rejection' })
  status!: TransactionStatus;
  @ApiProperty({ type: [String], example: ['Amount 12000 GBP is at or above the review threshold of 10000 GBP'] }) reasons!: string[];
}

/** The headers of the two API-key schemes are configurable (TOQIO_API_KEY_HEADER, PAYTO_API_KEY_HEADER). */
export function setUpOpenApi(app: INestApplication, apiKeyHeaders: { readonly toqio: string; readonly payto: string }): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Toqio transaction-monitoring proxy')
      .setDescription(
        'Answers Toqio\'s synchronous POST /transaction/validate from a monitoring provider, keeps every decision in PostgreSQL, ' +
          'lets analysts and providers decide held transactions, delivers those decisions to Toqio\'s webhook, ' +
          'and reports its health. Every error is RFC 9457 application/problem+json.',
      )
      .setVersion(process.env.npm_package_version ?? '0.1.0')
      .addApiKey({ type: 'apiKey', in: 'header', name: apiKeyHeaders.toqio, description: 'The key Toqio issued (TOQIO_API_KEY)' }, TOQIO_API_KEY_SCHEME)
      .addBearerAuth(
        {
          type: 'http',
          scheme: 'bearer',
          description:
            'An analyst token from ANALYST_TOKENS, or with ANALYST_OIDC_ISSUER a JWT from the identity provider; the name is recorded as the decider, the role (viewer, analyst, supervisor, admin) decides what the caller may do',
        },
        ANALYST_BEARER_SCHEME,
      )
      .addApiKey({ type: 'apiKey', in: 'header', name: apiKeyHeaders.payto, description: 'The key agreed with ANZ for the PayTo webhook (PAYTO_API_KEY)' }, 'payto-api-key')
      .addApiKey(
        {
          type: 'apiKey',
          in: 'header',
          name: 'webhook-signature',
          description:
            'Standard Webhooks: "v1,<base64 HMAC-SHA256 of webhook-id.webhook-timestamp.body>" keyed with the provider\'s RULES_WEBHOOK_SECRET or MONITORING_HTTP_WEBHOOK_SECRET (else MONITORING_WEBHOOK_SECRET), with webhook-id and webhook-timestamp (within 5 minutes)',
        },
        STANDARD_WEBHOOKS_SCHEME,
      )
      .addApiKey(
        {
          type: 'apiKey',
          in: 'header',
          name: 'signature',
          description:
            "A declared platform's signature, in the header its entry of PAYMENT_PLATFORMS_FILE names (signature.header, with signature.timestamp.header when set), or the Standard Webhooks headers; keyed with the secret in the variable its secretEnv names",
        },
        PLATFORM_SIGNATURE_SCHEME,
      )
      .build(),
    { extraModels: [ProblemDetailsDto] },
  );
  addInheritedResponses(document);
  addPropertyExamples(document);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
}

/** The security scheme of POST /webhooks/platforms/{name}. */
export const PLATFORM_SIGNATURE_SCHEME = 'platform-signature';

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input; `errors` names each invalid field',
  401: 'Missing or wrong credentials',
  403: "The analyst's role does not allow this (viewer < analyst < supervisor < admin)",
  404: 'Unknown resource',
  409: 'Conflicts with what is already recorded (already decided, same analyst approving twice with another reason, notification not dead)',
  413: 'Body larger than this route accepts: 100 KiB on validate, 16 KiB on analyst writes (128 KiB on a note, 1.5 MiB on bulk decisions, 256 KiB on a rule set, 300 KiB on a backtest, 2.2 MiB on list entries, ATTACHMENT_MAX_BYTES on an attachment), 1 KiB on a redelivery, 260 KiB on webhooks',
  415: 'Body is not JSON (or, on an attachment, not a file of an accepted type)',
  422: 'The file is not what its content type says',
  429: 'Too many requests from this client (analyst API and webhooks only); retry after Retry-After seconds',
  503: 'The service is unwell (database unreachable, or the same id still being screened); retry after Retry-After',
};

const PROBLEM_EXAMPLES: Record<number, ProblemDetailsDto> = {
  400: {
    type: 'https://toqio-tm.dev/problems/invalid-request',
    title: 'Invalid request',
    status: 400,
    detail: '1 field(s) are invalid: beneficiary.country',
    instance: '/transaction/validate',
    errors: [{ field: 'beneficiary.country', message: 'country must be an ISO 3166-1 alpha-2 country code, e.g. GB' }],
  },
  401: { type: 'https://toqio-tm.dev/problems/unauthorized', title: 'Unauthorized', status: 401, detail: 'A valid API key is required in the x-api-key header' },
  403: { type: 'https://toqio-tm.dev/problems/forbidden', title: 'Forbidden', status: 403, detail: 'This needs the admin role; alice is an analyst' },
  404: { type: 'https://toqio-tm.dev/problems/not-found', title: 'Not found', status: 404, detail: 'No transaction 6f1c2a9e is known' },
  409: {
    type: 'https://toqio-tm.dev/problems/transaction-conflict',
    title: 'Transaction conflict',
    status: 409,
    detail: 'Transaction 6f1c2a9e was already received with a different amount',
  },
  422: {
    type: 'https://toqio-tm.dev/problems/attachment-content-mismatch',
    title: 'Attachment is not what its type says',
    status: 422,
    detail: 'The file is declared application/pdf but its content is not PDF',
    errors: [{ field: 'file', message: 'The file is declared application/pdf but its content is not PDF' }],
  },
  413: { type: 'about:blank', title: 'Payload Too Large', status: 413, detail: 'The request body is larger than this endpoint accepts' },
  415: { type: 'about:blank', title: 'Unsupported Media Type', status: 415, detail: 'Unsupported content type; send application/json' },
  429: {
    type: 'https://toqio-tm.dev/problems/rate-limited',
    title: 'Too many requests',
    status: 429,
    detail: 'At most 300 requests a minute are accepted from one client here; retry in 42 s',
  },
  503: {
    type: 'https://toqio-tm.dev/problems/service-unavailable',
    title: 'Service unavailable',
    status: 503,
    detail: 'The database is not reachable; retry shortly',
  },
};

function problemResponse(status: number) {
  return {
    description: PROBLEM_DESCRIPTIONS[status] ?? 'Error',
    content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDetailsDto) }, example: PROBLEM_EXAMPLES[status] } },
    ...(status === 429 || status === 503 ? { headers: { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } } } } : {}),
  };
}

/** Documents problem+json answers for the given statuses. */
export function ApiProblemResponses(...statuses: number[]): MethodDecorator {
  return applyDecorators(...statuses.map((status) => ApiResponse({ status, ...problemResponse(status) })));
}

type Operation = { responses: Record<string, unknown>; security?: unknown[] };

/**
 * Answers every route of a group gives, whatever its controller declares, from the same path
 * rules that apply them (http-hardening.ts): 401 and 403 on the analyst API (every route of it
 * checks the caller's role), 429 on the analyst API and webhooks, 413 and 415 on their writes,
 * 503 on everything that needs the database. Routes added later inherit them.
 */
function addInheritedResponses(document: OpenAPIObject): void {
  for (const [path, operations] of Object.entries(document.paths)) {
    const group = routeGroupOf(path.replace(/\{(\w+)\}/g, ':$1'));
    for (const [method, operation] of Object.entries(operations as Record<string, Operation>)) {
      const inherited: number[] = [];
      if (group === 'analyst') inherited.push(401, 403);
      if (group !== undefined) inherited.push(429, 503);
      if (group !== undefined && method === 'post') inherited.push(413, 415);
      for (const status of inherited) operation.responses[String(status)] ??= problemResponse(status);
    }
  }
}

/** Example values by property name, for properties whose DTO gives none. */
const EXAMPLES_BY_NAME: Record<string, unknown> = {
  transactionId: '6f1c2a9e-2d1b-4c8e-9d3a-1b2c3d4e5f60',
  id: '0b8e3c52-5a77-4f3e-9a51-8d2f0f4c1e90',
  customerId: 'cus-2041',
  companyId: 'cmp-77',
  userId: 'usr-310',
  sourceAccountId: 'acc-1',
  accountId: 'acc-9b21',
  accountNumber: '31926819',
  sortCode: '200000',
  bankPaymentScheme: 'FASTER_PAYMENTS',
  concept: 'Invoice 2026-118',
  purposeCode: 'SUPP',
  reason: 'Beneficiary verified against the invoice',
  decidedBy: 'alice',
  by: 'alice',
  reasons: ['Amount 12000 GBP is at or above the review threshold of 10000 GBP'],
  providerReasons: ['Amount 12000 GBP is at or above the review threshold of 10000 GBP'],
  beneficiary: { name: 'Ada Lovelace', iban: 'GB82WEST12345698765432', country: 'GB' },
  payload: { transactionId: '6f1c2a9e-2d1b-4c8e-9d3a-1b2c3d4e5f60', amount: 12000, currency: 'GBP' },
  hash: '9c56cc51b374c3ba189210d5b6d4bf57790d351c96c47c02190ecf1e430635ab',
  nextCursor: 'eyJhdCI6IjIwMjYtMTEtMjFUMDk6MzA6MDBaIiwiaWQiOiI2ZjFjIn0',
  attempt: 1,
  durationMs: 42,
  httpStatus: 503,
  error: 'HTTP 503 from Toqio',
  lastError: 'HTTP 503 from Toqio',
  redeliveredBy: 'bob',
  overdue: false,
  final: true,
};

/**
 * Fills in an example for every schema property that has none, from its name, enum, format or
 * type, so every request and response schema in /docs shows a complete example.
 */
function addPropertyExamples(document: OpenAPIObject): void {
  for (const schema of Object.values(document.components?.schemas ?? {}) as { properties?: Record<string, Record<string, unknown>> }[]) {
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      if ('example' in property || '$ref' in property || 'allOf' in property) continue;
      if ((property.items as { $ref?: string } | undefined)?.$ref) continue;
      const example = exampleFor(name, property);
      if (example !== undefined) property.example = example;
    }
  }
}

function exampleFor(name: string, property: Record<string, unknown>): unknown {
  if (name in EXAMPLES_BY_NAME) return EXAMPLES_BY_NAME[name];
  if (Array.isArray(property.enum)) return property.enum[0];
  if (property.format === 'date-time') return '2026-11-21T09:30:00.000Z';
  if (property.format === 'uuid') return '0b8e3c52-5a77-4f3e-9a51-8d2f0f4c1e90';
  switch (property.type) {
    case 'boolean':
      return false;
    case 'number':
    case 'integer':
      return 1;
    case 'array':
      return [];
    case 'object':
      return {};
    case 'string':
      return name;
    default:
      return undefined;
  }
}
