// Whether a decimal written as a number comes back from a binary double as it was written.

/** Any decimal of at most this many significant digits does (DBL_DIG); past it, some do not. */
export const EXACT_DOUBLE_DIGITS = 15;

/**
 * True when a number's digits (before and after its point, without sign or exponent) are more than
 * a double keeps: read as a number (YAML, JSON.parse), it may not be the value that was written.
 */
export function beyondDouble(digits: string): boolean {
  return digits.replace(/^0+/, '').replace(/0+$/, '').length > EXACT_DOUBLE_DIGITS;
}
