// Which names of the index are worth scoring against a query: those sharing enough tokens (or near spellings of them) with it, found through an inverted index.
import { MISSING_TOKEN_COST, ScoredToken } from './name-score';
import { bitCount } from './query-scorer';
import { TokenVocabulary } from './token-vocabulary';

/** Candidates whose strong-token counts differ by more than this cannot reach any useful score. */
const MAX_TOKEN_COUNT_GAP = 3;

/** A finder is left out of the walk when it has this many times more postings than the others together. */
const SKIP_FACTOR = 4;

/** The indexed names as the finder reads them. */
export interface IndexedNames {
  readonly tokenStart: Int32Array;
  readonly tokenIds: Int32Array;
  /** Strong tokens (no particle, no initial) per name. */
  readonly strong: Uint8Array;
  /** Bit (letter - 'a') per first letter of the name's tokens. */
  readonly letters: Uint32Array;
}

/** For each token id, names holding it: one flat array sliced by `start`, names ascending. */
export interface Postings {
  readonly start: Int32Array;
  readonly names: Int32Array;
}

interface Finder {
  readonly near: Set<number>;
  readonly bit: number;
}

export class CandidateFinder {
  private readonly marks: Uint16Array;
  /** The names a query touched, in the order found; kept from one query to the next (no garbage). */
  private readonly touched: Int32Array;
  /** Token ids of the finder left out of the walk, stamped with the query's generation. */
  private readonly skippedTokens: Uint32Array;
  private generation = 0;

  /** `singles`: the postings of the names with at most one strong token. */
  constructor(
    private readonly vocabulary: TokenVocabulary,
    private readonly names: IndexedNames,
    private readonly postings: Postings,
    private readonly singles: Postings,
  ) {
    this.marks = new Uint16Array(names.strong.length);
    this.touched = new Int32Array(names.strong.length);
    this.skippedTokens = new Uint32Array(vocabulary.tokens.length);
  }

  /**
   * Names sharing at least two strong tokens with the query, or one when either has only one,
   * where "sharing" allows a near spelling (see TokenVocabulary.near); query tokens that find the
   * same spellings ("Omar Umar") share one. Initials and particles find nothing, but a name cannot
   * reach `reachable` (the least name score that evidence could still lift to a hit) without
   * tokens beginning with the query's initials, which drops most names found by one common token.
   *
   * When two tokens are required and one finder has far more postings than the others ("john"),
   * it is not walked: a name it alone finds qualifies only with a single strong token
   * (walked in `singles`), and a name another finder found that lacks one bit is given it when one
   * of its own tokens is among that finder's spellings.
   */
  find(tokens: readonly ScoredToken[], reachable: number): Int32Array {
    const finders = this.finders(tokens);
    const required = Math.min(2, finders.length);
    const skipped = required === 2 ? this.worthSkipping(finders) : undefined;
    let touched = 0;
    for (const finder of finders) touched = this.walk(finder, finder === skipped ? this.singles : this.postings, touched);
    if (skipped) this.stampSkipped(skipped);
    const initials = initialLetters(tokens);
    const { marks, names } = this;
    // The names kept are moved to the front of `touched`, in the order found.
    let found = 0;
    for (let t = 0; t < touched; t++) {
      const n = this.touched[t];
      const strongCount = names.strong[n];
      const needed = Math.min(required, Math.max(1, strongCount));
      const mark = marks[n];
      marks[n] = 0;
      let bits = bitCount(mark);
      if (Math.abs(strongCount - finders.length) > MAX_TOKEN_COUNT_GAP || leastMissingCost(tokens.length, initials, names.letters[n], strongCount) > 1 - reachable) continue;
      if (skipped && bits + 1 === needed && (mark & (1 << skipped.bit)) === 0 && this.holdsSkipped(n)) bits += 1;
      if (bits >= needed) this.touched[found++] = n;
    }
    return this.touched.subarray(0, found);
  }

  /** Marks the names `finder` finds in `postings` with its bit; returns how many names are touched now. */
  private walk({ near, bit }: Finder, { start, names }: Postings, touchedBefore: number): number {
    const { marks, touched } = this;
    let count = touchedBefore;
    for (const id of near) {
      for (let p = start[id], end = start[id + 1]; p < end; p++) {
        const n = names[p];
        if (marks[n] === 0) touched[count++] = n;
        marks[n] |= 1 << bit;
      }
    }
    return count;
  }

  private stampSkipped({ near }: Finder): void {
    this.generation = (this.generation + 1) >>> 0;
    if (this.generation === 0) {
      this.skippedTokens.fill(0);
      this.generation = 1;
    }
    for (const id of near) this.skippedTokens[id] = this.generation;
  }

  /** Whether name `n` holds one of the skipped finder's spellings (its bit, had its postings been walked). */
  private holdsSkipped(n: number): boolean {
    const { tokenStart, tokenIds } = this.names;
    for (let p = tokenStart[n], end = tokenStart[n + 1]; p < end; p++) if (this.skippedTokens[tokenIds[p]] === this.generation) return true;
    return false;
  }

  /**
   * The finder with the most postings, when it has several times more than the others together:
   * checking a found name's own tokens costs a few random reads, walking a posting one, so leaving
   * a finder out pays only when its postings far outnumber the names the others find (measured
   * with bench:sanctions: "John Kavirira" gains, "James Sofia Omar" loses).
   */
  private worthSkipping(finders: readonly Finder[]): Finder | undefined {
    const { start } = this.postings;
    let largest: Finder | undefined;
    let most = 0;
    let total = 0;
    for (const finder of finders) {
      let size = 0;
      for (const id of finder.near) size += start[id + 1] - start[id];
      total += size;
      if (size > most) [largest, most] = [finder, size];
    }
    return most > SKIP_FACTOR * (total - most) ? largest : undefined;
  }

  /** The strong query tokens (any of length > 1 when none is strong) with their near spellings; tokens whose spellings overlap share a bit. */
  private finders(tokens: readonly ScoredToken[]): Finder[] {
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
export function letterMask(tokens: readonly string[]): number {
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

/** For each token id, the names that contain it (only those `keep` accepts): one flat array, sliced by `start`. */
export function invertedIndex(tokenCount: number, tokenStart: Int32Array, tokenIds: Int32Array, keep: (name: number) => boolean = () => true): Postings {
  const start = new Int32Array(tokenCount + 1);
  for (let n = 0; n + 1 < tokenStart.length; n++) {
    if (!keep(n)) continue;
    for (let p = tokenStart[n]; p < tokenStart[n + 1]; p++) start[tokenIds[p] + 1] += 1;
  }
  for (let t = 0; t < tokenCount; t++) start[t + 1] += start[t];
  const fill = start.slice(0, tokenCount);
  const flat = new Int32Array(start[tokenCount]);
  for (let n = 0; n + 1 < tokenStart.length; n++) {
    if (!keep(n)) continue;
    for (let p = tokenStart[n]; p < tokenStart[n + 1]; p++) flat[fill[tokenIds[p]]++] = n;
  }
  return { start, names: flat };
}
