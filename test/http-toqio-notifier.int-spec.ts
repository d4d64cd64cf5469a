// HttpToqioNotifier against a real local HTTP server: what each way of answering (or not) becomes.
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { Delivery } from '../src/application/ports/notification-outbox.port';
import { HttpToqioNotifier } from '../src/adapters/toqio/http-toqio.notifier';

type Handler = (request: IncomingMessage, response: ServerResponse, body: string) => void;

describe('HttpToqioNotifier', () => {
  let server: Server;
  let url: string;
  let handler: Handler;
  const delivery: Delivery = {
    notificationId: '0b8c5f0e-8f3c-4d55-9d38-6f4d1f0f6a11',
    transactionId: 'tx-1',
    body: '{"transactionId":"tx-1","status":"APPROVED","reason":"ok","decidedBy":"alice","decidedAt":"2026-01-01T00:00:00.000Z"}',
    attempt: 1,
    attemptSinceQueued: 1,
    queuedAt: new Date(),
  };
  const notifier = () => new HttpToqioNotifier({ url, apiKey: 'the-key', apiKeyHeader: 'x-api-key', idleSocketMs: 100 });
  const within = (ms: number) => AbortSignal.timeout(ms);

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => handler(request, response, Buffer.concat(chunks).toString('utf8')));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/integration/x/webhookType/TRANSACTION_MONITORING_STATUS_UPDATED?k=1`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('posts the body with the key, content type and idempotency-key, and takes a 2xx as delivered', async () => {
    let seen: { method?: string; url?: string; headers: IncomingMessage['headers']; body: string } | undefined;
    handler = (request, response, body) => {
      seen = { method: request.method, url: request.url, headers: request.headers, body };
      response.writeHead(202).end('accepted');
    };

    const result = await notifier().deliver(delivery, within(2_000));

    expect(result).toMatchObject({ outcome: 'DELIVERED', httpStatus: 202 });
    expect(result.startedAt).toBeInstanceOf(Date);
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(seen).toMatchObject({
      method: 'POST',
      url: '/webhooks/integration/x/webhookType/TRANSACTION_MONITORING_STATUS_UPDATED?k=1',
      headers: { 'x-api-key': 'the-key', 'content-type': 'application/json', 'idempotency-key': delivery.notificationId },
      body: delivery.body,
    });
  });

  it.each([500, 409, 301, 404])('takes a %i as refused, without following redirects', async (status) => {
    handler = (_request, response) => response.writeHead(status, { location: '/elsewhere' }).end('{"error":true}');
    await expect(notifier().deliver(delivery, within(2_000))).resolves.toMatchObject({ outcome: 'REFUSED', httpStatus: status, error: `Toqio answered ${status}` });
  });

  it.each([410, 429, 503])('keeps a %i an ordinary refusal, its Retry-After unread: the contract retries anything but a 2xx on its own schedule', async (status) => {
    handler = (_request, response) => response.writeHead(status, { 'retry-after': '120' }).end();
    const result = await notifier().deliver(delivery, within(2_000));
    expect(result).toMatchObject({ outcome: 'REFUSED', httpStatus: status, error: `Toqio answered ${status}` });
    expect(result).not.toHaveProperty('final');
    expect(result).not.toHaveProperty('retryAfterMs');
  });

  it('takes a 2xx as delivered when its status arrives, however slow or long the body after it', async () => {
    // A body that never ends, then one far longer than any webhook answer: Toqio took the notification either way.
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write('partial');
    };
    const slow = notifier().deliver(delivery, within(3_000));
    await expect(slow).resolves.toMatchObject({ outcome: 'DELIVERED', httpStatus: 200 });
    expect((await slow).durationMs).toBeLessThan(2_000);

    handler = (_request, response) => {
      response.writeHead(200);
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const pump = () => {
        while (!response.destroyed && response.write(chunk));
        if (!response.destroyed) response.once('drain', pump);
      };
      response.on('error', () => undefined);
      pump();
    };
    const long = await notifier().deliver(delivery, within(3_000));
    expect(long).toMatchObject({ outcome: 'DELIVERED', httpStatus: 200 });
    expect(long.durationMs).toBeLessThan(2_000);
    // And the next delivery goes through on a new connection.
    handler = (_request, response) => response.writeHead(204).end();
    await expect(notifier().deliver(delivery, within(2_000))).resolves.toMatchObject({ outcome: 'DELIVERED', httpStatus: 204 });
  });

  it('takes no answer before the signal as a timeout', async () => {
    handler = () => undefined;
    await expect(notifier().deliver(delivery, within(100))).resolves.toMatchObject({ outcome: 'TIMEOUT' });
  });

  it('takes a dropped connection as a network error', async () => {
    handler = (request) => request.socket.destroy();
    await expect(notifier().deliver(delivery, within(2_000))).resolves.toMatchObject({ outcome: 'NETWORK_ERROR', error: expect.stringMatching(/ECONNRESET|socket hang up/) });
  });

  it('takes a refused connection as a network error naming ECONNREFUSED', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = new HttpToqioNotifier({ url: `http://127.0.0.1:${port}/hook`, apiKey: 'k', apiKeyHeader: 'x-api-key' });
    await expect(refused.deliver(delivery, within(2_000))).resolves.toMatchObject({ outcome: 'NETWORK_ERROR', error: expect.stringContaining('ECONNREFUSED') });
  });

  it('waits for a slow answer on a reused connection longer than the idle-socket limit', async () => {
    const client = notifier();
    handler = (_request, response) => response.writeHead(200).end();
    await expect(client.deliver(delivery, within(2_000))).resolves.toMatchObject({ outcome: 'DELIVERED' });

    handler = (_request, response) => setTimeout(() => response.writeHead(200).end(), 300);
    await expect(client.deliver(delivery, within(2_000))).resolves.toMatchObject({ outcome: 'DELIVERED', httpStatus: 200 });
  });

  it('delivers again after an idle connection was closed, by either side', async () => {
    const client = notifier();
    handler = (_request, response) => response.writeHead(200).end();
    await expect(client.deliver(delivery, within(2_000))).resolves.toMatchObject({ outcome: 'DELIVERED' });
    await new Promise((resolve) => setTimeout(resolve, 200)); // past idleSocketMs: our side closes it
    await expect(client.deliver(delivery, within(2_000))).resolves.toMatchObject({ outcome: 'DELIVERED' });
    server.closeIdleConnections(); // the server's side
    await new Promise((resolve) => setTimeout(resolve, 200)); // its close reaches our side first...
    await new Promise((resolve) => setImmediate(resolve)); // ...and is read before we send again
    await expect(client.deliver(delivery, within(2_000))).resolves.toMatchObject({ outcome: 'DELIVERED' });
  });
});
