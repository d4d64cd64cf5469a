// Toqio's synchronous call: POST /transaction/validate.
import { Body, Controller, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { ApiBody, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { ValidateTransaction } from '../../application/validate-transaction.use-case';
import { Money } from '../../domain/money';
import { JsonObject, Transaction } from '../../domain/transaction';
import { TransactionStatus } from '../../domain/transaction-status';
import { topLevelNumberLiteral } from './json-body';
import { ApiProblemResponses, TOQIO_API_KEY_SCHEME, ValidateTransactionResponseDto } from './openapi';
import { GatedBy } from './request-gate';
import { ToqioApiKeyGuard } from './toqio-api-key.guard';
import { TransactionRequestPipe, ValidatedTransactionRequest } from './transaction-request.pipe';
import { ValidateTransactionRequest } from './validate-transaction.request';
import { MetricsRecorder } from '../metrics/metrics-recorder';
import { paymentsConfig } from '../../config/payments.config';
import { PAYSTACK, PAYSTACK_CHECK } from '../payments/paystack/paystack-events';
import { PAYTO, PAYTO_QUERY } from '../payments/payto/payto-events';
import { ValidationProblem } from './problem-details';

export interface ValidateTransactionResponse {
  transactionId: string;
  status: TransactionStatus;
  reasons: readonly string[];
}

@ApiTags('Toqio')
@Controller('transaction')
export class ValidateTransactionController {
  /**
   * The namespaces of money received: its transactions live in the same table under ids such as
   * "paystack:<reference>". A Toqio id in one would take the id a payment's screening needs.
   */
  private readonly paymentNamespaces: ReadonlySet<string>;

  constructor(
    private readonly validateTransaction: ValidateTransaction,
    private readonly metrics: MetricsRecorder,
    @Inject(paymentsConfig.KEY) payments: ConfigType<typeof paymentsConfig>,
  ) {
    this.paymentNamespaces = new Set([PAYSTACK, PAYSTACK_CHECK, PAYTO, PAYTO_QUERY, ...payments.platforms.map((platform) => platform.name)]);
  }

  @Post('validate')
  @HttpCode(200)
  @UseGuards(ToqioApiKeyGuard)
  @GatedBy(ToqioApiKeyGuard)
  @ApiOperation({
    summary: 'Screen an outbound payment before Toqio executes it',
    description:
      'Answers APPROVED, REJECTED or PENDING_EXTERNAL_APPROVAL within DECISION_TIMEOUT_MS (FALLBACK_STATUS when the provider fails or is late). ' +
      'Idempotent on transactionId: a repeat with the same amount, currency and beneficiary gets the current status; a different one gets 409. ' +
      'Fields beyond those listed are kept verbatim and passed to the provider. ' +
      'Answered by VALIDATE_DEADLINE_MS whatever the database does: 503 problem+json with Retry-After when it cannot serve (or a decision could not be recorded in time); ' +
      'a retry with the same transactionId then gets one consistent answer.',
  })
  @ApiSecurity(TOQIO_API_KEY_SCHEME)
  @ApiBody({ type: ValidateTransactionRequest })
  @ApiOkResponse({ type: ValidateTransactionResponseDto, description: 'The decision' })
  @ApiProblemResponses(400, 401, 409, 413, 415, 503)
  async validate(
    @Body(TransactionRequestPipe) request: ValidatedTransactionRequest,
    @Req() httpRequest: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ValidateTransactionResponse> {
    // Fastify's clock starts when it takes the request, before the body is read: the deadline counts from there.
    const receivedAt = Date.now() - reply.elapsedTime;
    this.refuseIdOfMoneyReceived(request.fields.transactionId === undefined ? 'id' : 'transactionId', (request.fields.transactionId ?? request.fields.id)!);
    const result = await this.validateTransaction.execute(toTransaction(request, httpRequest.jsonText ?? JSON.stringify(request.body)), receivedAt);
    httpRequest.decisionStatus = result.status;
    if (result.replayed) this.metrics.validateReplayed();
    else if (result.decidedBy) this.metrics.decision(result.decidedBy === 'PROVIDER' ? 'provider' : 'fallback', result.status);
    return { transactionId: result.transactionId, status: result.status, reasons: result.reasons };
  }

  private refuseIdOfMoneyReceived(field: string, id: string): void {
    const colon = id.indexOf(':');
    if (colon < 0 || !this.paymentNamespaces.has(id.slice(0, colon))) return;
    throw new ValidationProblem([{ field, message: `"${id.slice(0, colon)}:" is the namespace of money received through ${id.slice(0, colon)}; a transaction id from Toqio cannot start with it` }]);
  }
}

/** The one place a validate body becomes a domain Transaction. */
export function toTransaction({ fields, body }: ValidatedTransactionRequest, rawBody: string): Transaction {
  const amount =
    typeof fields.amount === 'number' ? exactLiteral(rawBody, fields.amount) : fields.amount;
  const beneficiary = body['beneficiary'];
  return new Transaction({
    id: (fields.transactionId ?? fields.id)!,
    money: Money.of(amount, fields.currency),
    beneficiary: beneficiary && typeof beneficiary === 'object' ? (beneficiary as JsonObject) : undefined,
    sourceAccountId: fields.sourceAccountId,
    customerId: fields.customerId,
    companyId: fields.companyId,
    userId: fields.userId,
    paymentScheme: fields.paymentScheme ?? fields.bankPaymentScheme,
    reference: fields.reference,
    attributes: body,
    originalPayload: rawBody,
  });
}

/** The digits the client wrote, not the binary float JSON.parse made of them. */
function exactLiteral(rawBody: string, parsed: number): string {
  const literal = topLevelNumberLiteral(rawBody, 'amount');
  return literal !== undefined && Number(literal) === parsed ? literal : String(parsed);
}
