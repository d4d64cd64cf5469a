// Exact decimal numbers for money: a bigint coefficient and a base-10 scale, never a binary float.
import { DomainError } from './domain-error';

const DECIMAL_PATTERN = /^(-)?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/** Bounds that keep every amount inside PostgreSQL numeric and far beyond any real payment. */
export const MAX_INTEGER_DIGITS = 24;
export const MAX_SCALE = 18;

export class Decimal {
  private constructor(
    /** value = coefficient / 10^scale, with no trailing zeros in the fraction */
    private readonly coefficient: bigint,
    private readonly scale: number,
  ) {}

  /**
   * Parses plain or exponent notation ("125.5", "1.255e2"). Throws INVALID_AMOUNT for anything
   * else, including values with more than MAX_SCALE fraction digits or MAX_INTEGER_DIGITS
   * integer digits once normalised.
   */
  static parse(text: string): Decimal {
    const value = Decimal.parseUnbounded(text);
    if (value.scale > MAX_SCALE) {
      throw new DomainError('INVALID_AMOUNT', `"${truncate(text)}" has more than ${MAX_SCALE} decimal places`);
    }
    if (value.integerDigits() > MAX_INTEGER_DIGITS) {
      throw new DomainError('INVALID_AMOUNT', `"${truncate(text)}" has more than ${MAX_INTEGER_DIGITS} integer digits`);
    }
    return value;
  }

  /**
   * Parses like `parse`, without the bounds an amount must keep: for figures computed from amounts
   * (a sum of many can pass 24 integer digits) rather than read from a client.
   */
  static parseUnbounded(text: string): Decimal {
    const match = DECIMAL_PATTERN.exec(text);
    if (!match) {
      throw new DomainError('INVALID_AMOUNT', `"${truncate(text)}" is not a decimal number`);
    }
    const [, sign, integerPart, fractionPart = '', exponentPart = '0'] = match;
    const exponent = Number(exponentPart);
    const digits = (integerPart + fractionPart).replace(/^0+(?=\d)/, '');
    if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 64) {
      throw new DomainError('INVALID_AMOUNT', `"${truncate(text)}" has an exponent out of range`);
    }
    let coefficient = BigInt(digits);
    let scale = fractionPart.length - exponent;
    if (scale < 0) {
      coefficient *= 10n ** BigInt(-scale);
      scale = 0;
    }
    while (scale > 0 && coefficient % 10n === 0n) {
      coefficient /= 10n;
      scale -= 1;
    }
    if (sign === '-') coefficient = -coefficient;
    return new Decimal(coefficient, scale);
  }

  isPositive(): boolean {
    return this.coefficient > 0n;
  }

  compareTo(other: Decimal): -1 | 0 | 1 {
    const scale = Math.max(this.scale, other.scale);
    const a = this.coefficient * 10n ** BigInt(scale - this.scale);
    const b = other.coefficient * 10n ** BigInt(scale - other.scale);
    return a === b ? 0 : a < b ? -1 : 1;
  }

  /** The exact sum, normalised like parse's results. */
  plus(other: Decimal): Decimal {
    const scale = Math.max(this.scale, other.scale);
    let coefficient = this.coefficient * 10n ** BigInt(scale - this.scale) + other.coefficient * 10n ** BigInt(scale - other.scale);
    let normalised = scale;
    while (normalised > 0 && coefficient % 10n === 0n) {
      coefficient /= 10n;
      normalised -= 1;
    }
    return new Decimal(coefficient, normalised);
  }

  /** The exact difference, normalised like plus's. */
  minus(other: Decimal): Decimal {
    return this.plus(new Decimal(-other.coefficient, other.scale));
  }

  equals(other: Decimal): boolean {
    return this.compareTo(other) === 0;
  }

  /** Canonical plain notation: no exponent, no trailing fraction zeros ("125.5", "10000"). */
  toString(): string {
    const negative = this.coefficient < 0n;
    const digits = (negative ? -this.coefficient : this.coefficient).toString().padStart(this.scale + 1, '0');
    const integer = digits.slice(0, digits.length - this.scale);
    const fraction = digits.slice(digits.length - this.scale);
    return `${negative ? '-' : ''}${integer}${fraction ? `.${fraction}` : ''}`;
  }

  private integerDigits(): number {
    const magnitude = this.coefficient < 0n ? -this.coefficient : this.coefficient;
    return Math.max(magnitude.toString().length - this.scale, 1);
  }
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
