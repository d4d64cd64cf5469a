// Managed lists through the whole service, on two replicas of one database: admins change them, validate on the other replica sees it within a second.
import { randomUUID } from 'node:crypto';
import { analystCall, ANALYST_TOKENS, ANALYSTS } from './support/analyst-api';
import { LiveManagedLists } from '../src/adapters/monitoring/rules/live-managed-lists';
import { ListType } from '../src/domain/managed-list';
import { postValidate, startReplicas, TestApp, TestReplicas } from './support/test-app';
import { msUntil } from './support/waiting';

const BLOCKED = '/lists/blocked-beneficiaries';
const BLOCKED_IBAN = 'GB82WEST12345698765432';

describe('managed lists', () => {
  let started: TestReplicas;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    started = await startReplicas(['a', 'b'], () => ({ ANALYST_TOKENS }));
    [a, b] = started.replicas as [TestApp, TestApp];
  });
  afterAll(() => started?.close());

  const validate = (on: TestApp, beneficiary: Record<string, string>, amount = '120.00') =>
    postValidate(on.server, { transactionId: randomUUID(), amount, currency: 'GBP', sourceAccountId: `acc-${randomUUID()}`, beneficiary: { name: 'Payee', country: 'GB', ...beneficiary } });

  /**
   * Milliseconds from now until `on` holds (or no longer holds) `value` on `list` as its validate
   * reads it, polled in process every 5 ms: the figure is the change's journey, not validate round trips.
   */
  const msUntilListed = (on: TestApp, list: string, type: ListType, value: string, listed = true) =>
    msUntil(`${value} ${listed ? 'on' : 'off'} ${list}`, async () => on.app.get(LiveManagedLists, { strict: false }).has(list, type, value) === listed, 5_000, 5);

  it('lists the shipped lists to any role', async () => {
    const listed = await analystCall(a.server, 'GET', '/lists', { token: ANALYSTS.vic });
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual([
      expect.objectContaining({ name: 'blocked-beneficiaries', types: ['iban', 'account-number'], entryCount: 0, changedAt: null }),
      expect.objectContaining({ name: 'trusted-beneficiaries', types: ['iban', 'account-number'] }),
    ]);
  });

  it('blocks an IBAN added on one replica on the other within a second, and unblocks it the same way', async () => {
    await expect(validate(b, { iban: BLOCKED_IBAN })).resolves.toMatchObject({ body: { status: 'APPROVED' } });
    const added = await analystCall(a.server, 'POST', `${BLOCKED}/entries`, { token: ANALYSTS.carol, body: { values: ['gb82 west 1234 5698 7654 32'], reason: 'Mule account, case 2291' } });
    expect(added).toMatchObject({ status: 200, body: { list: 'blocked-beneficiaries', added: [{ type: 'iban', value: BLOCKED_IBAN }], alreadyListed: [] } });
    expect(await msUntilListed(b, 'blocked-beneficiaries', 'iban', BLOCKED_IBAN)).toBeLessThan(1000);
    const rejected = await validate(b, { iban: 'GB82 WEST 1234 5698 7654 32' });
    expect(rejected.body).toEqual(expect.objectContaining({ status: 'REJECTED', reasons: ['Beneficiary account GB****5432 is on the list blocked-beneficiaries'] }));

    const removed = await analystCall(b.server, 'DELETE', `${BLOCKED}/entries/${encodeURIComponent('GB82 WEST 1234 5698 7654 32')}`, { token: ANALYSTS.carol, body: { reason: 'Cleared by review' } });
    expect(removed).toMatchObject({ status: 200, body: { removed: { type: 'iban', value: BLOCKED_IBAN } } });
    expect(await msUntilListed(a, 'blocked-beneficiaries', 'iban', BLOCKED_IBAN, false)).toBeLessThan(1000);
    await expect(validate(a, { iban: BLOCKED_IBAN })).resolves.toMatchObject({ body: { status: 'APPROVED' } });
  });

  it('blocks a sort code and account number (a value with a slash in the path removes it)', async () => {
    await analystCall(a.server, 'POST', `${BLOCKED}/entries`, { token: ANALYSTS.carol, body: { values: ['40-47-84 70872490'], reason: 'Fraud report' } });
    expect(await msUntilListed(b, 'blocked-beneficiaries', 'account-number', '404784/70872490')).toBeLessThan(1000);
    await expect(validate(b, { sortCode: '404784', accountNumber: '70872490' })).resolves.toMatchObject({ body: { status: 'REJECTED' } });
    const removed = await analystCall(a.server, 'DELETE', `${BLOCKED}/entries/${encodeURIComponent('404784/70872490')}`, { token: ANALYSTS.carol, body: { reason: 'Wrong account' } });
    expect(removed.status).toBe(200);
  });

  it('lifts the amount hold for a trusted beneficiary', async () => {
    const iban = 'DE89370400440532013000';
    await expect(validate(a, { iban }, '25000')).resolves.toMatchObject({ body: { status: 'PENDING_EXTERNAL_APPROVAL' } });
    await analystCall(a.server, 'POST', '/lists/trusted-beneficiaries/entries', { token: ANALYSTS.carol, body: { values: [iban], reason: 'Payroll provider' } });
    expect(await msUntilListed(b, 'trusted-beneficiaries', 'iban', iban)).toBeLessThan(1000);
    await expect(validate(b, { iban }, '25000')).resolves.toMatchObject({ body: { status: 'APPROVED' } });
  });

  it('follows a change that was never announced (the version poll)', async () => {
    await a.db.query(`INSERT INTO managed_list_entries (list_name, type, value, reason, added_by) VALUES ('blocked-beneficiaries', 'iban', 'FR1420041010050500013M02606', 'by hand', 'dba')`);
    await a.db.query(`UPDATE managed_list_state SET version = version + 1`);
    expect(await msUntilListed(b, 'blocked-beneficiaries', 'iban', 'FR1420041010050500013M02606')).toBeLessThan(1000);
    await expect(validate(b, { iban: 'FR14 2004 1010 0505 0001 3M02 606' })).resolves.toMatchObject({ body: { status: 'REJECTED' } });
  });

  it('shows each entry and each change with who, when and why; the change log cannot be rewritten', async () => {
    const detail = await analystCall(a.server, 'GET', `${BLOCKED}?limit=10`, { token: ANALYSTS.vic });
    expect(detail.status).toBe(200);
    expect(detail.body.entries).toContainEqual({ type: 'iban', value: 'FR1420041010050500013M02606', reason: 'by hand', addedBy: 'dba', addedAt: expect.any(String) });
    expect(detail.body.changes.map((c: Record<string, string>) => [c.action, c.value, c.changedBy, c.reason])).toEqual([
      ['REMOVED', '404784/70872490', 'carol', 'Wrong account'],
      ['ADDED', '404784/70872490', 'carol', 'Fraud report'],
      ['REMOVED', BLOCKED_IBAN, 'carol', 'Cleared by review'],
      ['ADDED', BLOCKED_IBAN, 'carol', 'Mule account, case 2291'],
    ]);
    await expect(a.db.query(`UPDATE managed_list_changes SET reason = 'x'`)).rejects.toThrow(/append-only/);
    await expect(a.db.query(`DELETE FROM managed_list_changes`)).rejects.toThrow(/append-only/);
  });

  it('takes 10,000 values in one call, and refuses 10,001', async () => {
    const values = Array.from({ length: 10_000 }, (_, i) => `${String(100000 + (i % 900000)).padStart(6, '0')} ${String(10000000 + i)}`);
    const added = await analystCall(a.server, 'POST', `${BLOCKED}/entries`, { token: ANALYSTS.carol, body: { values, reason: 'Bulk import' } });
    expect(added.status).toBe(200);
    expect(added.body.added).toHaveLength(10_000);
    const tooMany = await analystCall(a.server, 'POST', `${BLOCKED}/entries`, { token: ANALYSTS.carol, body: { values: [...values, '999999 99999999'], reason: 'Bulk import' } });
    expect(tooMany).toMatchObject({ status: 400, contentType: expect.stringContaining('application/problem+json') });
    expect(JSON.stringify(tooMany.body)).toContain('values must hold at most 10000 values');
  });

  it('refuses bad changes with a problem naming each, and callers without the admin role', async () => {
    const bad = await analystCall(a.server, 'POST', `${BLOCKED}/entries`, { token: ANALYSTS.carol, body: { values: ['GB82WEST12345698765431', 'hello'], reason: 'r' } });
    expect(bad).toMatchObject({ status: 400, contentType: expect.stringContaining('application/problem+json') });
    expect(bad.body.errors).toEqual([
      { field: 'values[0]', message: '"GB82WEST12345698765431" is none of iban, account-number' },
      { field: 'values[1]', message: '"hello" is none of iban, account-number' },
    ]);
    const noReason = await analystCall(a.server, 'DELETE', `${BLOCKED}/entries/x`, { token: ANALYSTS.carol, body: {} });
    expect(noReason.status).toBe(400);
    await expect(analystCall(a.server, 'DELETE', `${BLOCKED}/entries/${BLOCKED_IBAN}`, { token: ANALYSTS.carol, body: { reason: 'r' } })).resolves.toMatchObject({ status: 404 });
    await expect(analystCall(a.server, 'GET', '/lists/nowhere', { token: ANALYSTS.vic })).resolves.toMatchObject({ status: 404 });
    await expect(analystCall(a.server, 'GET', '/lists/Bad%00Name', { token: ANALYSTS.vic })).resolves.toMatchObject({ status: 400 });
    const body = { values: [BLOCKED_IBAN], reason: 'r' };
    await expect(analystCall(a.server, 'POST', `${BLOCKED}/entries`, { token: ANALYSTS.sue, body })).resolves.toMatchObject({ status: 403 });
    await expect(analystCall(a.server, 'POST', `${BLOCKED}/entries`, { body })).resolves.toMatchObject({ status: 401 });
    await expect(analystCall(a.server, 'GET', '/lists')).resolves.toMatchObject({ status: 401 });
  });
});
