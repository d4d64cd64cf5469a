// A stand-in for a monitoring vendor's API over real HTTP: records each request and answers as a test scripts it.
import { IncomingMessage, ServerResponse } from 'node:http';
import { LocalHttpServer } from './local-http-server';

export interface VendorRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly rawBody: string;
  readonly body: any;
  /** The client's TCP connection, to see keep-alive reuse. */
  readonly remotePort: number;
}

export interface VendorAnswer {
  readonly status?: number;
  readonly body?: unknown;
  /** Answer after this long (the vendor is slow). */
  readonly delayMs?: number;
  /** Close the connection without answering (the vendor is down). */
  readonly drop?: boolean;
}

/** An engine's 200 answer with a verdict, as the generic http contract has it. */
export const verdict = (status: string, reasons: unknown[] = []): VendorAnswer => ({ status: 200, body: { status, reasons } });

export type VendorHandler = (request: VendorRequest) => VendorAnswer | Promise<VendorAnswer>;

export class FakeVendorApi {
  readonly requests: VendorRequest[] = [];
  private readonly server = new LocalHttpServer((request, response) => this.serve(request, response), { keepAliveTimeoutMs: 5_000 });

  constructor(public handler: VendorHandler) {}

  get url(): string {
    return `http://127.0.0.1:${this.server.port}`;
  }

  requestsTo(path: string): VendorRequest[] {
    return this.requests.filter((request) => request.path === path);
  }

  async start(): Promise<this> {
    await this.server.start();
    return this;
  }

  /** Drops every connection; answers still waiting out their delay are never sent. */
  stop(): Promise<void> {
    return this.server.stop();
  }

  private serve(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = rawBody ? JSON.parse(rawBody) : undefined;
      } catch {
        body = undefined;
      }
      const recorded: VendorRequest = { method: request.method ?? '', path: request.url ?? '', headers: request.headers, rawBody, body, remotePort: request.socket.remotePort ?? 0 };
      this.requests.push(recorded);
      const answer = await this.handler(recorded);
      if (answer.delayMs) await this.server.delay(answer.delayMs);
      if (answer.drop) {
        request.socket.destroy();
        return;
      }
      if (response.destroyed) return;
      response.writeHead(answer.status ?? 200, { 'content-type': 'application/json' });
      response.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  }
}

/** A small structural checker for requests, written from a vendor's published schema. */
export type Shape = 'string' | 'number' | 'integer' | 'boolean' | { enum: readonly string[] } | { object: Record<string, Shape>; required?: readonly string[]; closed?: boolean } | { array: Shape };

/** Lists every place `value` departs from `shape` (empty: it conforms). */
export function schemaViolations(value: unknown, shape: Shape, path = '$'): string[] {
  if (shape === 'string') return typeof value === 'string' ? [] : [`${path}: expected a string`];
  if (shape === 'number') return typeof value === 'number' && Number.isFinite(value) ? [] : [`${path}: expected a number`];
  if (shape === 'integer') return Number.isInteger(value) ? [] : [`${path}: expected an integer`];
  if (shape === 'boolean') return typeof value === 'boolean' ? [] : [`${path}: expected a boolean`];
  if ('enum' in shape) return shape.enum.includes(value as string) ? [] : [`${path}: ${JSON.stringify(value)} is not one of ${shape.enum.join(', ')}`];
  if ('array' in shape) return Array.isArray(value) ? value.flatMap((item, i) => schemaViolations(item, shape.array, `${path}[${i}]`)) : [`${path}: expected an array`];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path}: expected an object`];
  const record = value as Record<string, unknown>;
  const problems = (shape.required ?? []).filter((key) => record[key] === undefined).map((key) => `${path}.${key}: required`);
  for (const [key, item] of Object.entries(record)) {
    const fieldShape = shape.object[key];
    if (fieldShape === undefined) {
      if (shape.closed !== false) problems.push(`${path}.${key}: not in the published schema`);
    } else if (item === null) {
      problems.push(`${path}.${key}: null where the schema wants a value or nothing`);
    } else {
      problems.push(...schemaViolations(item, fieldShape, `${path}.${key}`));
    }
  }
  return problems;
}
