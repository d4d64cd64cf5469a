// A verified payment event that PostgreSQL could not hold for a few characters (a NUL, a lone surrogate): read with U+FFFD in their place.
import secureJson from 'secure-json-parse';
import { unstorableInput, unstorableNumber } from '../http/json-body';

/*
 * JSON text can carry those characters only as escapes (a raw control character is not valid JSON,
 * and UTF-8 cannot encode a lone surrogate), and a backslash appears only inside strings. So the
 * escapes are read one at a time from left to right: an escaped backslash is never taken for the
 * start of another escape, and a high surrogate followed by a low one is a pair, kept.
 */
const ESCAPE = /\\u([dD][89abAB][0-9a-fA-F]{2})(\\u[dD][c-fC-F][0-9a-fA-F]{2})?|\\u([0-9a-fA-F]{4})|\\[^u]/g;

/**
 * `json` with each NUL escape and unpaired surrogate escape replaced by U+FFFD. Replaced, not
 * removed (storableText removes NULs from text shown to people): an id such as "abc\u0000" must
 * not become "abc", which another event may use.
 */
export function withoutUnstorableEscapes(json: string): string {
  if (!json.includes('\\u')) return json;
  return json.replace(ESCAPE, (escape: string, high?: string, low?: string, other?: string) => {
    if (high !== undefined) return low === undefined ? '\\ufffd' : escape;
    if (other === undefined) return escape;
    return other === '0000' || /^[dD][c-fC-F]/.test(other) ? '\\ufffd' : escape;
  });
}

/**
 * The document without those characters, and its value, when they were all that kept PostgreSQL
 * from holding it; undefined when something else does (nesting too deep, a number out of range, a
 * reserved key), or when the document holds none of them.
 */
export function storableJson(json: string): { readonly text: string; readonly value: unknown } | undefined {
  const text = withoutUnstorableEscapes(json);
  if (text === json) return undefined;
  let value: unknown;
  try {
    value = secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch {
    return undefined;
  }
  return (unstorableInput(value, true) ?? unstorableNumber(text)) === undefined ? { text, value } : undefined;
}
