// ANZ Fileactive PayTo webhook: API key, message id, then the secured payload opened and stored before RCVD.
import { Controller, HttpCode, Injectable, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiProperty, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { FastifyRequest } from 'fastify';
import { IngestPaymentEvent } from '../../../application/ingest-payment-event.use-case';
import { WebhookMalformedError, WebhookUnauthenticError } from '../../../domain/domain-error';
import { JsonObject } from '../../../domain/transaction';
import { unstorableInput } from '../../http/json-body';
import { ApiProblemResponses } from '../../http/openapi';
import { GatedBy, GuardingGate } from '../../http/request-gate';
import { SecretMatcher } from '../../http/secret-matcher';
import { countWebhook } from '../../http/webhook-events';
import { MetricsRecorder, WebhookOutcome } from '../../metrics/metrics-recorder';
import { storableJson } from '../storable-json';
import { answerOf, readOrKeepUnread, webhookOutcomeOfAnswer } from '../verified-event';
import { PAYTO, PaytoEndpoint, toPaymentEvent } from './payto-events';
import { PaytoTokenOpener } from './payto-token';

export abstract class PaytoSettings {
  abstract readonly apiKey: string;
  /** Lower-case. */
  abstract readonly apiKeyHeader: string;
}

/** The event name an unreadable payload of each endpoint is kept under. */
const EVENT_TYPES: Readonly<Record<PaytoEndpoint, string>> = {
  'mandate-outcome': 'mandate.outcome',
  'mandate-notification': 'mandate.notification',
  'mpir-outcome': 'mpir.outcome',
  query: 'query',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A signed and encrypted ANZ payload is a few kilobytes; this leaves room without inviting abuse. */
const MAX_TOKEN_LENGTH = 256 * 1024;

/** The API key (401), then X-Message-Id (400): both from the headers, before the body is read. */
@Injectable()
export class PaytoApiKeyGuard extends GuardingGate {
  private readonly keys: SecretMatcher<true>;

  constructor(
    private readonly settings: PaytoSettings,
    private readonly metrics: MetricsRecorder,
  ) {
    super();
    this.keys = new SecretMatcher([[settings.apiKey, true]]);
  }

  checkHeaders(request: FastifyRequest): void {
    const presented = request.headers[this.settings.apiKeyHeader];
    if (typeof presented !== 'string' || this.keys.match(presented) === undefined) {
      this.metrics.webhookEvent(PAYTO, 'bad_key');
      throw new WebhookUnauthenticError(`A valid PayTo API key is required in the ${this.settings.apiKeyHeader} header`);
    }
    const messageId = request.headers['x-message-id'];
    if (typeof messageId !== 'string' || !UUID.test(messageId)) {
      this.metrics.webhookEvent(PAYTO, 'malformed');
      throw new WebhookMalformedError('the X-Message-Id header must be a UUID', 'X-Message-Id');
    }
  }
}

class SecuredSubmissionDto {
  @ApiProperty({ description: 'compact JWS signed RS256, or a compact JWE (RSA-OAEP, A256CBC-HS512) wrapping one' })
  secured_payload!: string;
}

class ReceivedDto {
  @ApiProperty({ format: 'uuid', description: 'the X-Message-Id of the request' })
  id!: string;

  @ApiProperty({ example: 'RCVD' })
  status!: 'RCVD';
}

const DESCRIPTION =
  'Header `apikey` (PAYTO_API_KEY_HEADER) must match PAYTO_API_KEY (else 401) and `X-Message-Id` must be a UUID (else 400). ' +
  '`secured_payload` is verified as an RS256 JWS with PAYTO_SIGNING_PUBLIC_KEY, after decryption with PAYTO_DECRYPTION_PRIVATE_KEY ' +
  'when it is a JWE; any other algorithm, a bad signature, an expired or undecryptable token is 401 and records nothing. ' +
  'The event is stored under ANZ\'s dedupe key for the endpoint before `{"id": <X-Message-Id>, "status": "RCVD"}`; a duplicate is ' +
  'answered the same way and has no second effect. A verified payload that cannot be read is stored all the same (outcome ' +
  'UNPARSED, with the reason) and answered RCVD.';

@ApiTags('Payment providers')
@ApiSecurity('payto-api-key')
@Controller('webhooks/payto')
@UseGuards(PaytoApiKeyGuard)
export class PaytoWebhookController {
  constructor(
    private readonly ingest: IngestPaymentEvent,
    private readonly opener: PaytoTokenOpener,
    private readonly metrics: MetricsRecorder,
  ) {}

  @Post('mandates/outcomes')
  @HttpCode(200)
  @ApiOperation({ summary: 'Outcome of a mandate action (MandateActionOutcome); moves the mandate registry forward', description: DESCRIPTION })
  @PaytoDocs()
  mandateOutcome(@Req() request: FastifyRequest): Promise<ReceivedDto> {
    return this.answer('mandate-outcome', request);
  }

  @Post('mandates/notifications')
  @HttpCode(200)
  @ApiOperation({ summary: "Payer's action on a mandate (MandateNotification); moves the mandate registry forward", description: DESCRIPTION })
  @PaytoDocs()
  mandateNotification(@Req() request: FastifyRequest): Promise<ReceivedDto> {
    return this.answer('mandate-notification', request);
  }

  @Post('mpirs/outcomes')
  @HttpCode(200)
  @ApiOperation({ summary: 'Outcome of a payment initiation (MPIRActionOutcome): PDNG, ACSP, ACSC or RJCT, never backwards', description: DESCRIPTION })
  @PaytoDocs()
  mpirOutcome(@Req() request: FastifyRequest): Promise<ReceivedDto> {
    return this.answer('mpir-outcome', request);
  }

  @Post('queries')
  @HttpCode(200)
  @ApiOperation({ summary: "A payer's PayTo query (QueryNotification): opens an inbound alert in the review queue", description: DESCRIPTION })
  @PaytoDocs()
  query(@Req() request: FastifyRequest): Promise<ReceivedDto> {
    return this.answer('query', request);
  }

  /** The answer ANZ expects; whether it was a duplicate is for the metrics only. */
  private async answer(endpoint: PaytoEndpoint, request: FastifyRequest): Promise<ReceivedDto> {
    const { id, status } = await countWebhook(this.metrics, PAYTO, () => this.openAndStore(endpoint, request), (answer) => answer.outcome);
    return { id, status };
  }

  private async openAndStore(endpoint: PaytoEndpoint, request: FastifyRequest): Promise<ReceivedDto & { outcome: WebhookOutcome }> {
    // Checked by PaytoApiKeyGuard.
    const messageId = request.headers['x-message-id'] as string;
    const body = request.body as { secured_payload?: unknown } | null;
    const token = typeof body === 'object' && body !== null ? body.secured_payload : undefined;
    if (typeof token !== 'string' || token === '' || token.length > MAX_TOKEN_LENGTH) {
      throw new WebhookMalformedError(`secured_payload must be a compact JWS or JWE of at most ${MAX_TOKEN_LENGTH} characters`, 'secured_payload');
    }
    const payload = await this.opener.open(token);
    // Verified: from here on the event is kept whatever it holds. The signed payload is JSON that
    // jose parsed, not the body parser: held to the same storable-text rule. A payload that fails it
    // only for NULs or lone surrogates (a payer's narrative) is read with U+FFFD in their place, as the other
    // webhooks' are; one that fails it otherwise keeps the request body (the token itself, which is storable).
    const unstorable = unstorableInput(payload, true);
    const cleaned = unstorable === undefined ? undefined : cleanedCopy(payload);
    const readable = unstorable === undefined ? payload : (cleaned?.value as JsonObject | undefined);
    const jsonText = unstorable === undefined ? JSON.stringify(payload) : (cleaned?.text ?? request.jsonText ?? JSON.stringify(body));
    const delivery = { provider: PAYTO, jsonText, eventType: EVENT_TYPES[endpoint], messageId: messageId.toLowerCase() };
    const event = readOrKeepUnread(delivery, () => {
      if (readable === undefined) throw new WebhookMalformedError(`secured_payload: ${unstorable}`, 'secured_payload');
      return toPaymentEvent(endpoint, readable, messageId.toLowerCase());
    });
    const answer = answerOf(event, await this.ingest.execute(event));
    return { id: messageId, status: 'RCVD', outcome: webhookOutcomeOfAnswer(answer) };
  }
}

/**
 * The payload with its NULs and lone surrogates replaced, when that is all that kept it from being
 * stored; undefined otherwise, including for one nested too deep for JSON.stringify's recursion
 * (thousands of levels overflow the stack: kept unread, never a 500 that ANZ would resend).
 */
function cleanedCopy(payload: unknown): ReturnType<typeof storableJson> {
  let text: string;
  try {
    text = JSON.stringify(payload);
  } catch {
    return undefined;
  }
  return storableJson(text);
}

function PaytoDocs(): MethodDecorator {
  return (target, key, descriptor) => {
    GatedBy(PaytoApiKeyGuard)(target, key, descriptor);
    ApiHeader({ name: 'X-Message-Id', required: true, description: 'UUID of this delivery' })(target, key, descriptor);
    ApiBody({ type: SecuredSubmissionDto })(target, key, descriptor);
    ApiOkResponse({ type: ReceivedDto })(target, key, descriptor);
    ApiProblemResponses(400, 401, 413, 415, 503)(target, key, descriptor);
  };
}
