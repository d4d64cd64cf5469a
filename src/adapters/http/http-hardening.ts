// Security headers, and body and rate limits chosen by path, so routes added later inherit them.
import helmet from 'helmet';
import { IncomingMessage, ServerResponse } from 'node:http';
import rateLimit from '@fastify/rate-limit';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyRequest, RouteOptions } from 'fastify';
import { ConfigType } from '@nestjs/config';
import { operationsConfig } from '../../config/operations.config';
import { MetricsRecorder } from '../metrics/metrics-recorder';
import { Problem } from './problem-details';

const KiB = 1024;

/**
 * Body limits by route group; everything else keeps the server-wide 100 KiB of the contract. A
 * route may declare a smaller one of its own (GatedBy's bodyLimit).
 */
export const BODY_LIMITS = {
  /** The contract's limit for validate and the default of every route. */
  default: 100 * KiB,
  /** An analyst's decision is a status and a reason of at most 1000 characters. */
  analyst: 16 * KiB,
  /**
   * Providers' events carry whole payment objects, a few kilobytes; a PayTo secured_payload (JWS
   * or JWE) is at most 256 KiB, and provider callbacks at most 50 reasons of 1000 characters.
   */
  webhook: 260 * KiB,
  /** Routes whose requests carry nothing in the body. */
  bodiless: 1 * KiB,
} as const;

export type RateLimitedGroup = 'analyst' | 'webhook';

/**
 * Which limits a route gets, from its path alone: everything under /webhooks/ (provider
 * callbacks, Paystack, PayTo) is a webhook; /transactions, /notifications, /monitoring, /audit,
 * /events, /payment-events, /reconciliation, /sanctions, /lists, /rules and /me are the analyst API.
 * Validate (/transaction/validate), health, metrics and docs are never rate limited: Toqio is
 * validate's only caller, and a throttled payment is worse than a busy service.
 */
export function routeGroupOf(url: string): RateLimitedGroup | undefined {
  if (url.startsWith('/webhooks/')) return 'webhook';
  if (url === '/transactions' || url.startsWith('/transactions/') || url === '/notifications' || url.startsWith('/notifications/')) return 'analyst';
  if (url.startsWith('/monitoring/') || url.startsWith('/audit/') || url === '/me') return 'analyst';
  if (url === '/events' || url.startsWith('/events/')) return 'analyst';
  if (url === '/payment-events' || url === '/reconciliation' || url.startsWith('/reconciliation/')) return 'analyst';
  if (url.startsWith('/sanctions/')) return 'analyst';
  if (url === '/lists' || url.startsWith('/lists/') || url === '/rules' || url.startsWith('/rules/')) return 'analyst';
  return undefined;
}

/**
 * Call before any route is registered (before setUpOpenApi and app.init()). An onRoute hook of
 * ours runs before the rate-limit plugin's, and sets each route's bodyLimit and rate-limit
 * switch from its group.
 */
export async function registerHttpHardening(app: NestFastifyApplication, operations: ConfigType<typeof operationsConfig>, metrics: MetricsRecorder): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRoute', (route: RouteOptions) => {
    const group = routeGroupOf(route.url);
    if (group === 'webhook') route.bodyLimit ??= BODY_LIMITS.webhook;
    // A route's own limit (GatedBy's bodyLimit) wins over its group's.
    const own = (route.config as { bodyLimit?: number } | undefined)?.bodyLimit;
    if (group === 'analyst' && route.method !== 'GET') route.bodyLimit ??= own ?? BODY_LIMITS.analyst;
    // The plugin limits every route not switched off here, with one shared store.
    if (group === undefined) route.config = { ...(route.config as object), rateLimit: false } as never;
  });

  // Helmet's headers are the same for every response: worked out once here, rather than by
  // @fastify/helmet, which builds helmet's whole middleware again on every request (a few percent
  // of validate's CPU under load).
  const securityHeaders = helmetHeaders();
  fastify.addHook('onRequest', (_request, reply, done) => {
    void reply.headers(securityHeaders);
    done();
  });

  const limits: Record<RateLimitedGroup, number> = {
    analyst: operations.analystRateLimitPerMinute,
    webhook: operations.webhookRateLimitPerMinute,
  };
  await app.register(rateLimit as never, {
    global: true,
    timeWindow: 60_000,
    // Keyed per client address (TRUST_PROXY decides what that is behind a load balancer), and
    // for webhooks also per route: a forger flooding from elsewhere spends its own budget,
    // never the real provider's, which sends from its own addresses.
    keyGenerator: (request: FastifyRequest) => {
      const group = routeGroupOf(request.routeOptions.url ?? '') ?? 'analyst';
      return group === 'webhook' ? `webhook|${request.routeOptions.url}|${request.ip}` : `analyst|${request.ip}`;
    },
    max: (_request: FastifyRequest, key: string) => (key.startsWith('webhook|') ? limits.webhook : limits.analyst),
    cache: 20_000,
    onExceeded: (request: FastifyRequest) => metrics.rateLimitedRequest(routeGroupOf(request.routeOptions.url ?? '') ?? 'analyst'),
    errorResponseBuilder: (_request: FastifyRequest, context: { max: number; ttl: number }) => {
      const seconds = Math.max(1, Math.ceil(context.ttl / 1000));
      return new Problem(429, 'rate-limited', 'Too many requests', `At most ${context.max} requests a minute are accepted from one client here; retry in ${seconds} s`, undefined, {
        'retry-after': String(seconds),
      });
    },
  });
}

/**
 * The headers helmet sets. The Swagger UI at /docs loads its own scripts and styles and an inline
 * <style>: helmet's default policy (script-src 'self', style-src 'self' https: 'unsafe-inline',
 * img-src 'self' data:) allows exactly that. upgrade-insecure-requests is left out so /docs also
 * works over plain http on a development machine or behind a TLS-terminating proxy.
 */
export function helmetHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string) => (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => delete headers[name.toLowerCase()],
  };
  helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } })({} as IncomingMessage, response as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
  });
  return headers;
}
