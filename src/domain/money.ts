// An exact, positive amount in major units of one currency or Toqio asset code.
import { Decimal } from './decimal';
import { DomainError } from './domain-error';

const CURRENCY_PATTERN = /^[A-Z]{3,12}$/;

export class Money {
  private constructor(
    readonly amount: Decimal,
    readonly currency: string,
  ) {}

  /** Throws INVALID_AMOUNT / INVALID_CURRENCY naming the offending field. */
  static of(amount: string, currency: string): Money {
    let value: Decimal;
    try {
      value = Decimal.parse(amount);
    } catch (error) {
      throw error instanceof DomainError ? new DomainError(error.code, error.message, 'amount') : error;
    }
    if (!value.isPositive()) {
      throw new DomainError('INVALID_AMOUNT', 'amount must be greater than 0', 'amount');
    }
    if (!CURRENCY_PATTERN.test(currency)) {
      throw new DomainError('INVALID_CURRENCY', 'currency must be 3 to 12 upper-case letters', 'currency');
    }
    return new Money(value, currency);
  }

  equals(other: Money): boolean {
    return this.currency === other.currency && this.amount.equals(other.amount);
  }

  toString(): string {
    return `${this.amount.toString()} ${this.currency}`;
  }
}
