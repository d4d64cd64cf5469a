// What Node's HTTP parser refuses before Fastify routes (a bad method, a raw byte in the path, headers too large) is problem+json too.
import { connect, Socket } from 'node:net';
import { ConnectionError } from 'fastify';
import { answerClientError } from '../src/adapters/http/client-errors';
import { startTestApp, TestApp } from './support/test-app';

interface RawAnswer {
  statusLine: string;
  headers: Record<string, string>;
  body: string;
}

function parse(raw: Buffer): RawAnswer {
  const end = raw.indexOf('\r\n\r\n');
  const [statusLine, ...lines] = raw.subarray(0, end).toString('latin1').split('\r\n');
  const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  return { statusLine, headers, body: raw.subarray(end + 4).toString('utf8') };
}

/** Sends `bytes` as they are and reads everything until the server closes the connection. */
function raw(port: number, bytes: Buffer): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(new Error('the server kept the connection open')), 5_000);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A reset right after the answer is still an answer: what matters is what was received.
    socket.on('error', (error) => (chunks.length > 0 ? undefined : reject(error)));
    socket.on('close', () => {
      clearTimeout(timer);
      if (chunks.length > 0) resolve(parse(Buffer.concat(chunks)));
    });
    socket.write(bytes);
  });
}

describe('errors of the HTTP parser, before any route', () => {
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    t = await startTestApp();
    port = Number(new URL(t.baseUrl).port);
  });
  afterAll(async () => {
    await t?.close();
  });

  it.each([
    ['an unknown method', Buffer.from('FOO /transaction/validate HTTP/1.1\r\nHost: x\r\n\r\n'), 'HTTP/1.1 400 Bad Request'],
    ['a raw non-ASCII byte in the path', Buffer.concat([Buffer.from('GET /transaction/'), Buffer.from([0xe9]), Buffer.from(' HTTP/1.1\r\nHost: x\r\n\r\n')]), 'HTTP/1.1 400 Bad Request'],
    ['a path of 64 KiB', Buffer.from(`GET /${'a'.repeat(64 * 1024)} HTTP/1.1\r\nHost: x\r\n\r\n`), 'HTTP/1.1 431 Request Header Fields Too Large'],
  ])('answers %s with a problem+json and closes the connection', async (_name, request, statusLine) => {
    const answer = await raw(port, request);

    expect(answer.statusLine).toBe(statusLine);
    expect(answer.headers['content-type']).toBe('application/problem+json');
    expect(answer.headers['connection']).toBe('close');
    expect(Number(answer.headers['content-length'])).toBe(Buffer.byteLength(answer.body));
    const status = Number(statusLine.split(' ')[1]);
    expect(JSON.parse(answer.body)).toEqual({ type: 'about:blank', title: statusLine.split(' ').slice(2).join(' '), status, detail: expect.any(String) });
  });

  it('still answers a well-formed request on the same server', async () => {
    const answer = await raw(port, Buffer.from('GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
    expect(answer.statusLine).toMatch(/^HTTP\/1\.1 [2-4]\d\d /);
  });
});

describe('errors of the HTTP parser on the operations port', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { OPS_PORT: '0' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers an unknown method with the same problem+json as the public port', async () => {
    const answer = await raw(Number(new URL(t.opsBaseUrl!).port), Buffer.from('FOO /health/live HTTP/1.1\r\nHost: x\r\n\r\n'));
    expect(answer.statusLine).toBe('HTTP/1.1 400 Bad Request');
    expect(answer.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(answer.body)).toMatchObject({ type: 'about:blank', status: 400 });
  });
});

describe('answerClientError', () => {
  /** A socket stand-in: what is written, and whether it was destroyed. */
  function fakeSocket(): { socket: Socket; written: () => string } {
    const chunks: string[] = [];
    const fake = {
      writable: true,
      destroyed: false,
      write: (text: string) => chunks.push(text) > 0,
      destroy: () => Object.assign(fake, { writable: false, destroyed: true }),
    };
    return { socket: fake as unknown as Socket, written: () => chunks.join('') };
  }
  const error = (code: string) => Object.assign(new Error(code), { code }) as ConnectionError;

  it('answers a request timeout with 408 and destroys the socket', () => {
    const { socket, written } = fakeSocket();
    answerClientError(error('ERR_HTTP_REQUEST_TIMEOUT'), socket);

    const answer = parse(Buffer.from(written()));
    expect(answer.statusLine).toBe('HTTP/1.1 408 Request Timeout');
    expect(JSON.parse(answer.body)).toMatchObject({ type: 'about:blank', status: 408, title: 'Request Timeout' });
    expect(socket.destroyed).toBe(true);
  });

  it('writes nothing to a connection the client reset', () => {
    const { socket, written } = fakeSocket();
    answerClientError(error('ECONNRESET'), socket);
    expect(written()).toBe('');
  });
});
