// Unit spec of the request gates' raw-body check: a handler learns whether its gate let the exact body through.
import Fastify, { FastifyRequest } from 'fastify';
import { registerJsonBodyParser } from './json-body';
import { ExecutionContext } from '@nestjs/common';
import { GuardingGate, headersPassedGate, rawBodyPassedGate, registerRequestGates, RequestGate } from './request-gate';

/** Lets through a body that says it is signed; refuses any other. */
class SignedBodyGate extends RequestGate {
  checkHeaders(): void {}

  override checkRawBody(_request: FastifyRequest, raw: Buffer): void {
    if (!raw.toString('utf8').includes('"signed":true')) throw Object.assign(new Error('not signed'), { statusCode: 401 });
  }
}

/** Checks nothing on the body. */
class HeadersOnlyGate extends RequestGate {
  checkHeaders(): void {}
}

/** Lets through a request that carries the right key. */
class KeyGate extends RequestGate {
  checkHeaders(request: FastifyRequest): void {
    if (request.headers['x-key'] !== 'right') throw Object.assign(new Error('wrong key'), { statusCode: 401 });
  }
}

/** Checks its headers asynchronously, as a token verification does. */
class AsyncKeyGate extends KeyGate {
  override async checkHeaders(request: FastifyRequest): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    super.checkHeaders(request);
  }
}

async function app() {
  const fastify = Fastify();
  registerJsonBodyParser(fastify);
  const gates = new Map<unknown, RequestGate>([
    [SignedBodyGate, new SignedBodyGate()],
    [HeadersOnlyGate, new HeadersOnlyGate()],
    [KeyGate, new KeyGate()],
    [AsyncKeyGate, new AsyncKeyGate()],
  ]);
  registerRequestGates(fastify, (type) => gates.get(type)!);
  const answer = async (request: FastifyRequest) => ({ passed: rawBodyPassedGate(request) });
  // As GatedBy puts it in a Nest route's config.
  const gated = (gate: unknown) => ({ config: { gate } as Record<string, unknown> });
  fastify.post('/signed', gated(SignedBodyGate), answer);
  fastify.post('/headers-only', gated(HeadersOnlyGate), answer);
  fastify.post('/ungated', answer);
  // What a guard of each kind would conclude: another instance, as Nest may build the guard apart from the gate.
  const headersPassed = async (request: FastifyRequest) => ({ key: headersPassedGate(request, new KeyGate()), asyncKey: headersPassedGate(request, new AsyncKeyGate()) });
  fastify.post('/key', gated(KeyGate), headersPassed);
  fastify.post('/async-key', gated(AsyncKeyGate), headersPassed);
  fastify.post('/key-ungated', headersPassed);
  return fastify;
}

describe('rawBodyPassedGate', () => {
  it('is true only where the gate checked the raw body and let it through', async () => {
    const fastify = await app();
    const base = await fastify.listen({ port: 0, host: '127.0.0.1' });
    const post = (path: string, body: object) => fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    try {
      expect(await (await post('/signed', { signed: true })).json()).toEqual({ passed: true });
      expect((await post('/signed', { signed: false })).status).toBe(401);
      expect(await (await post('/headers-only', { signed: true })).json()).toEqual({ passed: false });
      expect(await (await post('/ungated', { signed: true })).json()).toEqual({ passed: false });
    } finally {
      await fastify.close();
    }
  });
});

describe('headersPassedGate', () => {
  it("is true only for a guard of the gate's own kind, once the gate let the headers through", async () => {
    const fastify = await app();
    const base = await fastify.listen({ port: 0, host: '127.0.0.1' });
    const post = (path: string, key: string) => fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-key': key }, body: '{}' });
    try {
      expect(await (await post('/key', 'right')).json()).toEqual({ key: true, asyncKey: false });
      expect(await (await post('/async-key', 'right')).json()).toEqual({ key: false, asyncKey: true });
      expect((await post('/key', 'wrong')).status).toBe(401);
      expect((await post('/async-key', 'wrong')).status).toBe(401);
      expect(await (await post('/key-ungated', 'right')).json()).toEqual({ key: false, asyncKey: false });
    } finally {
      await fastify.close();
    }
  });
});

/** A key check that counts how often it runs, as gate and as guard. */
class CountingKeyGuard extends GuardingGate {
  checks = 0;

  checkHeaders(request: FastifyRequest): void {
    this.checks += 1;
    if (request.headers['x-key'] !== 'right') throw Object.assign(new Error('wrong key'), { statusCode: 401 });
  }
}

describe('GuardingGate', () => {
  it('checks as a guard only what its gate has not already let through', async () => {
    const fastify = Fastify();
    const gate = new CountingKeyGuard();
    registerRequestGates(fastify, () => gate);
    // Nest builds the guard apart from the gate: another instance of the same class.
    const guard = new CountingKeyGuard();
    const contextOf = (request: FastifyRequest) => ({ switchToHttp: () => ({ getRequest: () => request }) }) as unknown as ExecutionContext;
    const handler = async (request: FastifyRequest) => ({ allowed: guard.canActivate(contextOf(request)) });
    fastify.post('/gated', { config: { gate: CountingKeyGuard } as Record<string, unknown> }, handler);
    fastify.post('/ungated', handler);
    const base = await fastify.listen({ port: 0, host: '127.0.0.1' });
    const post = (path: string, key: string) => fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-key': key }, body: '{}' });
    try {
      expect(await (await post('/gated', 'right')).json()).toEqual({ allowed: true });
      expect({ gate: gate.checks, guard: guard.checks }).toEqual({ gate: 1, guard: 0 });

      expect(await (await post('/ungated', 'right')).json()).toEqual({ allowed: true });
      expect((await post('/ungated', 'wrong')).status).toBe(401);
      expect({ gate: gate.checks, guard: guard.checks }).toEqual({ gate: 1, guard: 2 });
    } finally {
      await fastify.close();
    }
  });
});
