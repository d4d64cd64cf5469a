// The operations port (OPS_PORT): probes, metrics and the API docs, served apart from the port Toqio and providers call.
import { FastifyInstance } from 'fastify';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { answerClientError } from './client-errors';
import { Problem, sendProblem } from './problem-details';

/** /health/*, /metrics, /docs and /docs-json (and the UI's files under /docs/). */
const OPERATIONS_PATH = /^\/(health\/|metrics(?=[/?]|$)|docs(?=[-/?]|$))/;

/** Requests that came in on the operations port, marked before they enter the application. */
const fromOperationsPort = new WeakSet<IncomingMessage>();

export function isOperationsPath(url: string): boolean {
  return OPERATIONS_PATH.test(url);
}

const notHere = (url: string) => new Problem(404, 'not-found', 'Not found', `No route ${url.split('?')[0]} on this port`);

/**
 * With an operations port, the public port answers 404 for its paths: readiness details, metrics
 * and the API's map are for operators, not for whoever can reach the port Toqio calls.
 */
export function keepOperationsOffPublicPort(fastify: FastifyInstance): void {
  // Answered here, not thrown: the docs' routes live in a plugin whose errors skip the problem+json filter.
  fastify.addHook('onRequest', (request, reply, done) => {
    // Judged by the route the router matched, not by the URL as sent: the router decodes
    // percent-escapes (/%6Detrics) and takes absolute-form targets (GET http://host/metrics).
    // Either way round: the operations port serves nothing else, whatever its URL looked like.
    const route = request.routeOptions.url;
    if (route !== undefined && isOperationsPath(route) !== fromOperationsPort.has(request.raw)) return sendProblem(notHere(request.url), request, reply);
    done();
  });
}

/**
 * Listens on `port` with a server of its own whose requests go through the same application
 * (same hooks, logs and metrics); anything but an operations path is answered 404 there. The
 * caller closes the returned server after the application.
 */
export async function listenOnOperationsPort(fastify: FastifyInstance, port: number, host: string): Promise<Server> {
  const server = createServer((request, response) => {
    if (!isOperationsPath(request.url ?? '')) {
      const { status, slug, title, detail } = notHere(request.url ?? '/');
      response.writeHead(status, { 'content-type': 'application/problem+json' });
      response.end(JSON.stringify({ type: `https://toqio-tm.dev/problems/${slug}`, title, status, detail }));
      return;
    }
    fromOperationsPort.add(request);
    fastify.routing(request, response);
  });
  // As on the main port (Fastify's clientErrorHandler there).
  server.on('clientError', answerClientError);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

export function portOf(server: Server): number {
  return (server.address() as AddressInfo).port;
}

export function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
