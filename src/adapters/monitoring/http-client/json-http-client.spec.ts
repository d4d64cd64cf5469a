import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { CallAbort, CallSignal } from '../../../application/ports/call-signal';
import { headerSafe, JsonHttpClient, ProviderRequestError } from './json-http-client';

/** A vendor on a real port, answering as `handle` says. */
async function vendor(handle: (request: IncomingMessage, response: ServerResponse) => void): Promise<{ server: Server; url: string }> {
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** A signal that counts the listeners added to it and not yet removed. */
class CountingSignal implements CallSignal {
  readonly aborted = false;
  listening = 0;
  addEventListener(): void {
    this.listening += 1;
  }
  removeEventListener(): void {
    this.listening -= 1;
  }
}

describe('headerSafe', () => {
  it('leaves visible ASCII alone and percent-encodes the rest, and % itself, as UTF-8', () => {
    expect(headerSafe('tx-1_A.b:c/d')).toBe('tx-1_A.b:c/d');
    expect(headerSafe('h中-1')).toBe('h%E4%B8%AD-1');
    expect(headerSafe('a b\tc\u0000')).toBe('a%20b%09c%00');
    expect(headerSafe('100%')).toBe('100%25');
    expect(headerSafe('😀')).toBe('%F0%9F%98%80');
  });

  it('never gives two different ids the same value', () => {
    expect(headerSafe('%E4%B8%AD')).not.toBe(headerSafe('中'));
  });
});

describe('JsonHttpClient', () => {
  it('refuses a request Node cannot build as ProviderRequestError (not the provider\'s failure), sending nothing', async () => {
    const client = new JsonHttpClient({ baseUrl: 'http://127.0.0.1:9', headers: {} });
    await expect(client.post('/x', '{}', new AbortController().signal, { 'idempotency-key': 'h中' })).rejects.toBeInstanceOf(ProviderRequestError);
    await expect(client.post('/x', '{}', new AbortController().signal, { 'idempotency-key': 'a\nb' })).rejects.toBeInstanceOf(ProviderRequestError);
    client.close();
  });

  it('stops a call whose signal is aborted: the request is destroyed and the call fails as aborted', async () => {
    let closed!: () => void;
    const vendorSawClose = new Promise<void>((resolve) => (closed = resolve));
    const { server, url } = await vendor((request) => request.socket.once('close', closed)); // never answers
    const client = new JsonHttpClient({ baseUrl: url, headers: {} });
    try {
      for (const abort of [new CallAbort(), new AbortController()]) {
        const call = client.post('/screen', '{}', abort.signal);
        setTimeout(() => abort.abort(), 50);
        await expect(call).rejects.toThrow('POST /screen failed: aborted');
      }
      await vendorSawClose;
    } finally {
      client.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('leaves no listener on the signal once a call is over, so a shutdown signal shared by many calls keeps none', async () => {
    const { server, url } = await vendor((request, response) => {
      if (request.url === '/fails') response.writeHead(500).end();
      else response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"APPROVED"}');
    });
    const client = new JsonHttpClient({ baseUrl: url, headers: {} });
    const signal = new CountingSignal();
    try {
      await expect(client.post('/screen', '{}', signal)).resolves.toEqual({ status: 200, body: { status: 'APPROVED' } });
      await expect(client.get('/fails', signal)).resolves.toMatchObject({ status: 500 });
      await new Promise((resolve) => setImmediate(resolve));
      expect(signal.listening).toBe(0);
    } finally {
      client.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
