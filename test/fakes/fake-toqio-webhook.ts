// A stand-in for Toqio's decision webhook: records what it receives and misbehaves on request.
import { IncomingMessage, ServerResponse } from 'node:http';
import { LocalHttpServer } from './local-http-server';

export interface ReceivedNotification {
  readonly headers: IncomingMessage['headers'];
  readonly body: Record<string, unknown>;
  readonly rawBody: string;
  readonly receivedAt: number;
  /**
   * The status this fake answered, even to a client that had gone meanwhile (killed, or timed
   * out during `latencyMs`): Toqio too would have acted on a request whose answer was lost.
   */
  readonly answered: number;
}

/** What to do with the next request: answer a status, hang (until the client gives up), or drop the connection. */
export type Behaviour = number | 'hang' | 'drop';

/** A request as it arrived, before any answer: hung and dropped ones too. */
export interface ArrivedRequest {
  /** Path and query: replicas given different query strings can be told apart. */
  readonly url: string;
  readonly idempotencyKey: string;
  readonly transactionId: unknown;
  readonly behaviour: Behaviour;
  readonly arrivedAt: number;
}

export class FakeToqioWebhook {
  readonly received: ReceivedNotification[] = [];
  /** Every request in order of arrival, whatever was done with it. */
  readonly arrived: ArrivedRequest[] = [];
  /** Consumed one per request; when empty, `defaultBehaviour` applies. */
  readonly script: Behaviour[] = [];
  defaultBehaviour: Behaviour = 200;
  /** Delay before answering, to keep deliveries in flight. */
  latencyMs = 0;
  private readonly server = new LocalHttpServer((request, response) => void this.handle(request, response));

  get url(): string {
    return `http://127.0.0.1:${this.server.port}/webhooks/integration/test/webhookType/TRANSACTION_MONITORING_STATUS_UPDATED`;
  }

  /** Listens (again, on the same port when restarted). */
  async start(): Promise<this> {
    await this.server.start();
    return this;
  }

  /** Stops listening: connections are then refused until `start()`. */
  stop(): Promise<void> {
    return this.server.stop();
  }

  /** Successful deliveries (2xx answered) per idempotency-key. */
  deliveredKeys(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const r of this.received) {
      if (r.answered >= 200 && r.answered < 300) {
        const key = String(r.headers['idempotency-key']);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    return counts;
  }

  async waitFor(predicate: (fake: this) => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this)) {
      if (Date.now() > deadline) throw new Error(`fake Toqio: condition not met within ${timeoutMs} ms (received ${this.received.length})`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const behaviour = this.script.length > 0 ? this.script.shift()! : this.defaultBehaviour;
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(rawBody) as Record<string, unknown>;
    } catch {
      // recorded as empty; a test asserting on the body will notice
    }
    this.arrived.push({ url: request.url ?? '', idempotencyKey: String(request.headers['idempotency-key']), transactionId: body.transactionId, behaviour, arrivedAt: Date.now() });
    if (behaviour === 'drop') {
      request.socket.destroy();
      return;
    }
    if (behaviour === 'hang') return; // never answers; the client times out
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    this.received.push({ headers: request.headers, body, rawBody, receivedAt: Date.now(), answered: behaviour });
    response.writeHead(behaviour, { 'content-type': 'application/json' }).end('{}');
  }
}
