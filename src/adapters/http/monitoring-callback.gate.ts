// A provider callback's signature, checked from its headers and then its raw bytes, before any parsing.
import { Injectable } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { ReceiveProviderCallback } from '../../application/receive-provider-callback.use-case';
import { MetricsRecorder } from '../metrics/metrics-recorder';
import { RequestGate } from './request-gate';
import { webhookOutcomeOf } from './webhook-events';

/** Refusals are counted here: the controller never sees a request the gate turns away. */
@Injectable()
export class MonitoringCallbackGate extends RequestGate {
  constructor(
    private readonly receive: ReceiveProviderCallback,
    private readonly metrics: MetricsRecorder,
  ) {
    super();
  }

  checkHeaders(request: FastifyRequest): void {
    this.authenticate(request, undefined);
  }

  override checkRawBody(request: FastifyRequest, raw: Buffer): void {
    this.authenticate(request, raw);
  }

  private authenticate(request: FastifyRequest, rawBody: Buffer | undefined): void {
    const provider = (request.params as { provider?: string }).provider ?? '';
    try {
      this.receive.authenticate(provider, { headers: callbackHeaders(request), rawBody });
    } catch (error) {
      this.metrics.webhookEvent(provider, webhookOutcomeOf(error));
      throw error;
    }
  }
}

/** Header values as providers' verifiers see them: repeated headers joined, names lower-case. */
export function callbackHeaders(request: FastifyRequest): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  return headers;
}
