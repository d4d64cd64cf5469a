// Objects that repeat a key: valid JSON that readers disagree on, refused in what clients send.

/**
 * JSON allows an object to repeat a key, and readers disagree on which value counts: this service
 * takes the last, while the raw text goes on to an `http` engine whose reader may take the first
 * (a beneficiary's country screened as GB here and KP there). A request that repeats a key is
 * refused; a signed webhook (a keeper) is read as sent.
 */
export function repeatedKeyProblem(text: string): string | undefined {
  const key = firstRepeatedKey(text);
  if (key === undefined) return undefined;
  const shown = key.length > 64 ? `${key.slice(0, 63)}…` : key;
  return `The request body repeats the key ${JSON.stringify(shown)} in one object; send each key once`;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;

/**
 * The first key an object of `text` (valid JSON) repeats, compared as decoded ("a" and "\u0061"
 * are one key); undefined when none does. One pass over the text, a set of keys per open object.
 */
export function firstRepeatedKey(text: string): string | undefined {
  const open: (Set<string> | null)[] = []; // null for an array
  const length = text.length;
  let i = 0;
  while (i < length) {
    const c = text.charCodeAt(i);
    if (c !== QUOTE) {
      if (c === 0x7b) open.push(new Set());
      else if (c === 0x5b) open.push(null);
      else if (c === 0x7d || c === 0x5d) open.pop();
      i += 1;
      continue;
    }
    const start = i;
    let escaped = false;
    for (i += 1; i < length && text.charCodeAt(i) !== QUOTE; i += 1) {
      if (text.charCodeAt(i) === BACKSLASH) {
        escaped = true;
        i += 1;
      }
    }
    const end = i; // the closing quote
    i += 1;
    const keys = open[open.length - 1];
    if (!keys) continue;
    let next = i;
    while (next < length && text.charCodeAt(next) <= 0x20) next += 1;
    if (text.charCodeAt(next) !== COLON) continue;
    const key = escaped ? (JSON.parse(text.slice(start, end + 1)) as string) : text.slice(start + 1, end);
    if (keys.has(key)) return key;
    keys.add(key);
  }
  return undefined;
}
