// A small JSON-over-HTTP client for vendor APIs: one keep-alive agent per provider, abortable, no secrets in errors.
import { Agent as HttpAgent, request as httpRequest, IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { CallSignal } from '../../../application/ports/call-signal';

/** A vendor answered with a status we cannot use; the message never carries the request's headers. */
export class ProviderHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ProviderHttpError';
  }
}

/** A request we refuse to send (e.g. an amount a JSON number cannot carry exactly): not the vendor's fault. */
export class ProviderRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProviderRequestError';
  }
}

/** How an abandoned call's request is destroyed: its error says "aborted". */
class AbortedCall extends Error {
  constructor() {
    super('aborted');
    this.name = 'AbortError';
  }
}

export interface JsonResponse {
  readonly status: number;
  readonly body: unknown;
}

export interface JsonHttpClientOptions {
  /** Base URL; request paths are appended to it ("https://api.checkmarble.com/v1" + "/decisions"). */
  readonly baseUrl: string;
  /** Sent on every request (authentication); never logged nor put in an error message. */
  readonly headers: Readonly<Record<string, string>>;
  /** Sockets kept open per provider; more concurrent requests queue on the agent. */
  readonly maxSockets?: number;
  /** Largest answer accepted, in bytes. */
  readonly maxResponseBytes?: number;
}

/**
 * Why not fetch: the global fetch shares one dispatcher across every provider and Toqio, and its
 * pool cannot be sized or observed per provider. A node:http Agent with keepAlive reuses the TLS
 * connection of each provider, which is most of a vendor call's cost at 20 ms round trips.
 */
export class JsonHttpClient {
  private readonly base: URL;
  private readonly agent: HttpAgent;
  private readonly maxResponseBytes: number;

  constructor(private readonly options: JsonHttpClientOptions) {
    this.base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
    const maxSockets = options.maxSockets ?? 128;
    // Idle connections are kept up to the pool's size: with fewer, every burst above that many
    // calls in flight closed the surplus afterwards and opened (and TLS-handshook) it again on the
    // next burst, which profiling showed as connects and closes on validate's path.
    const agentOptions = { keepAlive: true, keepAliveMsecs: 1_000, maxSockets, maxFreeSockets: maxSockets, scheduling: 'lifo' as const };
    this.agent = this.base.protocol === 'https:' ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
    this.maxResponseBytes = options.maxResponseBytes ?? 1024 * 1024;
  }

  /** `body` is JSON text, so that callers control exactly what goes on the wire. */
  post(path: string, body: string, signal: CallSignal, headers: Record<string, string> = {}): Promise<JsonResponse> {
    return this.send('POST', path, body, signal, headers);
  }

  get(path: string, signal: CallSignal): Promise<JsonResponse> {
    return this.send('GET', path, undefined, signal, {});
  }

  close(): void {
    this.agent.destroy();
  }

  /**
   * An abort destroys the request (its socket is not reused). The signal is listened to here rather
   * than handed to node:http, whose `signal` option is declared for an AbortSignal, so that the
   * client needs no more of it than CallSignal; the listener goes once the request closes, so a
   * long-lived signal (a shutdown's) keeps none.
   */
  private send(method: string, path: string, body: string | undefined, signal: CallSignal, extra: Record<string, string>): Promise<JsonResponse> {
    const url = new URL(path.replace(/^\//, ''), this.base);
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<JsonResponse>((resolve, reject) => {
      if (signal.aborted) {
        reject(new Error('aborted before sending'));
        return;
      }
      const payload = body === undefined ? undefined : Buffer.from(body, 'utf8');
      let req: ReturnType<typeof request>;
      try {
        req = request(url, {
          method,
          agent: this.agent,
          headers: {
            accept: 'application/json',
            ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
            ...this.options.headers,
            ...extra,
          },
        });
      } catch (error) {
        // Node refuses to build it (a header with a character HTTP cannot carry): nothing was sent.
        reject(new ProviderRequestError(`${method} ${url.pathname} could not be sent: ${(error as { code?: string }).code ?? (error as Error).name}`));
        return;
      }
      const onAbort = () => req.destroy(new AbortedCall());
      signal.addEventListener('abort', onAbort, { once: true });
      req.once('close', () => signal.removeEventListener('abort', onAbort));
      req.on('error', (error) => reject(new Error(`${method} ${url.pathname} failed: ${error instanceof AbortedCall ? 'aborted' : error.message}`)));
      req.on('response', (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > this.maxResponseBytes) {
            response.destroy();
            reject(new ProviderHttpError(response.statusCode ?? 0, `${method} ${url.pathname}: answer larger than ${this.maxResponseBytes} bytes`));
          } else {
            chunks.push(chunk);
          }
        });
        response.on('error', (error) => reject(new Error(`${method} ${url.pathname}: ${error.message}`)));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = undefined;
          if (text.length > 0) {
            try {
              parsed = JSON.parse(text);
            } catch {
              reject(new ProviderHttpError(response.statusCode ?? 0, `${method} ${url.pathname}: HTTP ${response.statusCode} with a body that is not JSON`));
              return;
            }
          }
          resolve({ status: response.statusCode ?? 0, body: parsed });
        });
      });
      req.end(payload);
    });
  }
}

/**
 * A header value built from client input (a transaction id as an idempotency key): bytes outside
 * visible ASCII, and `%` itself, are percent-encoded as UTF-8, so that any id can be sent and two
 * different ids never share a value. Plain ids go out unchanged.
 */
export function headerSafe(value: string): string {
  return HEADER_SAFE.test(value) ? value : value.replace(/[^\x21-\x24\x26-\x7e]/gu, percentEncoded);
}

const HEADER_SAFE = /^[\x21-\x24\x26-\x7e]*$/;
const percentEncoded = (character: string): string => [...Buffer.from(character, 'utf8')].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');

/** Throws ProviderHttpError unless the status is 2xx; a short vendor message is kept for operators. */
export function expectSuccess(response: JsonResponse, what: string): unknown {
  if (response.status >= 200 && response.status < 300) return response.body;
  const detail = vendorMessage(response.body);
  throw new ProviderHttpError(response.status, `${what}: HTTP ${response.status}${detail ? ` (${detail})` : ''}`);
}

function vendorMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  const message = record.message ?? record.error ?? record.code ?? record.messages;
  const text = Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : undefined;
  return text?.slice(0, 200);
}
