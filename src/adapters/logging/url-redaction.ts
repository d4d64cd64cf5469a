// What of a request's target the request log writes: the route and its filters, not the secrets, accounts and people in it.
import { decoded, holdsAccountNumber, PERSONAL_QUERY_KEYS, REDACTED, SENSITIVE_KEYS } from './log-redaction';

const PERSONAL = new Set(PERSONAL_QUERY_KEYS);
const SENSITIVE = new Set(SENSITIVE_KEYS);

/**
 * The request target for the log. Masked: query values under sensitive names (`keys`: a secret a
 * client put in a URL) or personal-data names (PERSONAL_QUERY_KEYS); a managed list's entry value
 * in its path, and its page cursor; and any other path segment, query name or value that holds a
 * card number or an IBAN once decoded. The line redactor finds card numbers and IBANs by their
 * checksums only: a person's name or a sort code and account number has none, so it takes the
 * route to know that a value is one.
 */
export function redactUrl(url: string, keys: ReadonlySet<string> = SENSITIVE): string {
  // No route of this service takes a target this long: nothing of it is worth the search for
  // account numbers through it, which a client could make cost milliseconds a request.
  if (url.length > MAX_READ_URL) return `[REDACTED: a target of ${url.length} characters]`;
  // An absolute-form target (`DELETE http://host/lists/...`) is routed by its path all the same.
  const origin = url.charCodeAt(0) === 47 ? '' : (ABSOLUTE_ORIGIN.exec(url)?.[0] ?? '');
  return origin + redactTarget(url.slice(origin.length), keys);
}

/** The longest target read for the log; the routes' own are far shorter (ids at most 128 characters, and a few filters). */
const MAX_READ_URL = 2_048;
const ABSOLUTE_ORIGIN = /^https?:\/\/[^/?#]*/i;
const LIST_PATH = /^\/*lists(\/|$)/;

function redactTarget(url: string, keys: ReadonlySet<string>): string {
  const question = url.indexOf('?');
  const sentPath = question < 0 ? url : url.slice(0, question);
  const plainPath = decoded(sentPath).toLowerCase();
  const inList = LIST_PATH.test(plainPath);
  // Digit and letter runs stop at a `/`: one look at the whole path tells whether a segment holds a number.
  const path = inList || holdsAccountNumber(plainPath) ? redactPath(sentPath) : sentPath;
  if (question < 0) return path;
  // A list's page starts `after` an entry value (lists.controller.ts); elsewhere `after` is a number.
  const masked = (name: string) => keys.has(name) || PERSONAL.has(name) || (inList && name === 'after');
  const pairs = url.slice(question + 1).split('&');
  return `${path}?${pairs.map((pair) => redactPair(pair, masked)).join('&')}`;
}

/**
 * `/lists/{name}/entries/{value}` (DELETE, lists.controller.ts) carries a list's value, which may be
 * an IBAN, an account number with its sort code, a name or a customer id: everything after
 * `entries` goes, the list's name stays. The words are matched decoded, in any case and with empty
 * segments skipped, so that a spelling the router might also take is masked too.
 */
function redactPath(path: string): string {
  const segments = path.split('/');
  const words = segments.map((segment) => decoded(segment).toLowerCase());
  const kept = segments.map((segment, index) => (holdsAccountNumber(words[index]) ? REDACTED : segment));
  const named = words.flatMap((word, index) => (word === '' ? [] : [index]));
  const entryValue = named.length > 3 && words[named[0]] === 'lists' && words[named[2]] === 'entries';
  return (entryValue ? [...kept.slice(0, named[3]), REDACTED] : kept).join('/');
}

function redactPair(pair: string, masked: (name: string) => boolean): string {
  const equals = pair.indexOf('=');
  const name = decoded(equals < 0 ? pair : pair.slice(0, equals), true);
  if (holdsAccountNumber(name)) return REDACTED;
  if (equals < 0) return pair;
  return masked(name.toLowerCase()) || holdsAccountNumber(decoded(pair.slice(equals + 1), true)) ? `${pair.slice(0, equals)}=${REDACTED}` : pair;
}
