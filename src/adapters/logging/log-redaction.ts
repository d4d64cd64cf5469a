// Masks secrets and full account or card numbers in every log line before it leaves the process.
import { ibanChecksumOk } from '../../domain/iban';

/**
 * Keys whose values never appear in a log, at any depth of any logged object (matched without
 * regard to case). Header names come first: Toqio's key header is added from configuration.
 * Paystack's `authorization` object is not a string, so its `last4`, `bin` and `brand` stay
 * readable while `authorization_code` and `signature` inside it are masked.
 */
export const SENSITIVE_KEYS: readonly string[] = [
  // credentials in headers
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'apikey',
  'api-key',
  'api_key',
  'x-api-key',
  'x-paystack-signature',
  'webhook-signature',
  'x-flagright-signature',
  // credentials and signatures in bodies
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'secret',
  'secret_key',
  'password',
  'signature',
  'authorization_code',
  'secured_payload',
  // account and card numbers
  'iban',
  'accountnumber',
  'account_number',
  'cardnumber',
  'card_number',
  'pan',
  'cvv',
  'cvc',
];

/**
 * Query names whose values name a customer, an account or a person, masked in the request log's
 * URL (url-redaction.ts; matched without regard to case). They come from the review queue's search
 * (queue-search.dto.ts): `q` is an analyst's free text (a name, a reference, an IBAN, a card
 * number), the others an account or a customer. Unlike SENSITIVE_KEYS they are not masked as keys
 * of logged objects: `q` or `customerId` there is often no personal data, and bodies are not
 * logged. The other filters (status, dates, amounts, currency, cursors) stay readable: they are
 * what an operator follows a request by.
 */
export const PERSONAL_QUERY_KEYS: readonly string[] = ['q', 'beneficiaryiban', 'sourceaccountid', 'customerid'];

export const REDACTED = '[REDACTED]';

export interface RedactionOptions {
  /** More key names to mask, e.g. the configured TOQIO_API_KEY_HEADER. */
  readonly extraKeys?: readonly string[];
  /** Secret values (API keys, tokens) masked wherever they appear, even inside free text. */
  readonly secretValues?: readonly string[];
}

/**
 * Works on the serialised JSON line, the last thing before the output stream, so that nothing a
 * future `logger.info(object)` adds can slip past it: values of sensitive keys are replaced at
 * any depth; configured secrets are replaced anywhere; and, in any text, digit runs that pass
 * the Luhn check (card numbers, also when grouped with spaces or dashes) and strings that pass
 * the IBAN mod-97 check (in any case) are masked, also when a URL separates their groups with
 * `%20`, `%2D` or `+`. The checksums keep ids and amounts readable.
 */
export function createLogRedactor(options: RedactionOptions = {}): (line: string) => string {
  const keys = [...new Set([...SENSITIVE_KEYS, ...(options.extraKeys ?? [])].map((key) => key.toLowerCase()))];
  const keyPattern = new RegExp(
    `"(${keys.map(escapeRegExp).join('|')})"(\\s*:\\s*)("(?:[^"\\\\]|\\\\.)*"|-?\\d[\\d.eE+-]*|\\[(?:[^\\[\\]"]|"(?:[^"\\\\]|\\\\.)*")*\\])`,
    'gi',
  );
  // Short values would mask ordinary words; real secrets are longer (production requires 16).
  const secrets = [...new Set(options.secretValues ?? [])].filter((secret) => secret.length >= 8).sort((a, b) => b.length - a.length);
  return (line: string): string => {
    let out = line.replace(keyPattern, (_match, key: string, colon: string) => `"${key}"${colon}"${REDACTED}"`);
    for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    if (out.includes('://')) out = out.replace(URL_PASSWORD, `$1${REDACTED}@`);
    return maskAccountNumbers(maskEncodedAccountNumbers(out));
  };
}

/**
 * The password of a URL's user information (postgres://user:password@host), whatever its length:
 * a configured secret under 8 characters is not masked as free text, but here it is one.
 */
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/"\\]*:)[^\s@/"\\]+@/gi;

/**
 * A URL in a line (an error line names its request) spells the separators of an IBAN's or a
 * card's groups `%20`, `%2D` or `+`, which the runs below do not take: each piece of such text,
 * between spaces, quotes and URL delimiters, is read decoded and masked whole when it holds one.
 */
function maskEncodedAccountNumbers(text: string): string {
  // Every line passes here: the plain searches are a tenth of the pattern's cost on a line without them.
  if ((!text.includes('%2') && !text.includes('+')) || !ENCODED_SEPARATOR.test(text)) return text;
  return text.replace(URL_PIECE, (piece) => (ENCODED_SEPARATOR.test(piece) && holdsAccountNumber(decoded(piece, true)) ? REDACTED : piece));
}

const ENCODED_SEPARATOR = /[A-Za-z0-9](?:%20|%2D|\+)[A-Za-z0-9]/i;
const URL_PIECE = /[^\s"\\/?&=#]+/g;

/** Whether a text holds a card number or an IBAN; shorter than the shortest card (13 digits), it cannot. */
export function holdsAccountNumber(text: string): boolean {
  return text.length >= 13 && maskAccountNumbers(text) !== text;
}

/**
 * Percent escapes read byte by byte (and `+` as a space, as in a query), for matching only:
 * names and account numbers are ASCII, and a malformed escape, which decodeURIComponent would
 * refuse, leaves the rest readable all the same.
 */
export function decoded(text: string, plusIsSpace = false): string {
  const spaced = plusIsSpace ? text.replace(/\+/g, ' ') : text;
  return spaced.includes('%') ? spaced.replace(/%([0-9A-Fa-f]{2})/g, (_escape, hex: string) => String.fromCharCode(parseInt(hex, 16))) : spaced;
}

/**
 * Card numbers (Luhn) and IBANs (mod 97) in any text, masked. The checksums are the gate that
 * keeps ids, amounts and words readable, so an IBAN is matched in any case: clients and analysts
 * type them in lower case, and the checksum reads letters without regard to case.
 */
export function maskAccountNumbers(text: string): string {
  // A UUID (request ids, most transaction ids) is never an account number, though its hex groups
  // can pass a checksum (about 1 random UUID in 230 did): only the text between UUIDs is read.
  let out = '';
  let kept = 0;
  for (let dash = text.indexOf('-', 8); dash !== -1; dash = text.indexOf('-', dash + 1)) {
    const start = dash - 8;
    UUID_AT.lastIndex = start;
    if (!UUID_AT.test(text)) continue;
    out += maskRuns(text.slice(kept, start)) + text.slice(start, UUID_AT.lastIndex);
    kept = UUID_AT.lastIndex;
    dash = kept - 1;
  }
  return kept === 0 ? maskRuns(text) : out + maskRuns(text.slice(kept));
}

/** A UUID starting exactly at lastIndex, not part of a longer word. */
const UUID_AT = /(?<![0-9A-Za-z])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![0-9A-Za-z])/iy;

function maskRuns(text: string): string {
  let out = text;
  if (CARD_CANDIDATE.test(out)) out = out.replace(CARD_RUN, (run) => (luhnValid(run) ? '[REDACTED-PAN]' : run));
  // A run that ends inside a second IBAN leaves its start unmasked: scanned again, a few times at most.
  for (let pass = 0; pass < 4 && IBAN_CANDIDATE.test(out); pass += 1) {
    const masked = out.replace(IBAN_RUN, maskIban);
    if (masked === out) break;
    out = masked;
  }
  return out;
}

/**
 * A run may take in words around an IBAN printed in groups ("ab12 GB82 WEST ... 32 or"), lower-case
 * words above all, or hold two IBANs: from the left, the longest stretch of whole words that passes
 * the check is masked, and the words outside any such stretch are kept. An IBAN starts with two
 * letters and two digits, so only such a word is tried as a start, and the run's characters,
 * without separators and in upper case, are made once: a line of such words stays cheap.
 */
function maskIban(run: string): string {
  const words = [...run.matchAll(/[^ -]+/g)].map((word) => ({ start: word.index!, end: word.index! + word[0].length, text: word[0] }));
  const compact = words.map((word) => word.text).join('').toUpperCase();
  // Where each word starts in `compact` (and where the last one ends).
  const at = [0];
  for (const word of words) at.push(at.at(-1)! + word.text.length);
  let out = '';
  let kept = 0;
  for (let first = 0; first < words.length; first += 1) {
    if (!/^[A-Za-z]{2}\d{2}/.test(words[first]!.text)) continue;
    for (let last = words.length - 1; last >= first; last -= 1) {
      const length = at[last + 1]! - at[first]!;
      if (length < 15 || length > 34 || !ibanChecksumOk(compact, at[first]!, at[last + 1]!)) continue;
      out += `${run.slice(kept, words[first]!.start)}[REDACTED-IBAN]`;
      kept = words[last]!.end;
      first = last;
      break;
    }
  }
  return out + run.slice(kept);
}

// 13 to 19 digits, optionally grouped by single spaces or dashes, not part of a longer number.
const CARD_CANDIDATE = /\d{4}[ -]?\d{4}[ -]?\d{4}/;
const CARD_RUN = /(?<![\d.])\d(?:[ -]?\d){12,18}(?![\d.])/g;
const IBAN_CANDIDATE = /[A-Z]{2}\d{2}[ -]?[A-Z0-9]{4}/i;
const IBAN_RUN = /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]){11,30}(?![A-Za-z0-9])/gi;

export function luhnValid(candidate: string): boolean {
  const digits = candidate.replace(/[ -]/g, '');
  if (digits.length < 13 || digits.length > 19) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

export function ibanValid(candidate: string): boolean {
  const iban = candidate.replace(/[ -]/g, '').toUpperCase();
  return iban.length >= 15 && iban.length <= 34 && ibanChecksumOk(iban, 0, iban.length);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
