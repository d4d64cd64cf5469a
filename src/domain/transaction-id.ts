// The one rule for a transaction id, whoever supplies it: Toqio, a payment provider, a callback or a path.

export const MAX_TRANSACTION_ID_LENGTH = 128;

// Controls (C0, DEL, C1) and unpaired UTF-16 surrogates: unprintable, and partly unstorable.
const UNUSABLE = /[\u0000-\u001f\u007f-\u009f]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * 1 to `maxLength` characters (Unicode code points, as PostgreSQL counts them), none of them a
 * control character or half of a surrogate pair. Every id this service stores passes, so every
 * stored transaction can be read and decided through the API.
 */
export function isUsableId(value: unknown, maxLength = MAX_TRANSACTION_ID_LENGTH): value is string {
  if (typeof value !== 'string' || value.length === 0 || UNUSABLE.test(value)) return false;
  return value.length <= maxLength || codePoints(value, maxLength) <= maxLength;
}

/** The sentence a refused id is explained with. */
export function idRule(field: string, maxLength = MAX_TRANSACTION_ID_LENGTH): string {
  return `${field} must be 1 to ${maxLength} characters, with no control characters`;
}

/** Counts code points, stopping once past `limit` (ids are short; a long value is refused early). */
function codePoints(value: string, limit: number): number {
  let count = 0;
  for (let i = 0; i < value.length && count <= limit; i += 1) {
    const unit = value.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) i += 1;
    count += 1;
  }
  return count;
}
