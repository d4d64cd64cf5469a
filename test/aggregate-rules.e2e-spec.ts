// Aggregate rules through POST /transaction/validate: a rule file of the operator's, real HTTP, real PostgreSQL.
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { postValidate, startTestApp, TestApp } from './support/test-app';
import { temporaryDirectory } from './support/temp-dir';

const RULES = `
rules:
  - id: customer-daily-eur
    type: aggregate
    function: sum
    groupBy: customerId
    currency: EUR
    direction: OUTBOUND
    windowSeconds: 86400
    above: "1000.00"
    status: PENDING_EXTERNAL_APPROVAL
    reason: "Customer sent {value} {currency} in {windowSeconds} s (more than {threshold})"
  - id: many-beneficiaries
    type: aggregate
    function: distinct
    of: beneficiaryIban
    groupBy: sourceAccountId
    windowSeconds: 3600
    atLeast: 3
    status: REJECTED
    reason: "Source account paid {value} different IBANs in an hour"
`;

describe('aggregate rules on validate', () => {
  let t: TestApp;

  beforeAll(async () => {
    const dir = temporaryDirectory('aggregate-rules');
    writeFileSync(join(dir, 'rules.yaml'), RULES);
    t = await startTestApp({ env: { RULES_FILE: join(dir, 'rules.yaml') } });
  });
  afterAll(() => t.close());

  const payment = (customerId: string, amount: string, iban: string, overrides: Record<string, unknown> = {}) => ({
    transactionId: randomUUID(),
    amount,
    currency: 'EUR',
    customerId,
    sourceAccountId: `acc-${customerId}`,
    beneficiary: { name: 'Ada Lovelace', iban, country: 'DE' },
    ...overrides,
  });

  it('holds the payment that takes a customer past the daily sum, exactly at the decimal boundary', async () => {
    const customer = `cust-${randomUUID()}`;
    const iban = 'DE89370400440532013000';
    await expect(postValidate(t.server, payment(customer, '600.00', iban))).resolves.toMatchObject({ status: 200, body: { status: 'APPROVED' } });
    // Another currency does not add to a sum in EUR.
    await expect(postValidate(t.server, payment(customer, '5000', iban, { currency: 'GBP' }))).resolves.toMatchObject({ body: { status: 'APPROVED' } });
    await expect(postValidate(t.server, payment(customer, '400.00', iban))).resolves.toMatchObject({ body: { status: 'APPROVED' } });
    const over = await postValidate(t.server, payment(customer, '0.01', iban));
    expect(over.body).toMatchObject({ status: 'PENDING_EXTERNAL_APPROVAL', reasons: ['Customer sent 1000.01 EUR in 86400 s (more than 1000)'] });
  });

  it('rejects the third different IBAN of a source account within the hour, whatever the spelling of the same IBAN', async () => {
    const customer = `cust-${randomUUID()}`;
    await expect(postValidate(t.server, payment(customer, '1', 'DE89370400440532013000'))).resolves.toMatchObject({ body: { status: 'APPROVED' } });
    await expect(postValidate(t.server, payment(customer, '1', 'de89 3704 0044 0532 0130 00'))).resolves.toMatchObject({ body: { status: 'APPROVED' } });
    await expect(postValidate(t.server, payment(customer, '1', 'GB33BUKB20201555555555'))).resolves.toMatchObject({ body: { status: 'APPROVED' } });
    const third = await postValidate(t.server, payment(customer, '1', 'FR7630006000011234567890189'));
    expect(third.body).toMatchObject({ status: 'REJECTED', reasons: ['Source account paid 3 different IBANs in an hour'] });
  });
});
