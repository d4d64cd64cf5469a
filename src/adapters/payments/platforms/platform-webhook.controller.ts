// The webhooks of the platforms declared in PAYMENT_PLATFORMS_FILE: signature checked on the raw body, the event stored, then 200.
import { Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { FastifyRequest } from 'fastify';
import { IngestPaymentEvent } from '../../../application/ingest-payment-event.use-case';
import { ApiProblemResponses, PLATFORM_SIGNATURE_SCHEME } from '../../http/openapi';
import { GatedBy } from '../../http/request-gate';
import { countWebhook } from '../../http/webhook-events';
import { MetricsRecorder } from '../../metrics/metrics-recorder';
import { PaymentEventAnswerDto } from '../payment-event-answer.dto';
import { answerOf, readOrKeepUnread, webhookOutcomeOfAnswer } from '../verified-event';
import { eventNameIn, toPlatformEvent } from './platform-events';
import { PlatformWebhookGate } from './platform-webhook.gate';

@ApiTags('Payment providers')
@ApiSecurity(PLATFORM_SIGNATURE_SCHEME)
@Controller('webhooks/platforms')
export class PlatformWebhookController {
  constructor(
    private readonly ingest: IngestPaymentEvent,
    private readonly gate: PlatformWebhookGate,
    private readonly metrics: MetricsRecorder,
  ) {}

  @Post(':name')
  @HttpCode(200)
  @ApiOperation({
    summary: 'The webhook of a payment platform declared in PAYMENT_PLATFORMS_FILE',
    description:
      'The platform named in the path is one of the file (else 404). Its signature is checked on the raw body as the file says ' +
      '(HMAC-SHA256 or HMAC-SHA512 in hex or base64 in a header of its own, optionally over "<timestamp>.<body>" with a timestamp ' +
      "header within a tolerance, or Standard Webhooks), keyed with the secret in the platform's environment variable; anything " +
      'that does not verify is 401 and records nothing. The event is then stored under the event name plus its id (or the SHA-256 of ' +
      'the body) before the 200; a repeat is answered 200 with `duplicate: true`. Events mapped to inbound are screened after the ' +
      'answer, settled and failed move the payment of the Toqio transaction named by the reference, refunded is kept and counted as a ' +
      'refund by reconciliation, record is kept. ' +
      'A verified event that cannot be read is stored as UNPARSED with the reason and answered 200 with `unparsed`.',
  })
  @GatedBy(PlatformWebhookGate, { keepsUnstorableJson: true })
  @ApiParam({ name: 'name', description: 'the platform\'s name in PAYMENT_PLATFORMS_FILE', example: 'acme-pay' })
  @ApiOkResponse({ type: PaymentEventAnswerDto })
  @ApiProblemResponses(400, 401, 404, 413, 415, 503)
  receive(@Param('name') _name: string, @Req() request: FastifyRequest): Promise<PaymentEventAnswerDto> {
    const rawBody = request.rawBody ?? '';
    // The gate has checked it before the body was parsed; checked here if it has not, so the handler never depends on how it is mounted.
    const platform = this.gate.verified(request);
    return countWebhook(
      this.metrics,
      platform.name,
      async () => {
        const jsonText = request.jsonText ?? rawBody;
        const delivery = { provider: platform.name, jsonText, body: request.body, unstorable: request.unstorableJson, eventType: eventNameIn(platform, request.body) };
        const event = readOrKeepUnread(delivery, (document) => toPlatformEvent(platform, document.jsonText));
        return answerOf(event, await this.ingest.execute(event));
      },
      webhookOutcomeOfAnswer,
    );
  }
}
