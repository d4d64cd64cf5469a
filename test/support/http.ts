// HTTP calls to the app under test: through supertest in this process, or over a real socket to a URL.
import { IncomingMessage, Server } from 'node:http';
import request from 'supertest';

/**
 * The app's own server (`TestApp.server`, driven through supertest), or a base URL: a service in a child
 * process, or a suite where the socket itself matters (timings, a request in flight across a shutdown, replicas).
 */
export type HttpTarget = Server | string;

export interface HttpCall {
  status: number;
  contentType: string;
  headers: Headers;
  text: string;
  /** The body parsed as JSON when read; {} when empty. */
  readonly body: Record<string, any>;
}

export interface HttpCallOptions {
  readonly headers?: Record<string, string>;
  /** Sent exactly as given. */
  readonly body?: string;
}

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete' | 'head';

export async function httpCall(target: HttpTarget, method: string, path: string, options: HttpCallOptions = {}): Promise<HttpCall> {
  if (typeof target === 'string') {
    const response = await fetch(`${target}${path}`, { method: method.toUpperCase(), headers: options.headers, body: options.body });
    return answered(response.status, response.headers, await response.text());
  }
  let pending = request(target)[method.toLowerCase() as Method](path).set(options.headers ?? {});
  if (options.body !== undefined) pending = pending.send(options.body);
  const response = await pending.buffer(true).parse(asText);
  const text = typeof response.body === 'string' ? response.body : '';
  const headers = new Headers();
  for (const [name, value] of Object.entries(response.headers as Record<string, string | string[]>)) {
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  return answered(response.status, headers, text);
}

function answered(status: number, headers: Headers, text: string): HttpCall {
  return {
    status,
    contentType: headers.get('content-type') ?? '',
    headers,
    text,
    get body() {
      return text ? JSON.parse(text) : {};
    },
  };
}

/** Every body as text, whatever its type: the suites parse it themselves. */
function asText(res: request.Response, done: (error: Error | null, body: string) => void): void {
  // In Node, superagent hands parsers the raw response stream, which its types do not say.
  const response = res as unknown as IncomingMessage;
  let text = '';
  response.setEncoding('utf8');
  response.on('data', (chunk: string) => (text += chunk));
  response.on('end', () => done(null, text));
  response.on('error', (error) => done(error, text));
}
