// OPS_PORT: probes, metrics and the API docs move off the public port onto a port of their own.
import { connect } from 'node:net';
import { startTestApp, TestApp } from './support/test-app';

/** The whole answer to `request` written as is on a new connection. */
function rawRequest(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(request));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('a separate operations port (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { OPS_PORT: '0' } });
  });

  afterAll(async () => {
    await t?.close();
  });

  // Each body is read to its end: a response left unread keeps its socket paused, so the socket
  // never sees the server close it and outlives the suite (jest then force-exits its worker).
  const status = async (base: string, path: string) => {
    const answer = await fetch(`${base}${path}`);
    await answer.arrayBuffer();
    return answer.status;
  };

  it.each(['/health/live', '/health/ready', '/metrics', '/docs', '/docs-json'])('serves %s on the operations port and answers 404 for it on the public port', async (path) => {
    expect(t.opsBaseUrl).toBeDefined();
    expect(await status(t.opsBaseUrl!, path)).toBe(200);
    const publicAnswer = await fetch(`${t.baseUrl}${path}`);
    expect(publicAnswer.status).toBe(404);
    expect(publicAnswer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    await publicAnswer.arrayBuffer();
  });

  it('answers 404 on the public port however the path is spelled: percent-escapes, absolute form', async () => {
    for (const path of ['/%6Detrics', '/%68ealth/ready', '/%64ocs-json', '/docs%2Djson', '/health%2Flive']) expect({ path, status: await status(t.baseUrl, path) }).toEqual({ path, status: 404 });
    const { port } = new URL(t.baseUrl);
    const raw = await rawRequest(Number(port), `GET http://127.0.0.1:${port}/metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    expect(raw).toMatch(/^HTTP\/1\.1 (404|400) /);
    expect(raw).not.toContain('# HELP');
  });

  it('serves nothing else on the operations port', async () => {
    expect(await status(t.opsBaseUrl!, '/transactions')).toBe(404);
    const validate = await fetch(`${t.opsBaseUrl}/transaction/validate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(validate.status).toBe(404);
    await validate.arrayBuffer();
  });
});
