// What Node's HTTP parser refuses before any route (a bad method, a raw byte in the path, headers too large), answered problem+json on both ports.
import { ConnectionError } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { Socket } from 'node:net';
import { Problem, PROBLEM_CONTENT_TYPE, toProblem } from './problem-details';

/** What Node's parser reports, as Node itself answers it; any other parse error is a 400. */
const CLIENT_ERRORS: Record<string, { status: number; detail: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, detail: 'The request line and headers are larger than this server accepts' },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: { status: 413, detail: 'The chunk extensions of the body are larger than this server accepts' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, detail: 'The request was not received in time' },
};
const UNPARSABLE = { status: 400, detail: 'The request is not valid HTTP (its method, path, headers or framing)' };

/**
 * Fastify's clientErrorHandler: a problem+json written on the raw socket, which is then destroyed
 * (what is left of the request cannot be read), as Node's and Fastify's own handlers do. Nothing is
 * written into a response already under way, nor to a connection the client reset.
 */
export function answerClientError(error: ConnectionError, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const { status, detail } = CLIENT_ERRORS[error.code] ?? UNPARSABLE;
  const { problem } = toProblem(new Problem(status, 'about:blank', STATUS_CODES[status] ?? 'Error', detail));
  const body = JSON.stringify(problem);
  // Node's own handler reads the same internal field for a response in flight on this socket.
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && !inFlight?.headersSent) {
    socket.write(`HTTP/1.1 ${status} ${problem.title}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(error);
}
