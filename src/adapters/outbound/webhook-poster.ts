// POSTs one webhook over node:http(s) and turns whatever happens into a DeliveryResult; never throws.
import { Agent as HttpAgent, IncomingMessage, OutgoingHttpHeaders, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { DeliveryResult } from '../../application/ports/outbox-delivery.port';

export interface WebhookPosterOptions {
  readonly url: string;
  /** Who answers, for the error text of a refusal ("Toqio answered 500"). */
  readonly receiver: string;
  /** How long a kept-alive connection may sit idle before we close it; see IDLE_SOCKET_MS. */
  readonly idleSocketMs?: number;
  /**
   * Read the Retry-After of a 429 or 503 answer into the result's `retryAfterMs`. Off for Toqio,
   * whose deliveries keep the schedule the contract describes.
   */
  readonly readRetryAfter?: boolean;
}

/** The answers whose Retry-After says when the receiver can take the request again (RFC 6585, RFC 9110). */
const RETRY_AFTER_STATUSES = new Set([429, 503]);

/** An answer's body longer than this is not read to its end: its connection is closed instead of reused. */
const MAX_DISCARDED_BODY_BYTES = 64 * 1024;

/**
 * A kept-alive connection idle longer than this is closed by us rather than reused: servers
 * commonly drop idle connections after about 5 s, and a POST written to a connection the server
 * is closing fails (harmlessly, as a retry, but needlessly).
 */
const IDLE_SOCKET_MS = 4_000;

/**
 * One POST per attempt; a 2xx is a delivery, any other status a refusal. Redirects are not
 * followed: a webhook that moved is a configuration problem to see, not to paper over.
 *
 * node:http rather than fetch: a delivery is one small POST whose answer is only a status, and
 * fetch's streams, Request and Response objects cost several times the CPU and garbage per call
 * (measured with bench/outbox-bench.mjs); the connections are kept alive in an agent of our own.
 */
export class WebhookPoster {
  private readonly url: URL;
  private readonly send: typeof httpRequest;
  private readonly agent: HttpAgent;

  constructor(private readonly options: WebhookPosterOptions) {
    this.url = new URL(options.url);
    const https = this.url.protocol === 'https:';
    this.send = https ? httpsRequest : httpRequest;
    // The agent's timeout closes idle kept-alive sockets only; each attempt's own limit is its signal.
    const agentOptions = { keepAlive: true, timeout: options.idleSocketMs ?? IDLE_SOCKET_MS };
    this.agent = https ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
  }

  post(headers: OutgoingHttpHeaders, body: Buffer, signal: AbortSignal): Promise<DeliveryResult> {
    const startedAt = new Date();
    const started = performance.now();
    const elapsed = () => performance.now() - started;
    return new Promise<DeliveryResult>((resolve) => {
      let settled = false;
      const settle = (result: Omit<DeliveryResult, 'startedAt' | 'durationMs'>) => {
        if (settled) return;
        settled = true;
        resolve({ ...result, startedAt, durationMs: elapsed() });
      };
      const failed = (error: unknown) => {
        if (signal.aborted) settle({ outcome: 'TIMEOUT', error: 'no answer within the request timeout' });
        else settle({ outcome: 'NETWORK_ERROR', error: describe(error) });
      };
      const answered = (response: IncomingMessage) => {
        const status = response.statusCode ?? 0;
        const retryAfterMs = this.options.readRetryAfter && RETRY_AFTER_STATUSES.has(status) ? retryAfterOf(response.headers['retry-after']) : undefined;
        const result =
          status >= 200 && status < 300
            ? ({ outcome: 'DELIVERED', httpStatus: status } as const)
            : ({ outcome: 'REFUSED', httpStatus: status, error: `${this.options.receiver} answered ${status}`, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) } as const);
        // The status decides, as soon as it arrives: a receiver slow to finish its answer's body, or
        // sending a huge one, has taken the webhook all the same, and sending it again would be wrong.
        settle(result);
        // The body is read and discarded only so that the connection can be reused; past a size no
        // webhook answer needs, the connection is dropped instead (so is one still open at the signal).
        let discarded = 0;
        response.on('data', (chunk: Buffer) => {
          discarded += chunk.length;
          if (discarded > MAX_DISCARDED_BODY_BYTES) response.destroy();
        });
        response.on('error', () => undefined);
      };
      try {
        const request = this.send(
          this.url,
          { method: 'POST', agent: this.agent, signal, headers: { 'content-type': 'application/json', 'content-length': body.length, ...headers } },
          answered,
        );
        request.on('error', failed);
        request.end(body);
      } catch (error) {
        // An invalid header value (a key with a newline, say) throws before anything is sent.
        failed(error);
      }
    });
  }
}

/** Node's network errors carry a code (ECONNREFUSED, ENOTFOUND, ECONNRESET, ...) that says what happened. */
function describe(error: unknown): string {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : String(error);
  if (typeof code === 'string') return text.startsWith(code) ? text : `${code}: ${text}`;
  return text;
}

/**
 * A Retry-After in milliseconds from now: delay-seconds or an HTTP-date (RFC 9110, section 10.2.3);
 * undefined when absent or unreadable, 0 for a date already past.
 */
export function retryAfterOf(value: string | undefined, now: Date = new Date()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1_000;
  // Every form of HTTP-date starts with the day's name; Date.parse alone would take "-5" or "1.5" for a date.
  if (!/^[A-Za-z]/.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}
