// The OpenAPI document describes what the app really serves.
import request from 'supertest';
import { EXAMPLE_PLATFORMS_FILE, EXAMPLE_SECRET } from './support/platform-events';
import { startTestApp, TestApp } from './support/test-app';

interface OpenApiDocument {
  paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, { content?: Record<string, unknown> }> }>>;
  components: { schemas: Record<string, { properties?: Record<string, { enum?: string[] }>; required?: string[] }>; securitySchemes: Record<string, { name: string }> };
}

describe('OpenAPI', () => {
  let t: TestApp;
  let document: OpenApiDocument;

  beforeAll(async () => {
    // The declared platforms' route is documented whenever it is served.
    t = await startTestApp({ env: { TOQIO_API_KEY_HEADER: 'x-toqio-key', PAYMENT_PLATFORMS_FILE: EXAMPLE_PLATFORMS_FILE, EXAMPLE_PAY_WEBHOOK_SECRET: EXAMPLE_SECRET } });
    document = (await request(t.server).get('/docs-json')).body as OpenApiDocument;
  });
  afterAll(() => t.close());

  it('serves the UI at /docs', async () => {
    const response = await request(t.server).get('/docs');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/html/);
  });

  it('lists every route the app serves, and nothing else', () => {
    const served = servedRoutes(t.app.getHttpAdapter().getInstance().printRoutes({ commonPrefix: false }))
      .filter((route) => !route.includes(' /docs'))
      // The review console (GET /console and its files) is a user interface built on the analyst
      // API, not part of it: like the /docs UI, it is served but deliberately left undocumented.
      .filter((route) => !/^GET \/console(\/|$)/.test(route))
      .map((route) => route.replace(/:(\w+)/g, '{$1}'));
    const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(served).toContain('POST /transaction/validate');
    expect(documented.sort()).toEqual(served.sort());
  });

  it('leaves the review console out of the document, while serving it', async () => {
    expect(Object.keys(document.paths).filter((path) => path.startsWith('/console'))).toEqual([]);
    expect((await request(t.server).get('/console')).status).toBe(200);
  });

  it('documents the analyst API with its bearer scheme, its 202 and 409 answers, and 403 on every route', () => {
    const decision = document.paths['/transactions/{transactionId}/decision']!.post!;
    expect(decision.security).toEqual([{ 'analyst-bearer': [] }]);
    expect(Object.keys(decision.responses).sort()).toEqual(['200', '202', '400', '401', '403', '404', '409', '413', '415', '429', '503']);
    for (const path of ['/transactions', '/transactions/{transactionId}', '/me', '/monitoring/shadow-report']) {
      expect(document.paths[path]!.get!.responses['403']!.content).toHaveProperty(['application/problem+json']);
    }
    expect(document.paths['/transactions']!.get!.security).toEqual([{ 'analyst-bearer': [] }]);
    expect(document.paths['/notifications/{notificationId}/redeliver']!.post!.security).toEqual([{ 'analyst-bearer': [] }]);
    expect(document.paths['/events']!.get!.security).toEqual([{ 'analyst-bearer': [] }]);
    expect(Object.keys(document.paths['/events/{eventId}/redeliver']!.post!.responses)).toEqual(expect.arrayContaining(['202', '404', '409']));
  });

  it('documents 401, 403, 429 and 503 on every operation of the analyst API', () => {
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (!operation.security?.some((scheme) => Object.keys(scheme as object).includes('analyst-bearer'))) continue;
        const documented = ['401', '403', '429', '503'].filter((status) => operation.responses[status] !== undefined);
        expect([`${method} ${path}`, documented]).toEqual([`${method} ${path}`, ['401', '403', '429', '503']]);
      }
    }
  });

  it('documents validate: its key, its three statuses and its problem+json errors', () => {
    const validate = document.paths['/transaction/validate']!.post!;
    expect(validate.security).toEqual([{ 'toqio-api-key': [] }]);
    expect(document.components.securitySchemes['toqio-api-key']!.name).toBe('x-toqio-key');
    expect(document.components.schemas.ValidateTransactionResponseDto!.properties!.status!.enum).toEqual(['APPROVED', 'REJECTED', 'PENDING_EXTERNAL_APPROVAL']);
    for (const status of ['400', '401', '409', '413', '415', '503']) {
      expect(validate.responses[status]!.content).toHaveProperty(['application/problem+json']);
    }
    // Toqio is never rate limited.
    expect(validate.responses).not.toHaveProperty('429');
    // `id` is accepted in place of transactionId, so neither is required by the schema alone.
    const request = document.components.schemas.ValidateTransactionRequest!;
    expect(request.required).toEqual(['amount', 'currency']);
    expect(Object.keys(request.properties!)).toEqual(expect.arrayContaining(['transactionId', 'id']));
  });

  it('gives every operation but the operators\' probes an auth scheme, and every error an example problem', () => {
    const operators = ['/health/live', '/health/ready', '/metrics'];
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (!operators.includes(path)) expect([`${method} ${path}`, operation.security?.length]).toEqual([`${method} ${path}`, 1]);
        for (const [status, response] of Object.entries(operation.responses)) {
          if (Number(status) < 400 || operators.includes(path)) continue;
          const problem = response.content?.['application/problem+json'] as { example?: { status?: number } } | undefined;
          expect([`${method} ${path} ${status}`, problem?.example?.status]).toEqual([`${method} ${path} ${status}`, Number(status)]);
        }
      }
    }
  });

  it('documents the limits every analyst and webhook route inherits', () => {
    for (const [path, operations] of Object.entries(document.paths)) {
      if (!/^\/(transactions|notifications|webhooks)\b/.test(path)) continue;
      for (const [method, operation] of Object.entries(operations)) {
        const expected = method === 'post' ? ['413', '415', '429', '503'] : ['429', '503'];
        for (const status of expected) expect([`${method} ${path}`, status, operation.responses[status] !== undefined]).toEqual([`${method} ${path}`, status, true]);
      }
    }
    const callback = document.paths['/webhooks/monitoring/{provider}']!.post! as { security?: unknown[]; requestBody?: unknown };
    expect(callback.security).toEqual([{ 'standard-webhooks': [] }]);
    expect(callback.requestBody).toBeDefined();
  });

  it('shows an example for every property of every schema', () => {
    const missing = Object.entries(document.components.schemas).flatMap(([schema, { properties }]) =>
      Object.entries(properties ?? {})
        .filter(([, property]) => !('example' in property) && !('$ref' in property) && !('allOf' in property) && !((property as { items?: { $ref?: string } }).items?.$ref))
        .map(([name]) => `${schema}.${name}`),
    );
    expect(missing).toEqual([]);
  });
});

/** Flattens Fastify's route tree ("├── /docs (GET, HEAD)" with nested children) into "METHOD /path". */
function servedRoutes(tree: string): string[] {
  const stack: string[] = [];
  const routes = new Set<string>();
  for (const line of tree.split('\n')) {
    const match = /^([│ ]*)[├└]── (.+?)(?: \(([^)]*)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    stack.push(match[2]!);
    for (const method of (match[3] ?? '').split(', ').filter((m) => m && m !== 'HEAD' && m !== 'OPTIONS')) {
      routes.add(`${method} ${stack.join('').replace(/\/+/g, '/')}`);
    }
  }
  return [...routes];
}
