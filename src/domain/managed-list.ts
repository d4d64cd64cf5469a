// Managed lists of the rules engine: their types, and how a value of each type is written canonically so that spelling never decides a match.
import { isStorableText } from './storable-text';
import { ibanChecksumOk } from './iban';

export const LIST_TYPES = ['iban', 'account-number', 'bic', 'name', 'customer-id', 'source-account', 'country'] as const;

export type ListType = (typeof LIST_TYPES)[number];

export function isListType(value: unknown): value is ListType {
  return typeof value === 'string' && (LIST_TYPES as readonly string[]).includes(value);
}

/** A list as a rule set declares it: a value added must be of at least one of `types`. */
export interface ListDeclaration {
  readonly name: string;
  readonly types: readonly ListType[];
  readonly description: string;
}

/** A value as stored and matched: its type, and its canonical spelling. */
export interface ListValue {
  readonly type: ListType;
  readonly value: string;
}

export const LIST_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const MAX_LIST_VALUE_LENGTH = 200;
/** Values one call may add: larger sets are split by the caller. */
export const MAX_VALUES_PER_CHANGE = 10_000;

interface TypeRules {
  /** The canonical spelling of anything a transaction may carry; lenient, never refuses. */
  readonly canonical: (raw: string) => string;
  /** Why a canonical value cannot be a list entry of this type, or undefined when it can. */
  readonly problem: (value: string) => string | undefined;
}

const compact = (raw: string) => raw.replace(/[\s-]+/g, '').toUpperCase();

const TYPE_RULES: Record<ListType, TypeRules> = {
  iban: {
    canonical: compact,
    problem: (value) =>
      !/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(value) ? 'not an IBAN (country, check digits, 11 to 30 letters or digits)' : ibanChecksumOk(value) ? undefined : 'not a valid IBAN: its check digits do not match',
  },
  'account-number': {
    canonical: (raw) => {
      const parts = /^\s*(\d{2})[\s-]?(\d{2})[\s-]?(\d{2})[\s/:-]*(\d{6,10})\s*$/.exec(raw);
      return parts ? `${parts[1]}${parts[2]}${parts[3]}/${parts[4]}` : raw.trim();
    },
    problem: (value) => (/^\d{6}\/\d{6,10}$/.test(value) ? undefined : 'not a sort code and account number, e.g. "12-34-56 12345678"'),
  },
  bic: {
    // A BIC11 whose branch is XXX is the institution's primary office: the same as its BIC8.
    canonical: (raw) => compact(raw).replace(/^([A-Z0-9]{8})XXX$/, '$1'),
    problem: (value) => (/^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(value) ? undefined : 'not a BIC (8 or 11 letters and digits)'),
  },
  name: {
    canonical: nameKey,
    problem: (value) => (value === '' ? 'a name needs at least one letter or digit' : undefined),
  },
  'customer-id': { canonical: (raw) => raw.trim(), problem: identifierProblem },
  'source-account': { canonical: (raw) => raw.trim(), problem: identifierProblem },
  country: {
    canonical: (raw) => raw.trim().toUpperCase(),
    problem: (value) => (/^[A-Z]{2}$/.test(value) ? undefined : 'not an ISO 3166-1 alpha-2 country code'),
  },
};

/** The key a transaction's value is looked up by: the same spelling the list stores. */
export function canonicalListValue(type: ListType, raw: string): string {
  return TYPE_RULES[type].canonical(raw);
}

/**
 * A value an analyst adds, as each of `types` that accepts it, or the reason none does (naming the
 * type's complaint when there is only one). Each, not the first: the list rule looks a transaction's
 * field up under the field's own type, so "acc-7" added to a list of customer ids and source
 * accounts must be listed as both, or one of the two fields would never match it.
 */
export function parseListValue(types: readonly ListType[], raw: unknown): ListValue[] | { problem: string } {
  if (typeof raw !== 'string' || raw.trim() === '') return { problem: 'must be a non-empty string' };
  if (raw.length > MAX_LIST_VALUE_LENGTH) return { problem: `must be at most ${MAX_LIST_VALUE_LENGTH} characters` };
  if (!isUsableRawValue(raw)) return { problem: 'must not contain control characters' };
  const accepted: ListValue[] = [];
  const problems: string[] = [];
  for (const type of types) {
    const value = TYPE_RULES[type].canonical(raw);
    // A canonical name can outgrow its text (NFKD writes one ligature as many letters): a stored value
    // must fit where it is given back, as the `after` of the next page.
    const problem = value.length > MAX_LIST_VALUE_LENGTH ? `must be at most ${MAX_LIST_VALUE_LENGTH} characters once written canonically` : TYPE_RULES[type].problem(value);
    if (problem === undefined) accepted.push({ type, value });
    else problems.push(problem);
  }
  if (accepted.length > 0) return accepted;
  return { problem: types.length === 1 ? problems[0]! : `is none of ${types.join(', ')}` };
}

/** A value that may be looked up or stored at all: no control characters, no unpaired surrogates. */
export function isUsableRawValue(raw: string): boolean {
  // eslint-disable-next-line no-control-regex
  return isStorableText(raw) && !/[\u0000-\u001f\u007f]/.test(raw);
}

/** Names compare without case, accents, punctuation or word order: "Núñez, José" is "jose nunez". */
function nameKey(raw: string): string {
  const plain = raw.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
  return plain
    .replace(/['\u2019\u2018`]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((token) => token !== '')
    .sort()
    .join(' ');
}

function identifierProblem(value: string): string | undefined {
  if (value.length > 128) return 'must be at most 128 characters';
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u001f\u007f]/.test(value) ? 'must not contain control characters' : undefined;
}

/** How a value may be shown in a reason sent to Toqio: account identifiers keep their last four characters only. */
export function maskedListValue(type: ListType, value: string): string {
  if (type !== 'iban' && type !== 'account-number') return value;
  return value.length <= 6 ? '****' : `${value.slice(0, 2)}****${value.slice(-4)}`;
}
