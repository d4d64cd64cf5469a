// Versioned rule sets through the whole service, on two replicas of one database: stored, checked, activated on the other replica within a second, and recorded with every verdict.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LiveRuleSet } from '../src/adapters/monitoring/rules/live-rule-set';
import { analystCall, ANALYST_TOKENS, ANALYSTS } from './support/analyst-api';
import { httpCall } from './support/http';
import { postValidate, startReplicas, TestApp, TestReplicas } from './support/test-app';
import { msUntil } from './support/waiting';

const SHIPPED = readFileSync(join(__dirname, '../config/rules.yaml'), 'utf8');
const STRICTER = `
rules:
  - id: large-amount
    type: amount-at-least
    threshold: "500"
    status: PENDING_EXTERNAL_APPROVAL
    reason: "Amount {amount} {currency} is at or above {threshold}"
  - id: burst
    type: velocity
    maxTransactions: 2
    windowSeconds: 300
    status: PENDING_EXTERNAL_APPROVAL
    reason: "{count} in {windowSeconds} s"
`;

describe('versioned rule sets', () => {
  let started: TestReplicas;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    started = await startReplicas(['a', 'b'], () => ({ ANALYST_TOKENS }));
    [a, b] = started.replicas as [TestApp, TestApp];
  });
  afterAll(() => started?.close());

  const validate = (on: TestApp, amount: string, sourceAccountId = `acc-${randomUUID()}`) => {
    const transactionId = randomUUID();
    return postValidate(on.server, { transactionId, amount, currency: 'GBP', sourceAccountId, beneficiary: { name: 'Payee', country: 'GB' } }).then((call) => ({ ...call, transactionId }));
  };
  const versionOf = async (transactionId: string) => (await a.db.query<{ rule_set_version: number | null }>('SELECT rule_set_version FROM transactions WHERE id = $1', [transactionId]))[0]?.rule_set_version;
  const storeYaml = (text: string, token: string = ANALYSTS.alice) =>
    httpCall(a.server, 'POST', '/rules/versions', { headers: { authorization: `Bearer ${token}`, 'content-type': 'application/yaml' }, body: text });

  it('stores the shipped file as version 1 on an empty database, active, and records it with each verdict', async () => {
    const active = await analystCall(a.server, 'GET', '/rules', { token: ANALYSTS.vic });
    expect(active.status).toBe(200);
    expect(active.body).toMatchObject({ version: 1, active: true, format: 'yaml', createdBy: 'RULES_FILE', activatedBy: 'RULES_FILE', source: SHIPPED });
    expect(active.body.rules.map((rule: { id: string }) => rule.id)).toContain('large-amount');
    const answered = await validate(b, '50');
    expect(answered.body.status).toBe('APPROVED');
    await expect(versionOf(answered.transactionId)).resolves.toBe(1);
    const detail = await analystCall(a.server, 'GET', `/transactions/${answered.transactionId}`, { token: ANALYSTS.vic });
    expect(detail.body.screening).toMatchObject({ provider: 'rules', ruleSetVersion: 1 });
  });

  it('refuses a broken rule set with a problem naming every mistake, and stores nothing', async () => {
    const broken = await storeYaml('rules:\n  - id: a\n    type: velocity\n    maxTransactions: -1\n    windowSeconds: 0\n    status: BLOCK\n    reason: r\n');
    expect(broken).toMatchObject({ status: 400, contentType: expect.stringContaining('application/problem+json'), body: { type: 'https://toqio-tm.dev/problems/invalid-rule-set' } });
    expect(broken.body.errors).toEqual([
      { field: 'rules[0].status', message: 'rules[0].status: must be APPROVED, REJECTED or PENDING_EXTERNAL_APPROVAL' },
      { field: 'rules[0].maxTransactions', message: 'rules[0].maxTransactions: must be a whole number ≥ 0' },
      { field: 'rules[0].windowSeconds', message: 'rules[0].windowSeconds: must be a whole number of seconds between 1 and 2678400' },
    ]);
    const json = await analystCall(a.server, 'POST', '/rules/versions', { token: ANALYSTS.alice, body: { rules: [] } });
    expect(json).toMatchObject({ status: 400, body: { errors: [{ message: 'rules: must be a non-empty list' }] } });
    const bodiless = await analystCall(a.server, 'POST', '/rules/versions', { token: ANALYSTS.alice });
    expect(bodiless).toMatchObject({ status: 400, body: { type: 'https://toqio-tm.dev/problems/invalid-rule-set', errors: [{ field: 'ruleSet' }] } });
    const versions = await analystCall(a.server, 'GET', '/rules/versions', { token: ANALYSTS.vic });
    expect(versions.body.map((v: { version: number }) => v.version)).toEqual([1]);
  });

  /**
   * Milliseconds from now until `on` screens with rule-set `version` (what its validate uses next),
   * polled in process every 5 ms, so that the figure is the activation's journey and not validate round trips.
   */
  const msUntilActive = (on: TestApp, version: number) =>
    msUntil(`rule set ${version} active`, async () => on.app.get(LiveRuleSet, { strict: false }).current().version === version, 5_000, 5);

  it('activates a stored version on the other replica within a second; the verdict names it; an earlier one rolls back', async () => {
    const stored = await storeYaml(STRICTER);
    expect(stored).toMatchObject({ status: 201, body: { version: 2, active: false, createdBy: 'alice', activatedBy: null } });
    await expect(validate(b, '600')).resolves.toMatchObject({ body: { status: 'APPROVED' } });

    expect((await analystCall(a.server, 'POST', '/rules/versions/2/activate', { token: ANALYSTS.alice })).status).toBe(403);
    const activated = await analystCall(a.server, 'POST', '/rules/versions/2/activate', { token: ANALYSTS.carol });
    expect(activated).toMatchObject({ status: 200, body: { version: 2, active: true, activatedBy: 'carol' } });
    expect(await msUntilActive(b, 2)).toBeLessThan(1000);
    const held = await validate(b, '600');
    expect(held.body.status).toBe('PENDING_EXTERNAL_APPROVAL');
    await expect(versionOf(held.transactionId)).resolves.toBe(2);

    // The new version counts a 300 s window the old one never asked for: from now on claims count it.
    const account = `acc-${randomUUID()}`;
    const answers = [];
    for (let i = 0; i < 3; i += 1) answers.push((await validate(b, '10', account)).body.status);
    expect(answers).toEqual(['APPROVED', 'APPROVED', 'PENDING_EXTERNAL_APPROVAL']);

    await analystCall(b.server, 'POST', '/rules/versions/1/activate', { token: ANALYSTS.carol });
    expect(await msUntilActive(a, 1)).toBeLessThan(1000);
    const approved = await validate(a, '600');
    expect(approved.body.status).toBe('APPROVED');
    await expect(versionOf(approved.transactionId)).resolves.toBe(1);
  });

  it('lists versions and shows each; refuses unknown versions and other media types', async () => {
    const versions = await analystCall(a.server, 'GET', '/rules/versions', { token: ANALYSTS.vic });
    expect(versions.body).toEqual([expect.objectContaining({ version: 2, active: false, activatedBy: 'carol' }), expect.objectContaining({ version: 1, active: true })]);
    await expect(analystCall(a.server, 'GET', '/rules/versions/2', { token: ANALYSTS.vic })).resolves.toMatchObject({ status: 200, body: { version: 2, source: STRICTER } });
    await expect(analystCall(a.server, 'GET', '/rules/versions/99', { token: ANALYSTS.vic })).resolves.toMatchObject({ status: 404 });
    await expect(analystCall(a.server, 'GET', '/rules/versions/x', { token: ANALYSTS.vic })).resolves.toMatchObject({ status: 400 });
    await expect(analystCall(a.server, 'POST', '/rules/versions/99/activate', { token: ANALYSTS.carol })).resolves.toMatchObject({ status: 404 });
    const text = await httpCall(a.server, 'POST', '/rules/versions', { headers: { authorization: `Bearer ${ANALYSTS.alice}`, 'content-type': 'text/plain' }, body: STRICTER });
    expect(text.status).toBe(415);
    const yamlElsewhere = await httpCall(a.server, 'POST', '/lists/blocked-beneficiaries/entries', { headers: { authorization: `Bearer ${ANALYSTS.carol}`, 'content-type': 'application/yaml' }, body: 'values: [x]' });
    expect(yamlElsewhere.status).toBe(415);
    await expect(storeYaml(STRICTER, ANALYSTS.vic)).resolves.toMatchObject({ status: 403 });
  });
});
