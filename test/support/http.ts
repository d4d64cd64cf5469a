// HTTP calls through supertest: to the Nest app under test in this process, or to a service listening elsewhere.
import { IncomingMessage, Server } from 'node:http';
import request from 'supertest';

/** The app's own server (`TestApp.server`, driven in-process), or the base URL of a service that runs elsewhere. */
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
  let pending = request(target)[method.toLowerCase() as Method](path).set(options.headers ?? {});
  if (options.body !== undefined) pending = pending.send(options.body);
  const response = await pending.buffer(true).parse(asText);
  const text = typeof response.body === 'string' ? response.body : '';
  const headers = new Headers();
  for (const [name, value] of Object.entries(response.headers as Record<string, string | string[]>)) {
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  return {
    status: response.status,
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
