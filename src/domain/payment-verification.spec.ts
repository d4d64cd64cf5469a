// Unit spec of the comparison between a webhook's claim and what the provider's API reports.
import { Money } from './money';
import { disagreementReason, disagreements, PaymentCheck } from './payment-verification';

const charge: PaymentCheck = { kind: 'CHARGE', lookup: 'inv-42', reference: 'inv-42', status: 'success', alertTransactionId: 'paystack:inv-42' };
const transferFailed: PaymentCheck = { kind: 'TRANSFER', lookup: 'TRF_1', reference: 'tx-1', status: 'failed', alertTransactionId: 'paystack-check:transfer.failed:TRF_1' };
const claimed = Money.of('1000.5', 'NGN');
const report = (overrides: { reference?: string; status?: string; money?: Money } = {}) => ({
  found: true as const,
  reference: 'inv-42',
  status: 'success',
  money: Money.of('1000.50', 'NGN'),
  ...overrides,
});

describe('disagreements', () => {
  it('finds none when reference, status, amount (exactly, whatever its scale) and currency agree', () => {
    expect(disagreements(charge, claimed, report())).toEqual([]);
  });

  it('accepts a success the API reports reversed since, but nothing else that moved on', () => {
    expect(disagreements(charge, claimed, report({ status: 'reversed' }))).toEqual([]);
    expect(disagreements(charge, claimed, report({ status: 'abandoned' }))).toEqual(['status: the webhook says success, the API says abandoned']);
    expect(disagreements({ ...transferFailed, reference: 'inv-42' }, claimed, report({ status: 'reversed' }))).toEqual(['status: the webhook says failed, the API says reversed']);
  });

  it('names each difference: amount by one subunit, currency, reference', () => {
    expect(disagreements(charge, claimed, report({ money: Money.of('1000.51', 'NGN') }))).toEqual(['amount: the webhook says 1000.5, the API says 1000.51']);
    expect(disagreements(charge, claimed, report({ money: Money.of('1000.5', 'GHS') }))).toEqual(['currency: the webhook says NGN, the API says GHS']);
    expect(disagreements(charge, claimed, report({ reference: 'inv-43' }))).toEqual(['reference: the webhook says inv-42, the API says inv-43']);
  });

  it('disagrees when the API has no such payment, or reports no amount', () => {
    expect(disagreements(transferFailed, claimed, { found: false })).toEqual(['the provider has no transfer TRF_1']);
    expect(disagreements(charge, claimed, { found: true, reference: undefined, status: 'success', money: undefined })).toEqual(['amount: the API reports none']);
  });

  it('refuses to treat a status named like an inherited property as known', () => {
    expect(disagreements({ ...charge, status: 'constructor' }, claimed, report({ status: 'success' }))).toEqual(['status: the webhook says constructor, the API says success']);
  });

  it('explains an alert in one sentence naming the payment and every problem', () => {
    expect(disagreementReason('paystack', transferFailed, claimed, ['a', 'b'])).toBe(
      "paystack's API disagrees with its webhook about transfer TRF_1 (reference tx-1) of 1000.5 NGN: a; b. Not applied.",
    );
  });
});
