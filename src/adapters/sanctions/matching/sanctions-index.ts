// The loaded lists in memory, indexed by name token: screening one name costs well under a millisecond at 1 M names.
import { LoadedList, SanctionsEntry, SanctionsEntryKind, SanctionsSource } from '../../../domain/sanctions';
import { MAX_TOKENS, nameTokens, phoneticCodes, WEAK_TOKENS } from './name-tokens';
import { MISSING_TOKEN_COST, nameScore, ScoredToken, tokenSimilarity } from './name-score';
import { adjustForEvidence, BIRTH_DATE_AGREES, COUNTRY_AGREES, Evidence } from './evidence-adjustments';
import { TokenVocabulary } from './token-vocabulary';

export type { LoadedList };

export interface NameQuery extends Evidence {
  readonly name: string;
  /** Hits scoring less than this (after the evidence) are not returned. */
  readonly minScore: number;
  /** Only these lists; all when absent. */
  readonly sources?: ReadonlySet<SanctionsSource>;
}

export interface NameHit {
  readonly source: SanctionsSource;
  readonly entryId: string;
  readonly entryName: string;
  readonly kind: SanctionsEntryKind;
  /** The name of the entry that matched: its primary name or one of its aliases. */
  readonly matchedName: string;
  readonly nameScore: number;
  readonly score: number;
  /** What the date of birth and country did to the score. */
  readonly notes: readonly string[];
}

interface StoredEntry {
  readonly source: SanctionsSource;
  readonly entryId: string;
  readonly name: string;
  readonly kind: SanctionsEntryKind;
  readonly birthDates: readonly string[];
  readonly countries: readonly string[];
}

/** Candidates whose strong-token counts differ by more than this cannot reach any useful score. */
const MAX_TOKEN_COUNT_GAP = 3;

export class SanctionsIndex {
  private readonly marks: Uint16Array;

  constructor(
    readonly lists: readonly LoadedList[],
    private readonly entries: readonly StoredEntry[],
    private readonly vocabulary: TokenVocabulary,
    private readonly views: readonly ScoredToken[],
    private readonly names: { entry: Int32Array; text: string[]; tokenStart: Int32Array; tokenIds: Int32Array; strong: Uint8Array; letters: Uint32Array },
    private readonly postings: { start: Int32Array; names: Int32Array },
  ) {
    this.marks = new Uint16Array(names.entry.length);
  }

  static empty(): SanctionsIndex {
    return new SanctionsIndexBuilder().build([]);
  }

  get nameCount(): number {
    return this.names.entry.length;
  }

  /** Every entry one of whose names scores at least `minScore` against the query, best first, one hit per entry. */
  screen(query: NameQuery): NameHit[] {
    const tokens = nameTokens(query.name).map((text) => ({ text, phonetic: phoneticCodes(text), weak: WEAK_TOKENS.has(text) }));
    const best = new Map<number, NameHit>();
    const similarities = new Map<number, number>();
    const mostAdded = (query.birthDate ? BIRTH_DATE_AGREES : 0) + (query.country ? COUNTRY_AGREES : 0);
    for (const n of this.candidates(tokens, query.minScore - mostAdded)) {
      const start = this.names.tokenStart[n];
      const ids = this.names.tokenIds.subarray(start, this.names.tokenStart[n + 1]);
      const score = nameScore(tokens, Array.from(ids, (id) => this.views[id]), (i, j) => {
        const key = ids[j] * MAX_TOKENS + i;
        let s = similarities.get(key);
        if (s === undefined) similarities.set(key, (s = tokenSimilarity(tokens[i], this.views[ids[j]])));
        return s;
      });
      if (score + mostAdded < query.minScore) continue;
      const entryIndex = this.names.entry[n];
      const entry = this.entries[entryIndex];
      if (query.sources && !query.sources.has(entry.source)) continue;
      const adjusted = adjustForEvidence(score, query, entry);
      const previous = best.get(entryIndex);
      if (adjusted.score < query.minScore || (previous && previous.score >= adjusted.score)) continue;
      best.set(entryIndex, { source: entry.source, entryId: entry.entryId, entryName: entry.name, kind: entry.kind, matchedName: this.names.text[n], nameScore: score, score: adjusted.score, notes: adjusted.notes });
    }
    return [...best.values()].sort((a, b) => b.score - a.score);
  }

  /**
   * Names sharing at least two strong tokens with the query, or one when either has only one,
   * where "sharing" allows a near spelling (see TokenVocabulary.near); query tokens that find the
   * same spellings ("Omar Umar") share one. Initials and particles find nothing, but a name cannot
   * reach `reachable` (the least name score that evidence could still lift to a hit) without
   * tokens beginning with the query's initials, which drops most names found by one common token.
   */
  private candidates(tokens: readonly ScoredToken[], reachable: number): number[] {
    const finders = this.finders(tokens);
    const required = Math.min(2, finders.length);
    const touched: number[] = [];
    const { marks } = this;
    const { start, names } = this.postings;
    for (const { near, bit } of finders) {
      for (const id of near) {
        for (let p = start[id], end = start[id + 1]; p < end; p++) {
          const n = names[p];
          if (marks[n] === 0) touched.push(n);
          marks[n] |= 1 << bit;
        }
      }
    }
    const initials = initialLetters(tokens);
    const found: number[] = [];
    for (const n of touched) {
      const strongCount = this.names.strong[n];
      if (
        bitCount(marks[n]) >= Math.min(required, Math.max(1, strongCount)) &&
        Math.abs(strongCount - finders.length) <= MAX_TOKEN_COUNT_GAP &&
        leastMissingCost(tokens.length, initials, this.names.letters[n], strongCount) <= 1 - reachable
      ) {
        found.push(n);
      }
      marks[n] = 0;
    }
    return found;
  }

  /** The strong query tokens (any of length > 1 when none is strong) with their near spellings; tokens whose spellings overlap share a bit. */
  private finders(tokens: readonly ScoredToken[]): { near: Set<number>; bit: number }[] {
    let chosen = tokens.filter((t) => !t.weak && t.text.length > 1);
    if (chosen.length === 0) chosen = tokens.filter((t) => t.text.length > 1);
    const finders: { near: Set<number>; bit: number }[] = [];
    for (const token of chosen) {
      const near = this.vocabulary.near(token.text, token.phonetic);
      const same = finders.find((other) => [...near].some((id) => other.near.has(id)));
      if (same) for (const id of near) same.near.add(id);
      else finders.push({ near, bit: finders.length });
    }
    return finders;
  }
}

/** Bit (letter - 'a') per distinct first letter of the tokens; 0 for a token not starting with a-z. */
function letterMask(tokens: readonly string[]): number {
  let mask = 0;
  for (const token of tokens) {
    const letter = token.charCodeAt(0) - 97;
    if (letter >= 0 && letter < 26) mask |= 1 << letter;
  }
  return mask;
}

function initialLetters(tokens: readonly ScoredToken[]): number[] {
  return tokens.filter((t) => t.text.length === 1).map((t) => t.text.charCodeAt(0) - 97);
}

/**
 * The least that unpaired tokens can cost a name against the query (name-score.ts): an initial
 * pairs only with a token of the same first letter, so each initial whose letter the name lacks
 * stays unpaired, and each strong token of the name needs a query token of its own.
 */
function leastMissingCost(queryTokens: number, initials: readonly number[], letters: number, strongCount: number): number {
  let missingQuery = 0;
  for (const letter of initials) if (letter < 0 || letter >= 26 || (letters & (1 << letter)) === 0) missingQuery += 1;
  const missingName = Math.max(0, strongCount - (queryTokens - missingQuery));
  return (missingQuery + missingName) * MISSING_TOKEN_COST;
}

function bitCount(bits: number): number {
  let count = 0;
  for (let b = bits; b !== 0; b &= b - 1) count += 1;
  return count;
}

/** Collects the entries of every list, then builds the index in one go. */
export class SanctionsIndexBuilder {
  private readonly vocabulary = new TokenVocabulary();
  private readonly entries: StoredEntry[] = [];
  private readonly nameEntry: number[] = [];
  private readonly nameText: string[] = [];
  private readonly tokenStart: number[] = [0];
  private readonly tokenIds: number[] = [];
  private readonly strong: number[] = [];
  private readonly letters: number[] = [];

  add(source: SanctionsSource, entry: SanctionsEntry): void {
    const index = this.entries.length;
    this.entries.push({ source, entryId: entry.entryId, name: entry.name, kind: entry.kind, birthDates: entry.birthDates, countries: entry.countries });
    for (const name of new Set([entry.name, ...entry.aliases])) {
      const tokens = nameTokens(name);
      if (tokens.length === 0) continue;
      this.nameEntry.push(index);
      this.nameText.push(name);
      for (const token of tokens) this.tokenIds.push(this.vocabulary.intern(token));
      this.tokenStart.push(this.tokenIds.length);
      this.strong.push(tokens.filter((t) => t.length > 1 && !WEAK_TOKENS.has(t)).length);
      this.letters.push(letterMask(tokens));
    }
  }

  build(lists: readonly LoadedList[]): SanctionsIndex {
    const vocabulary = this.vocabulary;
    vocabulary.seal();
    const tokenIds = Int32Array.from(this.tokenIds);
    const tokenStart = Int32Array.from(this.tokenStart);
    const names = { entry: Int32Array.from(this.nameEntry), text: this.nameText, tokenStart, tokenIds, strong: Uint8Array.from(this.strong), letters: Uint32Array.from(this.letters) };
    const views = vocabulary.tokens.map((text, id) => ({ text, phonetic: vocabulary.phonetics[id], weak: vocabulary.weak[id] }));
    return new SanctionsIndex(lists, this.entries, vocabulary, views, names, invertedIndex(vocabulary.tokens.length, tokenStart, tokenIds));
  }
}

/** For each token id, the names that contain it: one flat array, sliced by `start`. */
function invertedIndex(tokenCount: number, tokenStart: Int32Array, tokenIds: Int32Array): { start: Int32Array; names: Int32Array } {
  const start = new Int32Array(tokenCount + 1);
  for (const id of tokenIds) start[id + 1] += 1;
  for (let t = 0; t < tokenCount; t++) start[t + 1] += start[t];
  const fill = start.slice(0, tokenCount);
  const names = new Int32Array(tokenIds.length);
  for (let n = 0; n + 1 < tokenStart.length; n++) {
    for (let p = tokenStart[n]; p < tokenStart[n + 1]; p++) names[fill[tokenIds[p]]++] = n;
  }
  return { start, names };
}
