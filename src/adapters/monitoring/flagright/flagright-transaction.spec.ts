import { TransactionMother } from '../../../../test/mothers/transaction.mother';
import { toFlagrightTransaction, verdictFromFlagright } from './flagright-transaction';

describe('Flagright mapping', () => {
  it('sends the amount as the JSON number of exactly its digits, or refuses', () => {
    expect(toFlagrightTransaction(TransactionMother.create({ amount: '125.5' })).originAmountDetails).toEqual({ transactionAmount: 125.5, transactionCurrency: 'GBP' });
    expect(toFlagrightTransaction(TransactionMother.create({ amount: '1000000000000000000000' })).originAmountDetails).toMatchObject({ transactionAmount: 1e21 });
    expect(() => toFlagrightTransaction(TransactionMother.create({ amount: '12345678901234567890' }))).toThrow('not sent');
    expect(() => toFlagrightTransaction(TransactionMother.create({ amount: '9999.999999999999999' }))).toThrow('not sent');
    expect(() => toFlagrightTransaction(TransactionMother.create({ amount: '0.30000000000000001' }))).toThrow('not sent');
  });

  it('uses createdAt as the timestamp when Toqio sends one', () => {
    const transaction = TransactionMother.create({ attributes: { createdAt: '2026-11-21T10:00:00Z' } });
    expect(toFlagrightTransaction(transaction, () => 1).timestamp).toBe(Date.parse('2026-11-21T10:00:00Z'));
    expect(toFlagrightTransaction(TransactionMother.create({ attributes: {} }), () => 42).timestamp).toBe(42);
  });

  it('refuses an answer without a known status', () => {
    expect(() => verdictFromFlagright({ status: 'MAYBE', hitRules: [] })).toThrow('unknown status');
    expect(() => verdictFromFlagright({ status: 'toString', hitRules: [] })).toThrow('unknown status');
    expect(() => verdictFromFlagright('ALLOW')).toThrow('JSON object');
    expect(verdictFromFlagright({ status: 'ALLOW' })).toEqual({ status: 'APPROVED', reasons: [] });
  });
});
