// Roles over real HTTP: every analyst route against every role, and the rules that depend on a role.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { ANALYST_ROLES, AnalystRole, hasRole } from '../src/domain/analyst-role';
import { analystCall, ANALYST_TOKENS, ANALYSTS, decide, ROLES } from './support/analyst-api';
import { postValidate, startTestApp, TestApp } from './support/test-app';

/**
 * Every route of the analyst API with the least role it needs, and a request that the route
 * answers without a 401 or 403 when the role suffices (unknown ids: nothing changes). A route
 * the app serves under the analyst API but missing here fails the first test: add its row.
 */
const MATRIX: readonly { route: string; role: AnalystRole; path: string; body?: unknown }[] = [
  { route: 'GET /me', role: 'viewer', path: '/me' },
  { route: 'GET /transactions', role: 'viewer', path: '/transactions?limit=1' },
  { route: 'GET /transactions/{transactionId}', role: 'viewer', path: `/transactions/unknown-${randomUUID()}` },
  { route: 'POST /transactions/decisions', role: 'analyst', path: '/transactions/decisions', body: { items: [{ transactionId: `unknown-${randomUUID()}`, status: 'REJECTED', reason: 'matrix' }] } },
  { route: 'POST /transactions/{transactionId}/decision', role: 'analyst', path: `/transactions/unknown-${randomUUID()}/decision`, body: { status: 'REJECTED', reason: 'matrix' } },
  { route: 'POST /transactions/{transactionId}/claim', role: 'analyst', path: `/transactions/unknown-${randomUUID()}/claim` },
  { route: 'DELETE /transactions/{transactionId}/claim', role: 'analyst', path: `/transactions/unknown-${randomUUID()}/claim` },
  { route: 'POST /transactions/{transactionId}/notes', role: 'analyst', path: `/transactions/unknown-${randomUUID()}/notes`, body: { text: 'matrix' } },
  { route: 'POST /transactions/{transactionId}/attachments', role: 'analyst', path: `/transactions/unknown-${randomUUID()}/attachments`, body: {} },
  { route: 'GET /transactions/{transactionId}/attachments/{attachmentId}', role: 'viewer', path: `/transactions/unknown-${randomUUID()}/attachments/${randomUUID()}` },
  { route: 'GET /transactions/{transactionId}/evidence', role: 'viewer', path: `/transactions/unknown-${randomUUID()}/evidence` },
  { route: 'POST /notifications/{notificationId}/redeliver', role: 'admin', path: `/notifications/${randomUUID()}/redeliver` },
  { route: 'GET /monitoring/shadow-report', role: 'viewer', path: '/monitoring/shadow-report' },
  { route: 'GET /events', role: 'viewer', path: '/events?state=dead' },
  { route: 'POST /events/{eventId}/redeliver', role: 'admin', path: `/events/${randomUUID()}/redeliver` },
  { route: 'POST /sanctions/allowed', role: 'analyst', path: '/sanctions/allowed', body: { customerId: 'c-1', entryId: 'OFAC-SDN:1', name: 'matrix', reason: 'matrix' } },
  { route: 'GET /lists', role: 'viewer', path: '/lists' },
  { route: 'GET /lists/{name}', role: 'viewer', path: '/lists/blocked-beneficiaries' },
  { route: 'POST /lists/{name}/entries', role: 'admin', path: '/lists/nowhere/entries', body: { values: ['x'], reason: 'matrix' } },
  { route: 'DELETE /lists/{name}/entries/{value}', role: 'admin', path: '/lists/nowhere/entries/x', body: { reason: 'matrix' } },
  { route: 'GET /rules', role: 'viewer', path: '/rules' },
  { route: 'GET /rules/versions', role: 'viewer', path: '/rules/versions' },
  { route: 'GET /rules/versions/{version}', role: 'viewer', path: '/rules/versions/999' },
  { route: 'POST /rules/versions', role: 'analyst', path: '/rules/versions', body: { rules: [] } },
  { route: 'POST /rules/versions/{version}/activate', role: 'admin', path: '/rules/versions/999/activate' },
  { route: 'POST /rules/backtest', role: 'analyst', path: '/rules/backtest', body: { version: 999, from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' } },
  { route: 'GET /rules/backtest/{id}', role: 'viewer', path: `/rules/backtest/${randomUUID()}` },
  { route: 'GET /payment-events', role: 'viewer', path: '/payment-events?outcome=UNPARSED&limit=1' },
  { route: 'GET /reconciliation', role: 'viewer', path: '/reconciliation?from=2026-01-01&to=2026-01-02' },
  { route: 'GET /reconciliation/daily', role: 'viewer', path: '/reconciliation/daily' },
  { route: 'GET /audit/checkpoints', role: 'viewer', path: '/audit/checkpoints' },
];

const ANALYST_API = /^(GET|POST|PUT|PATCH|DELETE) \/(transactions|notifications|monitoring|me|events|payment-events|sanctions|lists|rules|reconciliation|audit)(\/|$)/;

interface OpenApiDocument {
  paths: Record<string, Record<string, unknown>>;
}

describe('analyst roles', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { ANALYST_TOKENS, FOUR_EYES_THRESHOLD: '50000', FOUR_EYES_SECOND_ROLE: 'supervisor' } });
  });
  afterAll(() => t.close());

  async function held(amount: number): Promise<string> {
    const transactionId = `roles-${randomUUID()}`;
    expect((await postValidate(t.server, { transactionId, amount, currency: 'GBP' })).body.status).toBe('PENDING_EXTERNAL_APPROVAL');
    return transactionId;
  }

  it('has a row for every analyst route the app serves', async () => {
    const document = (await request(t.server).get('/docs-json')).body as OpenApiDocument;
    const served = Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
    expect(MATRIX.map((row) => row.route).sort()).toEqual(served.filter((route) => ANALYST_API.test(route)).sort());
  });

  describe.each(MATRIX)('$route', ({ role: required, path, route, body }) => {
    const method = route.split(' ')[0]!;

    it.each(ANALYST_ROLES.map((role) => [role]))(`as %s: ${required} or above may`, async (role) => {
      const name = (Object.keys(ROLES) as (keyof typeof ROLES)[]).find((analyst) => ROLES[analyst] === role)!;
      const call = await analystCall(t.server, method, path, { token: ANALYSTS[name], body });
      if (hasRole(role, required)) {
        expect([401, 403]).not.toContain(call.status);
        expect(call.status).toBeLessThan(500);
      } else {
        expect(call).toMatchObject({ status: 403, body: { status: 403, type: 'https://toqio-tm.dev/problems/forbidden' } });
        expect(call.contentType).toMatch(/^application\/problem\+json/);
        expect(call.body.detail).toBe(`This needs the ${required} role; ${name} is ${role === 'admin' ? 'an' : 'a'} ${role}`);
      }
    });

    it('without a credential: 401', async () => {
      const call = await analystCall(t.server, method, path, { body });
      expect(call).toMatchObject({ status: 401, body: { status: 401 } });
      expect(call.headers.get('www-authenticate')).toBe('Bearer realm="analysts"');
    });
  });

  it('tells each caller who they are', async () => {
    for (const [name, token] of Object.entries(ANALYSTS)) {
      const call = await analystCall(t.server, 'GET', '/me', { token });
      expect(call).toMatchObject({ status: 200, body: { name, role: ROLES[name as keyof typeof ROLES], secondApprovalRole: 'supervisor' } });
    }
  });

  it("a viewer's refused decision records nothing", async () => {
    const transactionId = await held(12_000);
    expect((await decide(t.server, transactionId, 'vic', 'REJECTED')).status).toBe(403);
    const detail = await analystCall(t.server, 'GET', `/transactions/${transactionId}`, { token: ANALYSTS.vic });
    expect(detail.body).toMatchObject({ status: 'PENDING_EXTERNAL_APPROVAL' });
    expect(detail.body.decisions).toHaveLength(1);
  });

  describe('FOUR_EYES_SECOND_ROLE=supervisor', () => {
    it('takes a first approval from an analyst and the second only from a supervisor or above', async () => {
      const transactionId = await held(75_000);
      expect((await decide(t.server, transactionId, 'alice', 'APPROVED')).status).toBe(202);

      const byAnalyst = await decide(t.server, transactionId, 'bob', 'APPROVED');
      expect(byAnalyst).toMatchObject({ status: 403, body: { type: 'https://toqio-tm.dev/problems/forbidden' } });
      expect(byAnalyst.body.detail).toContain('needs the supervisor role; bob is analyst');

      const bySupervisor = await decide(t.server, transactionId, 'sue', 'APPROVED');
      expect(bySupervisor).toMatchObject({ status: 200, body: { status: 'APPROVED' } });
      expect(bySupervisor.body.notifications[0].body.decidedBy).toBe('alice, sue');
    });

    it('lets an analyst reject after a first approval: only approvals are supervised', async () => {
      const transactionId = await held(75_000);
      expect((await decide(t.server, transactionId, 'carol', 'APPROVED')).status).toBe(202);
      expect(await decide(t.server, transactionId, 'bob', 'REJECTED')).toMatchObject({ status: 200, body: { status: 'REJECTED' } });
    });
  });
});
