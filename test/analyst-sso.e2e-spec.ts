// Single sign-on over real HTTP: JWTs from a local fake identity provider, verified against its JWKS, beside ANALYST_TOKENS.
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { FakeIdentityProvider } from './fakes/fake-identity-provider';
import { analystCall, ANALYST_TOKENS, ANALYSTS } from './support/analyst-api';
import { postValidate, startTestApp, TestApp } from './support/test-app';

describe('analyst single sign-on', () => {
  let idp: FakeIdentityProvider;
  let t: TestApp;
  const JWKS_PATH = '/realms/compliance/protocol/openid-connect/certs';

  beforeAll(async () => {
    idp = await new FakeIdentityProvider().start();
    t = await startTestApp({
      env: {
        ANALYST_TOKENS,
        ANALYST_OIDC_ISSUER: idp.issuer,
        ANALYST_OIDC_AUDIENCE: 'toqio-tm',
        ANALYST_OIDC_ROLES_CLAIM: 'realm_access.roles',
        FOUR_EYES_THRESHOLD: '50000',
        // A rotated key is picked up by the next token; production keeps jose's 30 s between refetches.
        ANALYST_OIDC_JWKS_COOLDOWN_SECONDS: '0',
      },
    });
  });
  afterAll(async () => {
    await t.close();
    await idp.stop();
  });

  const me = (token: string) => analystCall(t.server, 'GET', '/me', { token });
  const jwksFetches = () => idp.requests.get(JWKS_PATH) ?? 0;
  const dana = (roles: unknown = ['offline_access', 'supervisor'], extra: Record<string, unknown> = {}) =>
    idp.token({ preferred_username: 'dana', email: 'dana@example.com', realm_access: { roles }, ...extra });

  it("takes the name and the highest known role from the identity provider's token, fetching its keys once", async () => {
    const token = await dana();
    expect(await me(token)).toMatchObject({ status: 200, body: { name: 'dana', role: 'supervisor' } });
    const fetched = jwksFetches();
    expect(fetched).toBeGreaterThanOrEqual(1);

    expect(await me(token)).toMatchObject({ status: 200, body: { name: 'dana', role: 'supervisor' } });
    expect(await me(await dana(['viewer', 'Admin']))).toMatchObject({ status: 200, body: { role: 'admin' } });
    expect(jwksFetches()).toBe(fetched); // cached
  });

  it('names the analyst by preferred_username alone: a token without a usable one is 401, whatever else it carries', async () => {
    expect((await me(await idp.token({ preferred_username: ' erin ', email: 'other@example.com', realm_access: { roles: ['analyst'] } }))).body.name).toBe('erin');
    for (const claims of [{ email: 'erin@example.com' }, { sub: 'u-42' }, { preferred_username: '' }, { preferred_username: 42 }, { preferred_username: 'erin\u0000' }]) {
      const refused = await me(await idp.token({ ...claims, realm_access: { roles: ['analyst'] } }));
      expect(refused).toMatchObject({ status: 401, body: { detail: expect.stringContaining('"preferred_username" claim (ANALYST_OIDC_NAME_CLAIM)') } });
    }
  });

  it('never lets one person give both four-eyes approvals through two tokens that name them differently', async () => {
    const transactionId = `sso-4eyes-${randomUUID()}`;
    expect((await postValidate(t.server, { transactionId, amount: 75_000, currency: 'GBP' })).body.status).toBe('PENDING_EXTERNAL_APPROVAL');
    const approve = (token: string, reason = 'checked') => analystCall(t.server, 'POST', `/transactions/${transactionId}/decision`, { token, body: { status: 'APPROVED', reason } });
    expect(await approve(await idp.token({ sub: 'u-123', preferred_username: 'gina', realm_access: { roles: ['analyst'] } }))).toMatchObject({ status: 202 });
    // The same person, in a token without the profile claims: named by nothing, not by their sub.
    expect(await approve(await idp.token({ sub: 'u-123', realm_access: { roles: ['analyst'] } }))).toMatchObject({ status: 401 });
    const shouting = await idp.token({ sub: 'u-123', preferred_username: 'GINA', realm_access: { roles: ['analyst'] } });
    expect(await approve(shouting, 'checked twice')).toMatchObject({ status: 409 });
    // Her own approval sent again is answered as before, and is still the only one: nothing is final.
    expect(await approve(shouting)).toMatchObject({ status: 202, body: { status: 'PENDING_EXTERNAL_APPROVAL', review: { firstApproval: { by: 'gina' } } } });
  });

  it("refuses a signed-in name that is an ANALYST_TOKENS analyst's, in any case: one could act as the other", async () => {
    for (const name of ['alice', 'Alice']) {
      expect(await me(await idp.token({ preferred_username: name, realm_access: { roles: ['analyst'] } }))).toMatchObject({ status: 403, body: { detail: expect.stringContaining('ANALYST_TOKENS') } });
    }
  });

  it('lets a signed-in analyst claim and decide, recorded under their name', async () => {
    const transactionId = `sso-${randomUUID()}`;
    expect((await postValidate(t.server, { transactionId, amount: 12_000, currency: 'GBP' })).body.status).toBe('PENDING_EXTERNAL_APPROVAL');
    const token = await idp.token({ preferred_username: 'frank', realm_access: { roles: ['analyst'] } });

    expect(await analystCall(t.server, 'POST', `/transactions/${transactionId}/claim`, { token })).toMatchObject({ status: 200, body: { assignee: 'frank' } });
    const decided = await analystCall(t.server, 'POST', `/transactions/${transactionId}/decision`, { token, body: { status: 'REJECTED', reason: 'SSO' } });
    expect(decided).toMatchObject({ status: 200, body: { status: 'REJECTED' } });
    expect(decided.body.decisions.at(-1)).toMatchObject({ decidedBy: 'frank', source: 'ANALYST' });
  });

  it('refuses a token without a role this service knows with 403, and a viewer what viewers may not do', async () => {
    const none = await me(await dana(['offline_access', 'uma_authorization']));
    expect(none).toMatchObject({ status: 403, body: { status: 403, type: 'https://toqio-tm.dev/problems/forbidden' } });
    expect(none.body.detail).toContain('realm_access.roles');
    expect((await me(await idp.token({ preferred_username: 'gil' }))).status).toBe(403);

    const viewer = await dana(['viewer']);
    expect((await me(viewer)).body.role).toBe('viewer');
    expect((await analystCall(t.server, 'POST', `/transactions/x-${randomUUID()}/claim`, { token: viewer })).status).toBe(403);
  });

  it('refuses an expired token, a wrong audience, a wrong issuer, a forged signature and a MAC-signed token with 401', async () => {
    const before = jwksFetches();
    const refusals = [
      [await dana(undefined, {}), 200],
      [await idp.token({ preferred_username: 'dana', realm_access: { roles: ['admin'] } }, { expiresIn: Math.floor(Date.now() / 1000) - 120 }), 401],
      [await idp.token({ preferred_username: 'dana', realm_access: { roles: ['admin'] } }, { audience: 'another-app' }), 401],
      [await idp.token({ preferred_username: 'dana', realm_access: { roles: ['admin'] } }, { issuer: 'https://evil.example/realms/compliance' }), 401],
    ] as const;
    for (const [token, status] of refusals) {
      const call = await me(token);
      expect(call.status).toBe(status);
      if (status === 401) {
        expect(call.contentType).toMatch(/^application\/problem\+json/);
        expect(call.headers.get('www-authenticate')).toBe('Bearer realm="analysts"');
      }
    }
    expect((await me(refusals[1][0])).body.detail).toBe('The token has expired');
    expect((await me(refusals[2][0])).body.detail).toContain('"aud"');
    expect((await me(refusals[3][0])).body.detail).toContain('not issued by the configured identity provider');

    // A key the provider never published, under the key id it does publish.
    const published = JSON.parse(Buffer.from((await dana()).split('.')[0]!, 'base64url').toString()).kid as string;
    const forged = await idp.token({ preferred_username: 'mallory', realm_access: { roles: ['admin'] } }, { key: await FakeIdentityProvider.key(published) });
    expect(await me(forged)).toMatchObject({ status: 401 });
    const unknownKid = await idp.token({ preferred_username: 'mallory', realm_access: { roles: ['admin'] } }, { key: await FakeIdentityProvider.key('never-published') });
    expect(await me(unknownKid)).toMatchObject({ status: 401 });
    const mac = await new SignJWT({ preferred_username: 'mallory', realm_access: { roles: ['admin'] } })
      .setProtectedHeader({ alg: 'HS256', kid: published })
      .setIssuer(idp.issuer)
      .setAudience('toqio-tm')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('a-secret-anyone-could-pick-0123456789'));
    expect(await me(mac)).toMatchObject({ status: 401 });
    expect(jwksFetches() - before).toBeLessThanOrEqual(2); // only the unknown key ids asked the provider again
  });

  it("follows a key rotation: the new key's tokens verify at once, the withdrawn key's no longer", async () => {
    const old = await dana(['analyst']);
    expect((await me(old)).status).toBe(200);
    const before = jwksFetches();

    await idp.rotate();
    const fresh = await dana(['analyst']);
    expect(await me(fresh)).toMatchObject({ status: 200, body: { name: 'dana', role: 'analyst' } });
    expect(jwksFetches()).toBe(before + 1);
    expect(await me(old)).toMatchObject({ status: 401 });

    await idp.rotate('ES256');
    expect(await me(await dana(['analyst']))).toMatchObject({ status: 200, body: { role: 'analyst' } });
  });

  it('answers 503 with Retry-After while the provider cannot serve its keys, and recovers', async () => {
    idp.jwksStatus = 503;
    await idp.rotate(); // a new key id: the cached keys cannot verify it
    const token = await dana(['analyst']);
    const call = await me(token);
    expect(call).toMatchObject({ status: 503, body: { type: 'https://toqio-tm.dev/problems/identity-provider-unavailable' } });
    expect(call.headers.get('retry-after')).toBe('5');

    idp.jwksStatus = 200;
    expect((await me(token)).status).toBe(200);
  });

  it('keeps ANALYST_TOKENS working beside single sign-on, and refuses anything else with 401', async () => {
    expect(await me(ANALYSTS.alice)).toMatchObject({ status: 200, body: { name: 'alice', role: 'analyst' } });
    expect(await me('not-a-token-0123456789')).toMatchObject({ status: 401 });
    expect(await me('aaa.bbb.ccc')).toMatchObject({ status: 401 });
  });
});
