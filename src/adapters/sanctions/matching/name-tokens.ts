// A name as comparable tokens: transliterated to ASCII (any-ascii), lower-cased, punctuation gone, titles dropped.
import anyAscii from 'any-ascii';
import { doubleMetaphone } from 'double-metaphone';

/** Titles and honorifics: never part of who someone is. */
const TITLES = new Set(['mr', 'mrs', 'ms', 'miss', 'dr', 'prof', 'sir', 'madam', 'mme', 'herr', 'frau', 'sheikh', 'shaykh', 'haji', 'hajji']);

/**
 * Particles and legal forms: kept, but they weigh little, never find candidates on their own and
 * cost little when missing ("Al-Tikriti" and "Tikriti", "Rosneft PAO" and "Rosneft"). The lists spell
 * legal forms out ("Public Joint Stock Company Sberbank of Russia") where payments abbreviate them
 * ("Sberbank of Russia PJSC"), so the words of a spelled-out form are weak too.
 */
export const WEAK_TOKENS: ReadonlySet<string> = new Set([
  'al', 'el', 'bin', 'ibn', 'bint', 'abu', 'ben', 'de', 'da', 'del', 'der', 'di', 'du', 'la', 'le', 'van', 'von', 'ul', 'ud',
  'the', 'and', 'of', 'ltd', 'llc', 'inc', 'co', 'corp', 'company', 'limited', 'jsc', 'ojsc', 'pjsc', 'ooo', 'oao', 'pao', 'zao',
  'sa', 'ag', 'gmbh', 'bv', 'plc', 'llp', 'fze', 'fzco', 'group', 'holding',
  'joint', 'stock', 'public', 'closed', 'liability', 'ao', 'cjsc', 'tov', 'pte', 'sarl', 'srl', 'ltda',
]);

/** At most this many tokens of a name are compared: the rest of a very long name adds nothing. */
export const MAX_TOKENS = 12;

/**
 * "Muḥammad al-Sa'īd", "МУХАММАД АЛЬ-САИД" and "muhammad al said" give the same kind of tokens:
 * any-ascii transliterates every script to Latin letters, apostrophes vanish inside words
 * (O'Brien is obrien), every other non-alphanumeric separates tokens.
 */
export function nameTokens(name: string): string[] {
  const ascii = anyAscii(name.normalize('NFC')).toLowerCase();
  const words = ascii.replace(/['`\u2019\u2018]/g, '').split(/[^a-z0-9]+/);
  const tokens: string[] = [];
  for (const word of words) {
    if (word === '' || TITLES.has(word)) continue;
    tokens.push(word);
    if (tokens.length === MAX_TOKENS) break;
  }
  return tokens;
}

/** Both Double Metaphone codes of a token ("mohammed" and "muhammad" share MHMT); none for initials and digits. */
export function phoneticCodes(token: string): readonly [string, string] | undefined {
  if (token.length < 2 || /\d/.test(token)) return undefined;
  const [primary, alternate] = doubleMetaphone(token);
  return primary ? [primary, alternate || primary] : undefined;
}

/** How an allowance recognises a name: its tokens, sorted, so that case, script, punctuation and order do not matter. */
export function allowanceKey(name: string): string {
  return nameTokens(name).sort().join(' ');
}
