// A payment provider's JSON read with every number as the text it was sent as: amounts and ids keep every digit.
import { endOfString } from '../http/json-body';

const NUMBER_LITERAL = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * `json` (valid JSON, already parsed once by the body parser) with each number literal outside a
 * string turned into a string of the same characters, so that JSON.parse gives "12.50" for 12.50
 * and "12345678901234567890" for an id a binary float would round. Strings are left as they are.
 */
export function numbersAsText(json: string): string {
  let out = '';
  let copiedTo = 0;
  let i = 0;
  while (i < json.length) {
    // Character codes rather than a pattern per character: this runs over every byte of every delivery.
    const c = json.charCodeAt(i);
    if (c === 0x22 /* " */) {
      i = endOfString(json, i);
    } else if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      NUMBER_LITERAL.lastIndex = i;
      const literal = NUMBER_LITERAL.exec(json)?.[0] ?? json[i]!;
      out += `${json.slice(copiedTo, i)}"${literal}"`;
      i += literal.length;
      copiedTo = i;
    } else {
      i += 1;
    }
  }
  return copiedTo === 0 ? json : out + json.slice(copiedTo);
}

/** Parses `json` with numbers kept as their text (see numbersAsText). */
export function parseKeepingNumbers(json: string): unknown {
  return JSON.parse(numbersAsText(json));
}
