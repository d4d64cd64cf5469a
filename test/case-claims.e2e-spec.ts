// Claims over real HTTP and PostgreSQL: taking, lapsing, releasing, races, the queue's assignee filter, and decisions meeting a claim.
import { randomUUID } from 'node:crypto';
import { analystCall, ANALYST_TOKENS, ANALYSTS, decide } from './support/analyst-api';
import { httpCall } from './support/http';
import { postValidate, startTestApp, TestApp } from './support/test-app';

type Analyst = keyof typeof ANALYSTS;

describe('case claims', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { ANALYST_TOKENS, CLAIM_TTL_MINUTES: '20', FOUR_EYES_THRESHOLD: '50000' } });
  });
  afterAll(() => t.close());

  async function held(amount = 12_000): Promise<string> {
    const transactionId = `claims-${randomUUID()}`;
    expect((await postValidate(t.server, { transactionId, amount, currency: 'GBP' })).body.status).toBe('PENDING_EXTERNAL_APPROVAL');
    return transactionId;
  }
  const path = (transactionId: string) => `/transactions/${encodeURIComponent(transactionId)}/claim`;
  const claim = (transactionId: string, who: Analyst, target = t.server as Parameters<typeof analystCall>[0]) => analystCall(target, 'POST', path(transactionId), { token: ANALYSTS[who] });
  const release = (transactionId: string, who: Analyst) => analystCall(t.server, 'DELETE', path(transactionId), { token: ANALYSTS[who] });
  const detail = (transactionId: string) => analystCall(t.server, 'GET', `/transactions/${encodeURIComponent(transactionId)}`, { token: ANALYSTS.vic });
  const queue = async (query: string, who: Analyst = 'alice') => {
    const call = await analystCall(t.server, 'GET', `/transactions?status=PENDING_EXTERNAL_APPROVAL&limit=200&${query}`, { token: ANALYSTS[who] });
    expect(call.status).toBe(200);
    return call.body.items as { transactionId: string; assignee: string | null; claimedUntil: string | null }[];
  };
  const lapse = (transactionId: string) => t.db.query(`UPDATE review_cases SET claimed_until = now() - interval '1 second' WHERE transaction_id = $1`, [transactionId]);

  it('answers 200 with the assignee and the end of the claim (CLAIM_TTL_MINUTES), shown in the queue and the detail', async () => {
    const transactionId = await held();
    const before = Date.now();
    const call = await claim(transactionId, 'alice');

    expect(call).toMatchObject({ status: 200, body: { assignee: 'alice' } });
    const until = Date.parse(call.body.claimedUntil);
    expect(until).toBeGreaterThanOrEqual(before + 20 * 60_000 - 1_000);
    expect(until).toBeLessThanOrEqual(Date.now() + 20 * 60_000 + 1_000);
    expect((await queue('assignee=alice')).find((item) => item.transactionId === transactionId)).toEqual(expect.objectContaining({ assignee: 'alice', claimedUntil: call.body.claimedUntil }));
    const { body } = await detail(transactionId);
    expect(body).toMatchObject({ assignee: 'alice', claimedUntil: call.body.claimedUntil, claimHistory: [{ action: 'CLAIMED', by: 'alice', assignee: 'alice', claimedUntil: call.body.claimedUntil }] });
  });

  it("refuses a second analyst's claim with 409 problem+json naming the assignee, and renews the assignee's own", async () => {
    const transactionId = await held();
    const first = await claim(transactionId, 'alice');

    const second = await claim(transactionId, 'bob');
    expect(second).toMatchObject({ status: 409, body: { status: 409, type: 'https://toqio-tm.dev/problems/case-claimed' } });
    expect(second.contentType).toMatch(/^application\/problem\+json/);
    expect(second.body.detail).toContain('claimed by alice until');
    expect((await claim(transactionId, 'sue')).status).toBe(409); // a supervisor releases first, so the hand-over is on record

    const renewed = await claim(transactionId, 'alice');
    expect(renewed.status).toBe(200);
    expect(Date.parse(renewed.body.claimedUntil)).toBeGreaterThanOrEqual(Date.parse(first.body.claimedUntil));
  });

  it('lets exactly one of two analysts claiming at once win, every time', async () => {
    const cases = await Promise.all(Array.from({ length: 12 }, () => held()));
    for (const transactionId of cases) {
      const calls = await Promise.all([claim(transactionId, 'alice', t.baseUrl), claim(transactionId, 'bob', t.baseUrl)]);
      expect(calls.map((c) => c.status).sort()).toEqual([200, 409]);
      const winner = calls.find((c) => c.status === 200)!.body.assignee;
      expect((await detail(transactionId)).body).toMatchObject({ assignee: winner, claimHistory: [{ action: 'CLAIMED', by: winner }] });
    }
  });

  it("never lets a decision through a claim taken while it waited: of a claim and another analyst's decision at once, one wins", async () => {
    const cases = await Promise.all(Array.from({ length: 12 }, () => held()));
    for (const transactionId of cases) {
      const [claimed, decided] = await Promise.all([claim(transactionId, 'alice', t.baseUrl), decide(t.baseUrl, transactionId, 'bob', 'REJECTED')]);
      expect([claimed.status, decided.status].sort()).toEqual([200, 409]);
      const { body } = await detail(transactionId);
      expect(body.status).toBe(decided.status === 200 ? 'REJECTED' : 'PENDING_EXTERNAL_APPROVAL');
    }
  });

  it('lets anyone take a claim that lapsed, and the queue counts it as nobody\'s', async () => {
    const transactionId = await held();
    await claim(transactionId, 'alice');
    await lapse(transactionId);

    expect((await queue('assignee=none')).map((item) => item.transactionId)).toContain(transactionId);
    expect((await queue('assignee=alice')).map((item) => item.transactionId)).not.toContain(transactionId);
    expect((await detail(transactionId)).body).toMatchObject({ assignee: null, claimedUntil: null });
    expect(await claim(transactionId, 'bob')).toMatchObject({ status: 200, body: { assignee: 'bob' } });
  });

  it('filters the queue by assignee=me, none and a name', async () => {
    const [mine, bobs, nobodys] = [await held(), await held(), await held()];
    await claim(mine, 'alice');
    await claim(bobs, 'bob');

    const ids = async (query: string, who: Analyst = 'alice') => (await queue(query, who)).map((item) => item.transactionId);
    expect(await ids('assignee=me')).toEqual(expect.arrayContaining([mine]));
    expect(await ids('assignee=me')).not.toEqual(expect.arrayContaining([bobs]));
    expect(await ids('assignee=me', 'bob')).toEqual(expect.arrayContaining([bobs]));
    expect(await ids('assignee=bob')).toEqual(expect.arrayContaining([bobs]));
    expect(await ids('assignee=bob')).not.toEqual(expect.arrayContaining([mine]));
    const none = await ids('assignee=none');
    expect(none).toContain(nobodys);
    expect(none).not.toContain(mine);
    expect(none).not.toContain(bobs);
    for (const bad of ['assignee=', `assignee=${'x'.repeat(129)}`, 'assignee=a&assignee=b', 'assignee=a%00b']) {
      const call = await analystCall(t.server, 'GET', `/transactions?${bad}`, { token: ANALYSTS.alice });
      expect(call).toMatchObject({ status: 400, body: { status: 400 } });
    }
  });

  it("holds another analyst's decision back with 409, lets a supervisor decide, and the decision ends the claim", async () => {
    const transactionId = await held();
    await claim(transactionId, 'alice');

    const refused = await decide(t.server, transactionId, 'bob', 'REJECTED');
    expect(refused).toMatchObject({ status: 409, body: { type: 'https://toqio-tm.dev/problems/case-claimed' } });
    expect((await detail(transactionId)).body.decisions).toHaveLength(1);

    expect(await decide(t.server, transactionId, 'sue', 'REJECTED')).toMatchObject({ status: 200, body: { status: 'REJECTED', assignee: null } });
    expect((await detail(transactionId)).body.claimHistory.map((e: { action: string; by: string }) => `${e.action}:${e.by}`)).toEqual(['CLAIMED:alice', 'DECIDED:sue']);
    expect(await claim(transactionId, 'alice')).toMatchObject({ status: 409, body: { type: 'https://toqio-tm.dev/problems/not-pending' } });

    const evidence = await analystCall(t.server, 'GET', `/transactions/${encodeURIComponent(transactionId)}/evidence`, { token: ANALYSTS.vic });
    expect(evidence.body.transaction.claimHistory).toMatchObject([{ action: 'CLAIMED', by: 'alice' }, { action: 'DECIDED', by: 'sue', assignee: 'alice' }]);
    const html = await httpCall(t.server, 'GET', `/transactions/${encodeURIComponent(transactionId)}/evidence?format=html`, { headers: { authorization: `Bearer ${ANALYSTS.vic}` } });
    expect(html.text).toMatch(/<h2>Claims<\/h2>[\s\S]*<td>DECIDED<\/td><td>sue<\/td><td>alice<\/td>/);
  });

  it('hands a four-eyes case on after its first approval, so that a second analyst can approve', async () => {
    const transactionId = await held(75_000);
    await claim(transactionId, 'alice');
    expect((await decide(t.server, transactionId, 'alice', 'APPROVED')).status).toBe(202);
    expect((await detail(transactionId)).body).toMatchObject({ assignee: null });

    expect((await claim(transactionId, 'bob')).status).toBe(200);
    expect(await decide(t.server, transactionId, 'bob', 'APPROVED')).toMatchObject({ status: 200, body: { status: 'APPROVED' } });
  });

  it("releases one's own claim (204), refuses an analyst releasing another's (403), lets a supervisor", async () => {
    const transactionId = await held();
    await claim(transactionId, 'alice');

    expect(await release(transactionId, 'bob')).toMatchObject({ status: 403, body: { type: 'https://toqio-tm.dev/problems/forbidden' } });
    expect((await release(transactionId, 'sue')).status).toBe(204);
    expect((await claim(transactionId, 'bob')).status).toBe(200);
    expect((await release(transactionId, 'bob')).status).toBe(204);
    expect((await release(transactionId, 'bob')).status).toBe(204); // nothing holds: nothing recorded

    const { body } = await detail(transactionId);
    expect(body.assignee).toBeNull();
    expect(body.claimHistory.map((e: { action: string; by: string; assignee: string }) => `${e.action}:${e.by}:${e.assignee}`)).toEqual([
      'CLAIMED:alice:alice',
      'RELEASED:sue:alice',
      'CLAIMED:bob:bob',
      'RELEASED:bob:bob',
    ]);
  });

  it('refuses a viewer (403), an unknown id (404), and a case never held (409), recording nothing', async () => {
    const transactionId = await held();
    expect(await claim(transactionId, 'vic')).toMatchObject({ status: 403 });
    expect(await claim(`unknown-${randomUUID()}`, 'alice')).toMatchObject({ status: 404 });
    expect(await release(`unknown-${randomUUID()}`, 'alice')).toMatchObject({ status: 404 });
    const approved = `claims-${randomUUID()}`;
    expect((await postValidate(t.server, { transactionId: approved, amount: 10, currency: 'GBP' })).body.status).toBe('APPROVED');
    expect(await claim(approved, 'alice')).toMatchObject({ status: 409, body: { type: 'https://toqio-tm.dev/problems/not-pending' } });
    const events = await t.db.query(`SELECT 1 FROM case_claim_events WHERE transaction_id = ANY($1)`, [[transactionId, approved]]);
    expect(events).toHaveLength(0);
  });

  it('keeps the claim history append-only', async () => {
    const transactionId = await held();
    await claim(transactionId, 'alice');
    await expect(t.db.query(`UPDATE case_claim_events SET actor = 'mallory' WHERE transaction_id = $1`, [transactionId])).rejects.toThrow(/append-only/);
    await expect(t.db.query(`DELETE FROM case_claim_events WHERE transaction_id = $1`, [transactionId])).rejects.toThrow(/append-only/);
  });
});
