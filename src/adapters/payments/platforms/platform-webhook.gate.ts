// A declared platform's route and signature, checked from the path and headers, then the raw bytes, before any parsing.
import { Injectable } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { UnknownProviderError } from '../../../domain/domain-error';
import { rawBodyPassedGate, RequestGate } from '../../http/request-gate';
import { webhookOutcomeOf } from '../../http/webhook-events';
import { MetricsRecorder } from '../../metrics/metrics-recorder';
import { Platform } from './platform-definition';
import { PlatformSignatureVerifier } from './platform-signature';

interface Declared {
  readonly platform: Platform;
  readonly verifier: PlatformSignatureVerifier;
}

/** The platforms of PAYMENT_PLATFORMS_FILE by name, each with its verifier built once. */
export class DeclaredPlatforms {
  private readonly byName: ReadonlyMap<string, Declared>;

  constructor(platforms: readonly Platform[]) {
    this.byName = new Map(platforms.map((platform) => [platform.name, { platform, verifier: new PlatformSignatureVerifier(platform) }]));
  }

  /** Throws UnknownProviderError (404) for a name the file does not declare. */
  of(request: FastifyRequest): Declared {
    const name = (request.params as { name?: unknown } | undefined)?.name;
    const declared = typeof name === 'string' ? this.byName.get(name) : undefined;
    if (!declared) throw new UnknownProviderError(typeof name === 'string' ? name.slice(0, 100) : '');
    return declared;
  }
}

/** Refusals are counted here, under the platform's name: the controller never sees a request the gate turns away. */
@Injectable()
export class PlatformWebhookGate extends RequestGate {
  constructor(
    private readonly platforms: DeclaredPlatforms,
    private readonly metrics: MetricsRecorder,
  ) {
    super();
  }

  checkHeaders(request: FastifyRequest): void {
    this.countingRefusals(request, ({ verifier }) => verifier.checkHeaders(request.headers));
  }

  override checkRawBody(request: FastifyRequest, raw: Buffer): void {
    this.countingRefusals(request, ({ verifier }) => verifier.verify(request.headers, raw));
  }

  /**
   * The platform the request is for, its signature verified on the raw body unless this gate
   * already did before the body was parsed; uncounted: the controller counts what it refuses.
   */
  verified(request: FastifyRequest): Platform {
    const { platform, verifier } = this.platforms.of(request);
    if (!rawBodyPassedGate(request)) verifier.verify(request.headers, Buffer.from(request.rawBody ?? '', 'utf8'));
    return platform;
  }

  private countingRefusals(request: FastifyRequest, check: (declared: Declared) => void): void {
    let provider = 'unknown';
    try {
      const declared = this.platforms.of(request);
      provider = declared.platform.name;
      check(declared);
    } catch (error) {
      this.metrics.webhookEvent(provider, webhookOutcomeOf(error));
      throw error;
    }
  }
}
