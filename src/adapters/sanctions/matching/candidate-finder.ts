// Which names of the index are worth scoring against a query: those sharing enough tokens (or near spellings of them) with it, found through an inverted index.
import { MISSING_TOKEN_COST, ScoredToken } from './name-score';
import { PairPostings } from './pair-postings';
import { LETTERS, Postings, STRONG_SHIFT } from './postings';
import { TokenVocabulary } from './token-vocabulary';

/**
 * A name's mark while `find` walks postings: 0 untouched; 1 to 12 touched by that finder only (it
 * qualifies if it holds another finder's token too, see `shared`); QUALIFIED when it needs no more:
 * the query has one finder, the name has at most one strong token, two finders touched it, or a
 * pair of two finders' frequent tokens did.
 */
const QUALIFIED = 255;

/** Candidates whose strong-token counts differ by more than this cannot reach any useful score. */
const MAX_TOKEN_COUNT_GAP = 3;

/** Bits of a token's stamp that say which finders hold it (a query has at most 12 tokens, name-tokens.ts); the rest is the query's generation. */
const FINDER_BITS = 12;
const GENERATIONS = 2 ** (32 - FINDER_BITS);

/** The indexed names as the finder reads them (their strong-token counts and first letters come with the postings). */
export interface IndexedNames {
  readonly tokenStart: Int32Array;
  readonly tokenIds: Int32Array;
}

/** What a query asks of a name's strong-token count and first letters (see `find`). */
interface QueryShape {
  readonly finders: number;
  readonly tokens: number;
  readonly initials: readonly number[];
  readonly reachable: number;
}

/** One strong query token (or several whose spellings overlap): the ids of its near spellings, and those of them that are frequent (pair-postings.ts). */
interface Finder {
  readonly near: Set<number>;
  readonly frequent: number[];
}

export class CandidateFinder {
  /** Non-zero for a name already in `touched` during this query: its mark (see QUALIFIED). */
  private readonly marks: Uint8Array;
  /** The names a query touched, in the order found; kept from one query to the next (no garbage). */
  private readonly touched: Int32Array;
  /** By token id: the query's generation times 2^FINDER_BITS plus the bit of the finder holding the token. */
  private readonly stamps: Uint32Array;
  private generation = 0;

  /** `singles`: the postings of the names with at most one strong token; `pairs`: those of pairs of frequent tokens. */
  constructor(
    private readonly vocabulary: TokenVocabulary,
    private readonly names: IndexedNames,
    private readonly postings: Postings,
    private readonly singles: Postings,
    private readonly pairs: PairPostings,
  ) {
    this.marks = new Uint8Array(names.tokenStart.length - 1);
    this.touched = new Int32Array(names.tokenStart.length - 1);
    this.stamps = new Uint32Array(vocabulary.tokens.length);
  }

  /**
   * Names sharing at least two strong tokens with the query, or one when either has only one,
   * where "sharing" allows a near spelling (see TokenVocabulary.near); query tokens that find the
   * same spellings ("Omar Umar") share one. Initials and particles find nothing, but a name cannot
   * reach `reachable` (the least name score that evidence could still lift to a hit) without
   * tokens beginning with the query's initials, which drops most names found by one common token.
   *
   * When two tokens are required, no frequent token's postings are walked: a name sharing two
   * frequent tokens is in their pair's postings, one sharing a rare token is in that token's (its
   * other tokens are then looked up in the query's finders), one with a single strong token in `singles`.
   */
  find(tokens: readonly ScoredToken[], reachable: number): Int32Array {
    const finders = this.finders(tokens);
    const shape = { finders: finders.length, tokens: tokens.length, initials: initialLetters(tokens), reachable };
    // One finder: every name holding one of its tokens qualifies (those the shape keeps).
    if (finders.length < 2) return this.walkAll(finders, this.postings, shape);
    // Two or more, but at most one with spellings in the index (the others are words no listed name
    // holds, as most words of most payees' names are): no name shares two finders' tokens, so only
    // those with a single strong token can qualify, and `singles` holds them.
    if (finders.filter((finder) => finder.near.size > 0).length < 2) return this.walkAll(finders, this.singles, shape);
    const touched = this.walkPairs(finders, shape);
    const { marks } = this;
    // The names kept are moved to the front of `touched`, in the order found: those the walk
    // qualified, and those one finder touched that hold another finder's token too.
    let found = 0;
    for (let t = 0; t < touched; t++) {
      const n = this.touched[t];
      const mark = marks[n];
      marks[n] = 0;
      if (mark === QUALIFIED || this.shared(n) >= 2) this.touched[found++] = n;
    }
    return this.touched.subarray(0, found);
  }

  /** The names of `postings` holding any finder's token that `shape` keeps, each once, in the order found. */
  private walkAll(finders: readonly Finder[], postings: Postings, shape: QueryShape): Int32Array {
    const { start, names, features } = postings;
    let touched = 0;
    for (const finder of finders) for (const id of finder.near) touched = this.touch(names, features!, start[id], start[id + 1], shape, QUALIFIED, touched);
    for (let t = 0; t < touched; t++) this.marks[this.touched[t]] = 0;
    return this.touched.subarray(0, touched);
  }

  /**
   * Touches every name that `shape` keeps and that may share two finders' tokens, or one finder's
   * when it has a single strong token; returns how many. Each touched name's mark says what the
   * walk knows (see QUALIFIED), read from the postings' features rather than from the name.
   */
  private walkPairs(finders: readonly Finder[], shape: QueryShape): number {
    let touched = 0;
    for (const finder of finders) {
      for (const id of finder.near) {
        const postings = this.pairs.frequent(id) ? this.singles : this.postings;
        touched = this.touch(postings.names, postings.features!, postings.start[id], postings.start[id + 1], shape, this.finderOf(id), touched);
      }
    }
    const { start, names, features } = this.pairs;
    for (let i = 0; i < finders.length; i++) {
      for (let j = i + 1; j < finders.length; j++) {
        for (const a of finders[i].frequent) {
          for (const b of finders[j].frequent) {
            const slot = this.pairs.slot(a, b);
            if (slot < 0) continue;
            const finder = this.finderOf(a);
            touched = this.touch(names, features!, start[slot], start[slot + 1], shape, finder === this.finderOf(b) ? finder : QUALIFIED, touched);
          }
        }
      }
    }
    return touched;
  }

  /**
   * Touches the names of postings `from..to` that `shape` keeps, marking each with `finder` (a
   * finder's number, or QUALIFIED), or QUALIFIED when it has at most one strong token or a
   * second finder touches it; returns how many names are touched now.
   */
  private touch(names: Int32Array, features: Uint32Array, from: number, to: number, shape: QueryShape, finder: number, touchedBefore: number): number {
    const { marks, touched } = this;
    let count = touchedBefore;
    for (let p = from; p < to; p++) {
      const feature = features[p];
      const strongCount = feature >>> STRONG_SHIFT;
      if (!keeps(shape, strongCount, feature & LETTERS)) continue;
      const n = names[p];
      const mark = marks[n];
      if (mark === 0) touched[count++] = n;
      if (mark === QUALIFIED) continue;
      marks[n] = strongCount <= 1 || (mark !== 0 && mark !== finder) ? QUALIFIED : finder;
    }
    return count;
  }

  /**
   * The number (1 to 12) of the finder token `id` counts for, as `shared` counts it: its stamp's.
   * A token near two finders' spellings (merging is greedy, finders) counts for one of them only.
   */
  private finderOf(id: number): number {
    return 32 - Math.clz32(this.stamps[id] & (2 ** FINDER_BITS - 1));
  }

  /** How many finders hold one of name `n`'s tokens, up to the 2 that `find` asks for. */
  private shared(n: number): number {
    const { tokenStart, tokenIds } = this.names;
    const stampBase = this.generation * 2 ** FINDER_BITS;
    let held = 0;
    for (let p = tokenStart[n], end = tokenStart[n + 1]; p < end; p++) {
      const stamp = this.stamps[tokenIds[p]];
      if (stamp >= stampBase) held |= stamp - stampBase;
    }
    return held === 0 ? 0 : (held & (held - 1)) === 0 ? 1 : 2;
  }

  /**
   * The strong query tokens (any of length > 1 when none is strong) with their near spellings;
   * tokens whose spellings overlap share one finder. Each token id is stamped with its finder's bit.
   */
  private finders(tokens: readonly ScoredToken[]): Finder[] {
    let chosen = tokens.filter((t) => !t.weak && t.text.length > 1);
    if (chosen.length === 0) chosen = tokens.filter((t) => t.text.length > 1);
    const merged: Set<number>[] = [];
    for (const token of chosen) {
      const near = this.vocabulary.near(token.text, token.phonetic);
      const same = merged.find((other) => near.some((id) => other.has(id)));
      if (same) for (const id of near) same.add(id);
      else merged.push(new Set(near));
    }
    this.generation += 1;
    if (this.generation === GENERATIONS) {
      this.stamps.fill(0);
      this.generation = 1;
    }
    const stampBase = this.generation * 2 ** FINDER_BITS;
    return merged.map((near, f) => {
      const frequent: number[] = [];
      for (const id of near) {
        this.stamps[id] = stampBase + (1 << f);
        if (this.pairs.frequent(id)) frequent.push(id);
      }
      return { near, frequent };
    });
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

/**
 * Whether a name with `strongCount` strong tokens and first `letters` may reach `shape.reachable`:
 * candidates whose strong-token counts differ too much, or that unpaired tokens alone keep under it, are not.
 */
function keeps(shape: QueryShape, strongCount: number, letters: number): boolean {
  return Math.abs(strongCount - shape.finders) <= MAX_TOKEN_COUNT_GAP && leastMissingCost(shape.tokens, shape.initials, letters, strongCount) <= 1 - shape.reachable;
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
