// Masks secrets and full account or card numbers in every log line before it leaves the process.

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
 * the IBAN mod-97 check are masked. The checksums keep ids and amounts readable.
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
    if (CARD_CANDIDATE.test(out)) out = out.replace(CARD_RUN, (run) => (luhnValid(run) ? '[REDACTED-PAN]' : run));
    if (IBAN_CANDIDATE.test(out)) out = out.replace(IBAN_RUN, (run) => (ibanValid(run) ? '[REDACTED-IBAN]' : run));
    return out;
  };
}

// 13 to 19 digits, optionally grouped by single spaces or dashes, not part of a longer number.
const CARD_CANDIDATE = /\d{4}[ -]?\d{4}[ -]?\d{4}/;
const CARD_RUN = /(?<![\d.])\d(?:[ -]?\d){12,18}(?![\d.])/g;
const IBAN_CANDIDATE = /[A-Z]{2}\d{2}[ ]?[A-Z0-9]{4}/;
const IBAN_RUN = /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}(?![A-Za-z0-9])/g;

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
  const iban = candidate.replace(/ /g, '');
  if (iban.length < 15 || iban.length > 34) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const code = char.charCodeAt(0);
    const value = code >= 65 ? String(code - 55) : char;
    for (const digit of value) remainder = (remainder * 10 + (digit.charCodeAt(0) - 48)) % 97;
  }
  return remainder === 1;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A request target for the log: query values under sensitive names are masked ("?token=..."),
 * the rest kept, so that a secret a client put in a URL is not written out.
 */
export function redactQuery(url: string, keys: ReadonlySet<string>): string {
  const question = url.indexOf('?');
  if (question < 0) return url;
  const pairs = url
    .slice(question + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const name = equals < 0 ? pair : pair.slice(0, equals);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {
        // kept as sent
      }
      return equals >= 0 && keys.has(decoded.toLowerCase()) ? `${name}=${REDACTED}` : pair;
    });
  return `${url.slice(0, question)}?${pairs.join('&')}`;
}
