// Sanctions screening through the whole service: a loaded list holds a payment to a listed name; an analyst's allowance stops it recurring.
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { replaceSanctionsList } from '../src/adapters/persistence/sanctions-list.loader';
import { SANCTIONS_FORMATS } from '../src/adapters/sanctions/formats/sanctions-formats';
import { analystCall, ANALYST_TOKENS, ANALYSTS } from './support/analyst-api';
import { listDirectory, OFAC_ALT_CSV, OFAC_SDN_CSV, write } from './sanctions/list-files';
import { postValidate, startTestApp, TestApp } from './support/test-app';
import { eventually } from './support/waiting';

describe('sanctions name screening', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { ANALYST_TOKENS } });
  });
  afterAll(async () => {
    await t?.close();
  });

  const validate = (name: string, customerId = 'cus-1', extra: Record<string, string> = {}) =>
    postValidate(t.server, { transactionId: randomUUID(), amount: '120.00', currency: 'GBP', customerId, sourceAccountId: `acc-${randomUUID()}`, beneficiary: { name, country: 'GB', ...extra } });

  it('approves any name while no list is loaded', async () => {
    await expect(validate('Saddam Hussein')).resolves.toMatchObject({ status: 200, body: { status: 'APPROVED', reasons: [] } });
  });

  it('holds a payment to a listed name (through an alias, misspelt) once a list is loaded, naming list, entry, alias and score', async () => {
    const dir = listDirectory();
    const sdn = write(dir, 'sdn.csv', OFAC_SDN_CSV);
    write(dir, 'alt.csv', OFAC_ALT_CSV);
    const client = new Client({ connectionString: t.db.url });
    await client.connect();
    try {
      await replaceSanctionsList(client, SANCTIONS_FORMATS['ofac-csv'].read(sdn, {}), { format: 'ofac-csv', files: [sdn] });
    } finally {
      await client.end();
    }
    await eventually('the load reaches the service', async () => (await validate('Saddam Hussein Al Tikriti')).body.status === 'PENDING_EXTERNAL_APPROVAL', 10_000);
    const held = await validate('Sadam Husein al-Tikriti', 'cus-1', { dateOfBirth: '1937-04-28' });
    expect(held.body).toMatchObject({
      status: 'PENDING_EXTERNAL_APPROVAL',
      reasons: [expect.stringMatching(/^Beneficiary name "Sadam Husein al-Tikriti" matches OFAC-SDN entry OFAC-SDN:2674 \(HUSSEIN, Saddam\) as "AL-TIKRITI, Saddam Hussein", score 0\.9\d\d \(date of birth agrees, country differs\)$/)],
    });
    await expect(validate('Ada Lovelace')).resolves.toMatchObject({ body: { status: 'APPROVED' } });
  });

  it('lets an analyst allow the hit for one customer and name: it stops for them, not for others', async () => {
    const allowance = { customerId: 'cus-1', entryId: 'OFAC-SDN:2674', name: 'Saddam Hussein Al Tikriti', reason: 'Our customer\'s landlord, born 1979: not the listed person' };
    const created = await analystCall(t.server, 'POST', '/sanctions/allowed', { token: ANALYSTS.alice, body: allowance });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...allowance, allowedBy: 'alice', allowedAt: expect.any(String), id: expect.any(String) });
    await eventually('the allowance reaches the service', async () => (await validate('SADDAM HUSSEIN AL-TIKRITI', 'cus-1')).body.status === 'APPROVED', 10_000);
    await expect(validate('Saddam Hussein Al Tikriti', 'cus-2')).resolves.toMatchObject({ body: { status: 'PENDING_EXTERNAL_APPROVAL' } });
    const renewed = await analystCall(t.server, 'POST', '/sanctions/allowed', { token: ANALYSTS.bob, body: { ...allowance, reason: 'checked again' } });
    expect(renewed).toMatchObject({ status: 200, body: { allowedBy: 'bob', reason: 'checked again' } });
  });

  it('refuses allowances it cannot act on with a problem, and callers without the analyst role', async () => {
    const body = { customerId: 'cus-1', entryId: 'OFAC-SDN:1', name: 'x', reason: 'r' };
    const unknown = await analystCall(t.server, 'POST', '/sanctions/allowed', { token: ANALYSTS.alice, body });
    expect(unknown).toMatchObject({ status: 400, contentType: expect.stringContaining('application/problem+json') });
    expect(JSON.stringify(unknown.body)).toContain('No loaded OFAC-SDN list has an entry 1');
    const bad = await analystCall(t.server, 'POST', '/sanctions/allowed', { token: ANALYSTS.alice, body: { ...body, entryId: 'INTERPOL:1', reason: ' ' } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('entryId must be LIST:ID');
    expect(JSON.stringify(bad.body)).toContain('reason must not be blank');
    expect((await analystCall(t.server, 'POST', '/sanctions/allowed', { body })).status).toBe(401);
    expect((await analystCall(t.server, 'POST', '/sanctions/allowed', { token: ANALYSTS.vic, body })).status).toBe(403);
  });
});
