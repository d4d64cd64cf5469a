// Paystack's source and signature, checked from the headers and then the raw bytes, before any parsing.
import { Injectable } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { WebhookUnauthenticError } from '../../../domain/domain-error';
import { WebhookSourceForbiddenProblem } from '../../http/problem-details';
import { RequestGate } from '../../http/request-gate';
import { webhookOutcomeOf } from '../../http/webhook-events';
import { MetricsRecorder } from '../../metrics/metrics-recorder';
import { verifyPaystackSignature } from './paystack-signature';

export abstract class PaystackSettings {
  abstract readonly secretKey: string;
  /** Empty: any source. */
  abstract readonly allowedIps: ReadonlySet<string>;
}

const SIGNATURE_HEADER = 'x-paystack-signature';

/** Refusals are counted here: the controller never sees a request the gate turns away. */
@Injectable()
export class PaystackWebhookGate extends RequestGate {
  constructor(
    private readonly settings: PaystackSettings,
    private readonly metrics: MetricsRecorder,
  ) {
    super();
  }

  checkHeaders(request: FastifyRequest): void {
    this.counted(() => {
      this.checkSource(request);
      if (typeof request.headers[SIGNATURE_HEADER] !== 'string') throw new WebhookUnauthenticError(`${SIGNATURE_HEADER} is missing`);
    });
  }

  override checkRawBody(request: FastifyRequest, raw: Buffer): void {
    this.counted(() => this.verify(request, raw));
  }

  /** Source and signature together, uncounted: the controller counts what it refuses. */
  verify(request: FastifyRequest, raw: Uint8Array): void {
    this.checkSource(request);
    const signature = request.headers[SIGNATURE_HEADER];
    if (!verifyPaystackSignature(raw, typeof signature === 'string' ? signature : undefined, this.settings.secretKey)) {
      throw new WebhookUnauthenticError(`${SIGNATURE_HEADER} is missing or does not match the body`);
    }
  }

  private checkSource(request: FastifyRequest): void {
    if (this.settings.allowedIps.size > 0 && !this.settings.allowedIps.has(clientAddress(request.ip))) {
      throw new WebhookSourceForbiddenProblem(`${clientAddress(request.ip)} is not an allowed Paystack source address`);
    }
  }

  private counted(check: () => void): void {
    try {
      check();
    } catch (error) {
      this.metrics.webhookEvent('paystack', webhookOutcomeOf(error));
      throw error;
    }
  }
}

/** An IPv4 client on a dual-stack socket shows as ::ffff:a.b.c.d. */
function clientAddress(ip: string): string {
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice('::ffff:'.length) : ip;
}
