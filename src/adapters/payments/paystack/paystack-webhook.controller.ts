// Paystack's webhook: source and signature checked on the raw body, the event stored, then 200.
import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FastifyRequest } from 'fastify';
import { IngestPaymentEvent } from '../../../application/ingest-payment-event.use-case';
import { ApiProblemResponses } from '../../http/openapi';
import { GatedBy, rawBodyPassedGate } from '../../http/request-gate';
import { countWebhook } from '../../http/webhook-events';
import { MetricsRecorder } from '../../metrics/metrics-recorder';
import { PaymentEventAnswerDto } from '../payment-event-answer.dto';
import { answerOf, readOrKeepUnread, webhookOutcomeOfAnswer } from '../verified-event';
import { PAYSTACK, toPaymentEvent } from './paystack-events';
import { PaystackWebhookGate } from './paystack-webhook.gate';

@ApiTags('Payment providers')
@Controller('webhooks/paystack')
export class PaystackWebhookController {
  constructor(
    private readonly ingest: IngestPaymentEvent,
    private readonly gate: PaystackWebhookGate,
    private readonly metrics: MetricsRecorder,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: "Paystack's webhook (charges, transfers, refunds and the rest)",
    description:
      '`x-paystack-signature` must be the lowercase hex HMAC-SHA512 of the raw body keyed with PAYSTACK_SECRET_KEY (else 401); with ' +
      'PAYSTACK_ALLOWED_IPS set, other sources get 403. Nothing is recorded unless both pass. The event is then stored under its dedupe ' +
      'key (event name plus data.id, or data.transfer_code for transfers) before the 200; a repeat is answered 200 with `duplicate: true` ' +
      'and has no second effect. charge.success is screened after the answer; transfer.* move the payment of the transaction whose id is ' +
      'the transfer reference; refund.* and every other event are recorded (refund.processed counted as a refund by reconciliation). ' +
      'Unless PAYSTACK_VERIFY=false, charges and transfers are first ' +
      "confirmed with Paystack's API (after the answer); a disagreement opens an inbound alert instead. A verified event that cannot be " +
      'read (a field missing, a shape not expected, text PostgreSQL cannot hold) is still stored, as UNPARSED with the reason, and ' +
      'answered 200 with `unparsed`: only a failed signature or a body that is not JSON is refused.',
  })
  @GatedBy(PaystackWebhookGate, { keepsUnstorableJson: true })
  @ApiHeader({ name: 'x-paystack-signature', required: true, description: 'hex HMAC-SHA512 of the raw body' })
  @ApiOkResponse({ type: PaymentEventAnswerDto })
  @ApiProblemResponses(400, 401, 403, 413, 415, 503)
  receive(@Req() request: FastifyRequest): Promise<PaymentEventAnswerDto> {
    return countWebhook(this.metrics, PAYSTACK, () => this.verifyAndStore(request), webhookOutcomeOfAnswer);
  }

  private async verifyAndStore(request: FastifyRequest): Promise<PaymentEventAnswerDto> {
    const rawBody = request.rawBody ?? '';
    // The gate has checked both before the body was parsed; checked here if it has not, so that
    // the handler never depends on how it is mounted.
    if (!rawBodyPassedGate(request)) this.gate.verify(request, Buffer.from(rawBody, 'utf8'));
    // The signature covers the bytes as sent; the stored copy is the JSON document (no byte order mark).
    const jsonText = request.jsonText ?? rawBody;
    const body = request.body as { event?: unknown } | null;
    const delivery = { provider: PAYSTACK, jsonText, body, unstorable: request.unstorableJson, eventType: typeof body === 'object' && body !== null ? body.event : undefined };
    const event = readOrKeepUnread(delivery, (document) => toPaymentEvent(document.body, document.jsonText));
    return answerOf(event, await this.ingest.execute(event));
  }
}
