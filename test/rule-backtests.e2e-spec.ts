// Backtests through the whole service: a candidate rule set tried on stored transactions in the background, its result kept in PostgreSQL.
import { randomUUID } from 'node:crypto';
import { analystCall, ANALYST_TOKENS, ANALYSTS } from './support/analyst-api';
import { postValidate, startTestApp, TestApp } from './support/test-app';
import { readUntil } from './support/waiting';

const CANDIDATE = `
rules:
  - id: lower-threshold
    type: amount-at-least
    threshold: "500"
    status: PENDING_EXTERNAL_APPROVAL
    reason: "Amount {amount} {currency} is at or above {threshold}"
  - id: burst
    type: velocity
    maxTransactions: 2
    windowSeconds: 60
    status: REJECTED
    reason: "{count} in {windowSeconds} s"
`;

describe('rule-set backtests', () => {
  let t: TestApp;
  let from: string;
  let to: string;
  const burstAccount = `acc-${randomUUID()}`;

  beforeAll(async () => {
    t = await startTestApp({ env: { ANALYST_TOKENS } });
    from = new Date(Date.now() - 1000).toISOString();
    const send = (amount: string, sourceAccountId = `acc-${randomUUID()}`) =>
      postValidate(t.server, { transactionId: randomUUID(), amount, currency: 'GBP', sourceAccountId, beneficiary: { name: 'Payee', country: 'GB' } });
    for (const amount of ['10', '100', '499.99', '500', '750', '12000']) await send(amount);
    for (let i = 0; i < 3; i += 1) await send('20', burstAccount);
    to = new Date(Date.now() + 1000).toISOString();
  });
  afterAll(() => t.close());

  const start = (body: unknown, token: string = ANALYSTS.alice) => analystCall(t.server, 'POST', '/rules/backtest', { token, body });
  const finished = async (id: string) => {
    const done = await readUntil(() => analystCall(t.server, 'GET', `/rules/backtest/${id}`, { token: ANALYSTS.vic }), (call) => ['DONE', 'FAILED'].includes(call.body.state), 20_000);
    expect(done.body.state).toBe('DONE');
    return done.body;
  };

  it('counts answered against candidate statuses, the rules that fired and the transactions that would change', async () => {
    const started = await start({ ruleSet: CANDIDATE, from, to });
    expect(started).toMatchObject({ status: 202, body: { id: expect.any(String), state: 'QUEUED', candidateVersion: null, requestedBy: 'alice', from, to } });
    const job = await finished(started.body.id);
    expect(job).toMatchObject({ total: 9, processed: 9, error: null, finishedAt: expect.any(String) });
    expect(job.result).toMatchObject({
      transactions: 9,
      skipped: 0,
      changed: 3,
      statuses: {
        APPROVED: { APPROVED: 5, PENDING_EXTERNAL_APPROVAL: 2, REJECTED: 1 },
        PENDING_EXTERNAL_APPROVAL: { APPROVED: 0, PENDING_EXTERNAL_APPROVAL: 1, REJECTED: 0 },
        REJECTED: { APPROVED: 0, PENDING_EXTERNAL_APPROVAL: 0, REJECTED: 0 },
      },
      rulesFired: { burst: 1, 'lower-threshold': 3 },
    });
    expect(job.result.samples).toHaveLength(3);
    expect(job.result.samples[0]).toEqual({
      transactionId: expect.any(String),
      receivedAt: expect.any(String),
      answered: 'APPROVED',
      answeredVersion: 1,
      candidate: 'PENDING_EXTERNAL_APPROVAL',
      candidateReasons: ['Amount 500 GBP is at or above 500'],
    });
    expect(job.result.samples[2]).toMatchObject({ candidate: 'REJECTED', candidateReasons: ['3 in 60 s'] });
  });

  it('tries a stored version: the active one changes nothing', async () => {
    const job = await finished((await start({ version: 1, from, to })).body.id);
    expect(job).toMatchObject({ candidateVersion: 1, result: { transactions: 9, changed: 0, samples: [] } });
  });

  it('takes over a job whose replica stopped reporting, from PostgreSQL', async () => {
    const [row] = await t.db.query<{ id: string }>(
      `INSERT INTO rule_backtests (state, candidate_source, from_at, to_at, requested_by, started_at, heartbeat_at, attempts)
       VALUES ('RUNNING', $1, $2, $3, 'carol', now() - interval '5 minutes', now() - interval '5 minutes', 1) RETURNING id`,
      [CANDIDATE, from, to],
    );
    const job = await finished(row!.id);
    expect(job.result.changed).toBe(3);
  });

  it('refuses what it cannot run, with a problem naming each mistake', async () => {
    await expect(start({ version: 1, ruleSet: CANDIDATE, from, to })).resolves.toMatchObject({ status: 400, body: { errors: [{ field: 'version' }] } });
    await expect(start({ from, to })).resolves.toMatchObject({ status: 400 });
    await expect(start({ version: null, from, to })).resolves.toMatchObject({ status: 400, body: { errors: [{ field: 'version' }] } });
    await expect(start({ ruleSet: null, from, to })).resolves.toMatchObject({ status: 400, body: { errors: [{ field: 'ruleSet', message: 'ruleSet must be YAML text or a JSON object' }] } });
    await expect(start({ version: 1, from: to, to: from })).resolves.toMatchObject({ status: 400, body: { errors: [{ field: 'to', message: 'to must be later than from' }] } });
    // Strict ISO 8601 forms JavaScript cannot read: refused naming the field that holds one.
    for (const unreadable of ['2026-W48', '2026-334', '20261130', '2026-11-30T10:00:00,5Z']) {
      await expect(start({ version: 1, from: unreadable, to })).resolves.toMatchObject({ status: 400, body: { errors: [{ field: 'from' }] } });
    }
    await expect(start({ version: 1, from: 'yesterday', to })).resolves.toMatchObject({ status: 400 });
    await expect(start({ version: 99, from, to })).resolves.toMatchObject({ status: 404 });
    const broken = await start({ ruleSet: 'rules:\n  - id: a\n    type: nope\n    status: APPROVED\n    reason: r\n', from, to });
    expect(broken).toMatchObject({ status: 400, body: { type: 'https://toqio-tm.dev/problems/invalid-rule-set' } });
    // As a JSON object its numbers arrive as doubles: one a double does not keep as written is refused, as POST /rules/versions refuses it.
    const inexact = await analystCall(t.server, 'POST', '/rules/backtest', {
      token: ANALYSTS.alice,
      body: `{"ruleSet":{"rules":[{"id":"a","type":"amount-at-least","threshold":1000.00000000000000001,"status":"REJECTED","reason":"r"}]},"from":"${from}","to":"${to}"}`,
    });
    expect(inexact).toMatchObject({ status: 400, body: { type: 'https://toqio-tm.dev/problems/invalid-rule-set', errors: [{ message: expect.stringContaining('more than 15 significant digits') }] } });
    const json = await start({ ruleSet: { rules: [{ id: 'a', type: 'amount-at-least', threshold: '1', status: 'REJECTED', reason: 'r' }] }, from, to });
    expect(json.status).toBe(202);
    await expect(analystCall(t.server, 'GET', `/rules/backtest/${randomUUID()}`, { token: ANALYSTS.vic })).resolves.toMatchObject({ status: 404 });
    await expect(analystCall(t.server, 'GET', '/rules/backtest/not-a-uuid', { token: ANALYSTS.vic })).resolves.toMatchObject({ status: 404 });
    await expect(start({ version: 1, from, to }, ANALYSTS.vic)).resolves.toMatchObject({ status: 403 });
  });
});
