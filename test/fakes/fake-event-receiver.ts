// A stand-in for the operators' event receiver: verifies each Standard Webhooks signature with the reference library and answers as scripted.
import { IncomingMessage, ServerResponse } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { LocalHttpServer } from './local-http-server';

export interface ReceivedEvent {
  readonly webhookId: string;
  readonly headers: IncomingMessage['headers'];
  readonly rawBody: string;
  /** The parsed envelope, when the signature verified; undefined otherwise. */
  readonly envelope: { type: string; timestamp: string; data: Record<string, any> } | undefined;
  readonly verified: boolean;
  readonly verifyError?: string;
  /** The status this receiver answered. */
  readonly answered: number;
  /** Path and query: replicas given different query strings can be told apart. */
  readonly url: string;
  /** When the request arrived (Date.now()). */
  readonly at: number;
}

/** A scripted answer: a status, or a status with headers (a Retry-After, say). */
export type ScriptedAnswer = number | { readonly status: number; readonly headers?: Record<string, string> };

export class FakeEventReceiver {
  readonly received: ReceivedEvent[] = [];
  /** Consumed one per request; when empty, `defaultStatus` applies. */
  readonly script: ScriptedAnswer[] = [];
  defaultStatus = 204;
  /** Delay before answering, to keep deliveries in flight. */
  latencyMs = 0;
  private readonly server = new LocalHttpServer((request, response) => void this.handle(request, response));

  constructor(readonly secret: string) {}

  get url(): string {
    return `http://127.0.0.1:${this.server.port}/hooks/operators`;
  }

  async start(): Promise<this> {
    await this.server.start();
    return this;
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  /** Requests answered 2xx whose signature verified. */
  delivered(): ReceivedEvent[] {
    return this.received.filter((event) => event.verified && event.answered >= 200 && event.answered < 300);
  }

  ofType(type: string): ReceivedEvent[] {
    return this.delivered().filter((event) => event.envelope?.type === type);
  }

  async waitFor(what: string, predicate: (receiver: this) => boolean, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this)) {
      if (Date.now() > deadline) throw new Error(`event receiver: not within ${timeoutMs} ms: ${what} (received ${this.received.length})`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    let envelope: ReceivedEvent['envelope'];
    let verifyError: string | undefined;
    try {
      envelope = new Webhook(this.secret).verify(rawBody, request.headers as Record<string, string>) as ReceivedEvent['envelope'];
    } catch (error) {
      verifyError = (error as Error).message;
    }
    const at = Date.now();
    const scripted = verifyError !== undefined ? 401 : this.script.length > 0 ? this.script.shift()! : this.defaultStatus;
    const { status, headers } = typeof scripted === 'number' ? { status: scripted, headers: undefined } : scripted;
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    const webhookId = String(request.headers['webhook-id']);
    this.received.push({ webhookId, headers: request.headers, rawBody, envelope, verified: verifyError === undefined, verifyError, answered: status, url: request.url ?? '', at });
    response.writeHead(status, headers).end();
  }
}
