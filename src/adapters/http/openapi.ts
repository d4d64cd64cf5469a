// The OpenAPI document served at /docs (UI) and /docs-json, generated from the controllers.
import { applyDecorators, INestApplication } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse, DocumentBuilder, getSchemaPath, SwaggerModule } from '@nestjs/swagger';
import { AppConfig } from '../../config/app-config';
import { ANALYST_BEARER_SCHEME } from './analyst-auth.guard';
import { TRANSACTION_STATUSES, TransactionStatus } from '../../domain/transaction-status';

export const TOQIO_API_KEY_SCHEME = 'toqio-api-key';

export class FieldErrorDto {
  @ApiProperty({ example: 'beneficiary.country' }) field!: string;
  @ApiProperty({ example: 'country must be an ISO 3166-1 alpha-2 country code, e.g. GB' }) message!: string;
}

/** RFC 9457 problem details, the body of every error answer. */
export class ProblemDetailsDto {
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

export function setUpOpenApi(app: INestApplication, config: AppConfig): void {
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
      .addApiKey({ type: 'apiKey', in: 'header', name: config.toqio.apiKeyHeader, description: 'The key Toqio issued (TOQIO_API_KEY)' }, TOQIO_API_KEY_SCHEME)
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An analyst token from ANALYST_TOKENS; its name is recorded as the decider' }, ANALYST_BEARER_SCHEME)
      .addApiKey({ type: 'apiKey', in: 'header', name: config.payto.apiKeyHeader, description: 'The key agreed with ANZ for the PayTo webhook (PAYTO_API_KEY)' }, 'payto-api-key')
      .build(),
    { extraModels: [ProblemDetailsDto] },
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
}

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input; `errors` names each invalid field',
  401: 'Missing or wrong credentials',
  404: 'Unknown resource',
  409: 'Conflicts with what is already recorded (already decided, same analyst approving twice, notification not dead)',
  413: 'Body larger than 100 KiB',
  415: 'Body is not JSON',
  503: 'The service is unwell (database unreachable, or the same id still being screened); retry after Retry-After',
};

/** Documents problem+json answers for the given statuses. */
export function ApiProblemResponses(...statuses: number[]): MethodDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: PROBLEM_DESCRIPTIONS[status] ?? 'Error',
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDetailsDto) } } },
      }),
    ),
  );
}
