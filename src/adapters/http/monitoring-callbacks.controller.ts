// Monitoring providers' later decisions: verified by the provider's adapter, applied like an analyst's.
import { Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { FastifyRequest } from 'fastify';
import { CallbackOutcome, ReceiveProviderCallback } from '../../application/receive-provider-callback.use-case';
import { CallbackAnswerDto } from './analyst.dto';
import { ApiProblemResponses, STANDARD_WEBHOOKS_SCHEME } from './openapi';
import { callbackHeaders, MonitoringCallbackGate } from './monitoring-callback.gate';
import { PathIdPipe } from './path-params';
import { GatedBy } from './request-gate';
import { countWebhook } from './webhook-events';
import { MetricsRecorder } from '../metrics/metrics-recorder';

@ApiTags('Monitoring providers')
@Controller('webhooks/monitoring')
export class MonitoringCallbacksController {
  constructor(
    private readonly receive: ReceiveProviderCallback,
    private readonly metrics: MetricsRecorder,
  ) {}

  @Post(':provider')
  // The providers' adapters read the verified raw body themselves, and only its decision is stored (reasons cleaned of what
  // PostgreSQL cannot hold): a NUL or deep nesting elsewhere in a signed event must not refuse the provider's decision.
  @GatedBy(MonitoringCallbackGate, { keepsUnstorableJson: true })
  @HttpCode(200)
  @ApiOperation({
    summary: "A monitoring provider's decision on a transaction it left pending",
    description:
      'Verified by the provider\'s adapter before anything is recorded. Providers without a format of their own (`rules`, and in-house engines) ' +
      'sign with Standard Webhooks (RULES_WEBHOOK_SECRET or MONITORING_HTTP_WEBHOOK_SECRET, else MONITORING_WEBHOOK_SECRET; webhook-id, webhook-timestamp within 5 minutes, webhook-signature) and send ' +
      '`{"type":"transaction.decided","timestamp":"...","data":{"transactionId":"...","status":"APPROVED|REJECTED","reasons":["..."]}}`. ' +
      'A replayed webhook-id is answered DUPLICATE and changes nothing; a transaction already final is answered NOT_PENDING, its decision kept as a note in the chain (decision.contradicted when it disagrees). ' +
      '`flagright`: TRANSACTION_STATUS_UPDATED events signed in x-flagright-signature (hex HMAC-SHA256 of the body, FLAGRIGHT_WEBHOOK_SECRET); ALLOW and BLOCK decide. ' +
      '`marble`: case.decision_reviewed events signed in MARBLE_WEBHOOK_SIGNATURE_HEADER (hex HMAC-SHA256, MARBLE_WEBHOOK_SECRET), event id in Webhook-Idempotency-Key; ' +
      'the reviewed decision is read from Marble (503 with Retry-After when Marble cannot be asked).',
  })
  @ApiHeader({ name: 'webhook-id', required: false, description: 'Standard Webhooks: unique event id' })
  @ApiHeader({ name: 'webhook-timestamp', required: false, description: 'Standard Webhooks: Unix seconds' })
  @ApiHeader({ name: 'webhook-signature', required: false, description: 'Standard Webhooks: v1,<base64 HMAC-SHA256>' })
  @ApiHeader({ name: 'x-flagright-signature', required: false, description: 'Flagright: hex HMAC-SHA256 of the raw body' })
  @ApiHeader({ name: 'x-convoy-signature', required: false, description: 'Marble (default MARBLE_WEBHOOK_SIGNATURE_HEADER): hex HMAC-SHA256 of the raw body' })
  @ApiHeader({ name: 'webhook-idempotency-key', required: false, description: 'Marble: unique event id' })
  @ApiSecurity(STANDARD_WEBHOOKS_SCHEME)
  @ApiBody({
    description: 'The decision event, signed over its exact bytes',
    schema: {
      type: 'object',
      required: ['type', 'data'],
      properties: {
        type: { type: 'string', enum: ['transaction.decided'] },
        timestamp: { type: 'string', format: 'date-time' },
        data: {
          type: 'object',
          required: ['transactionId', 'status'],
          properties: {
            transactionId: { type: 'string', minLength: 1, maxLength: 128 },
            status: { type: 'string', enum: ['APPROVED', 'REJECTED'] },
            reasons: { type: 'array', items: { type: 'string', maxLength: 1000 }, maxItems: 50, nullable: true },
          },
        },
      },
      example: {
        type: 'transaction.decided',
        timestamp: '2026-11-21T09:30:00.000Z',
        data: { transactionId: '6f1c2a9e-2d1b-4c8e-9d3a-1b2c3d4e5f60', status: 'APPROVED', reasons: ['Cleared by the case tool'] },
      },
    },
  })
  @ApiOkResponse({ type: CallbackAnswerDto })
  @ApiProblemResponses(400, 401, 404, 413, 415, 503)
  callback(@Param('provider', new PathIdPipe('provider', 64)) provider: string, @Req() request: FastifyRequest): Promise<CallbackOutcome> {
    const headers = callbackHeaders(request);
    return countWebhook(
      this.metrics,
      provider,
      () => this.receive.execute(provider, { headers, rawBody: Buffer.from(request.rawBody ?? '', 'utf8') }),
      // NOT_PENDING is authentic and acknowledged; it just comes after another decision.
      (result) => (result.outcome === 'DUPLICATE' ? 'duplicate' : 'accepted'),
    );
  }
}
