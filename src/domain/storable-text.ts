// Text from outside (providers, peers) as PostgreSQL can store it: no NUL, no unpaired UTF-16 surrogate.

const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, 'g');

/** True when PostgreSQL text and jsonb can hold `text` as it is. */
export function isStorableText(text: string): boolean {
  return !UNSTORABLE.test(text);
}

/**
 * `text` cut to `maxLength` UTF-16 units first (a cut may split a pair), then cleaned: NULs
 * dropped, unpaired surrogates replaced by U+FFFD. For text shown to people, where a changed
 * character loses nothing; identifiers are refused instead. A signed payment event is read with
 * each of those characters replaced by U+FFFD (adapters/payments/storable-json.ts), so that an
 * identifier in it never becomes another, plainer one.
 */
export function storableText(text: string, maxLength = Infinity): string {
  const cut = text.length > maxLength ? text.slice(0, maxLength) : text;
  return isStorableText(cut) ? cut : cut.replace(UNSTORABLE_ALL, (character) => (character === '\u0000' ? '' : '\uFFFD'));
}

/** An error's message as storable text, for diagnostics kept beside a record. */
export function storableError(error: unknown, maxLength = 1000): string {
  return storableText(error instanceof Error ? error.message : String(error), maxLength);
}
