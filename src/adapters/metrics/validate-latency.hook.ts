// Times every answer of POST /transaction/validate, errors included, by HTTP code and decision.
import { FastifyInstance } from 'fastify';
import { MetricsRecorder } from './metrics-recorder';

declare module 'fastify' {
  interface FastifyRequest {
    /** The status word validate answered, set by its controller for the latency histogram. */
    decisionStatus?: string;
  }
}

export const VALIDATE_ROUTE = '/transaction/validate';

/**
 * An onResponse hook on that one route only (added as the route is registered), so no other
 * route pays for it; 400s, 401s and 413s answered before the controller are timed too.
 * Call before the routes are registered.
 */
export function instrumentValidateLatency(fastify: FastifyInstance, metrics: MetricsRecorder): void {
  if (!metrics.enabled) return;
  fastify.addHook('onRoute', (route) => {
    if (route.url !== VALIDATE_ROUTE || route.method !== 'POST') return;
    const hook = (request: { decisionStatus?: string }, reply: { statusCode: number; elapsedTime: number }, done: () => void) => {
      metrics.observeValidate(reply.statusCode, reply.statusCode === 200 ? request.decisionStatus : undefined, reply.elapsedTime / 1000);
      done();
    };
    route.onResponse = [...(route.onResponse === undefined ? [] : Array.isArray(route.onResponse) ? route.onResponse : [route.onResponse]), hook as never];
  });
}
