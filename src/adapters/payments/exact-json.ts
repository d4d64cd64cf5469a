// A payment provider's JSON read with every number as the text it was sent as: amounts and ids keep every digit.
import { firstFromNumbers } from '../http/json-body';

/**
 * `json` (valid JSON, already parsed once by the body parser) with each number literal outside a
 * string turned into a string of the same characters, so that JSON.parse gives "12.50" for 12.50
 * and "12345678901234567890" for an id a binary float would round. Strings are left as they are.
 */
export function numbersAsText(json: string): string {
  let out = '';
  let copiedTo = 0;
  firstFromNumbers(json, ([literal], start) => {
    out += `${json.slice(copiedTo, start)}"${literal}"`;
    copiedTo = start + literal.length;
    return undefined;
  });
  return copiedTo === 0 ? json : out + json.slice(copiedTo);
}

/** Parses `json` with numbers kept as their text (see numbersAsText). */
export function parseKeepingNumbers(json: string): unknown {
  return JSON.parse(numbersAsText(json));
}
