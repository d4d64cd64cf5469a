// Object mother for domain transactions in unit specs.
import { randomUUID } from 'node:crypto';
import { Money } from '../../src/domain/money';
import { JsonObject, Transaction, TransactionProps } from '../../src/domain/transaction';

export interface TransactionOverrides extends Partial<Omit<TransactionProps, 'money'>> {
  readonly amount?: string;
  readonly currency?: string;
}

export const TransactionMother = {
  create(overrides: TransactionOverrides = {}): Transaction {
    const { amount = '125.50', currency = 'GBP', ...rest } = overrides;
    const id = rest.id ?? randomUUID();
    const beneficiary: JsonObject | undefined = 'beneficiary' in rest ? rest.beneficiary : { name: 'Ada Lovelace', iban: 'GB33BUKB20201555555555', country: 'GB' };
    const attributes = rest.attributes ?? { transactionId: id, amount, currency, beneficiary };
    return new Transaction({
      id,
      money: Money.of(amount, currency),
      beneficiary,
      sourceAccountId: rest.sourceAccountId ?? 'acc-1',
      attributes,
      originalPayload: rest.originalPayload ?? JSON.stringify(attributes),
      ...rest,
    });
  },

  toCountry(country: string, overrides: TransactionOverrides = {}): Transaction {
    return TransactionMother.create({ ...overrides, beneficiary: { name: 'Someone', country } });
  },
};
