// Which names of the index are worth scoring against a query: those sharing enough tokens (or near spellings of them) with it, found through an inverted index.
import { ScoredToken } from './name-score';
import { PairPostings } from './pair-postings';
import { LETTERS, Postings, STRONG_SHIFT } from './postings';
import { initialLetters, keeps, QueryShape } from './query-shape';
import { TokenVocabulary } from './token-vocabulary';

/**
 * A name's mark while `find` walks postings: 0 untouched; 1 to 12 touched by that finder only (it
 * qualifies if it shares a second query token, see `shared`); QUALIFIED when it needs no more:
 * the query has one finder of one token, the name has at most one strong token, two finders
 * touched it, or a pair of frequent tokens did (of two finders, or two of one finder holding
 * several query tokens, see `manifold`).
 */
const QUALIFIED = 255;

/** Bits of a token's stamp that say which finders hold it (a query has at most 12 tokens, name-tokens.ts); the rest is the query's generation. */
const FINDER_BITS = 12;
const GENERATIONS = 2 ** (32 - FINDER_BITS);

/** The indexed names as the finder reads them (their strong-token counts and first letters come with the postings). */
export interface IndexedNames {
  readonly tokenStart: Int32Array;
  readonly tokenIds: Int32Array;
}

/**
 * One strong query token (or several whose spellings overlap, `tokens` of them): the ids of its
 * near spellings, and those of them that are frequent (pair-postings.ts).
 */
interface Finder {
  readonly near: Set<number>;
  readonly frequent: number[];
  readonly tokens: number;
}

export class CandidateFinder {
  /** Non-zero for a name already in `touched` during this query: its mark (see QUALIFIED). */
  private readonly marks: Uint8Array;
  /** The names a query touched, in the order found; kept from one query to the next (no garbage). */
  private readonly touched: Int32Array;
  /** By token id: the query's generation times 2^FINDER_BITS plus the bit of the finder holding the token. */
  private readonly stamps: Uint32Array;
  private generation = 0;
  /** Bit per finder of this query that holds two query tokens or more, whose spellings overlap: manifold (see `shared`). */
  private manifold = 0;

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
    this.stamps = new Uint32Array(vocabulary.size);
  }

  /**
   * Names sharing at least two strong tokens with the query, or one when either has only one,
   * where "sharing" allows a near spelling (see TokenVocabulary.near). Query tokens that find the
   * same spellings ("Omar Umar", "Maria Moreau") share one finder, and a name shares two tokens with
   * it when it holds its spellings twice. Initials and particles find nothing, but a name cannot
   * reach `reachable` (the least name score that evidence could still lift to a hit) without
   * tokens beginning with the query's initials, which drops most names found by one common token.
   *
   * When two tokens are required, no frequent token's postings are walked: a name sharing two
   * frequent tokens is in their pair's postings, one sharing a rare token is in that token's (its
   * other tokens are then looked up in the query's finders), one with a single strong token in `singles`.
   */
  find(tokens: readonly ScoredToken[], reachable: number): Int32Array {
    const finders = this.finders(tokens);
    const shape = { strongTokens: finders.reduce((sum, finder) => sum + finder.tokens, 0), tokens: tokens.length, initials: initialLetters(tokens), reachable };
    // Unless a finder holds two query tokens or more (names holding its spellings twice qualify):
    if (this.manifold === 0) {
      // One finder: every name holding one of its spellings qualifies (those the shape keeps).
      if (finders.length < 2) return this.walkAll(finders, this.postings, shape);
      // Two or more, but at most one with spellings in the index (the others are words no listed
      // name holds, as most words of most payees' names are): no name shares two finders' tokens,
      // so only those with a single strong token can qualify, and `singles` holds them.
      if (finders.filter((finder) => finder.near.size > 0).length < 2) return this.walkAll(finders, this.singles, shape);
    }
    const touched = this.walkPairs(finders, shape);
    const { marks } = this;
    // The names kept are moved to the front of `touched`, in the order found: those the walk
    // qualified, and those one finder touched that share a second query token too.
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
   * Touches every name that `shape` keeps and that may share two query tokens (of two finders, or
   * two spellings of a manifold one), or one when it has a single strong token; returns how many.
   * Each touched name's mark says what the walk knows (see QUALIFIED), read from the postings'
   * features rather than from the name.
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
      // A finder of two query tokens or more is paired with itself too: names holding two of its
      // frequent spellings, or one twice ("Igor Igor"), share two tokens with the query.
      for (let j = finders[i].tokens > 1 ? i : i + 1; j < finders.length; j++) {
        for (const a of finders[i].frequent) {
          for (const b of finders[j].frequent) {
            if (i === j && b < a) continue;
            const slot = this.pairs.slot(a, b);
            if (slot < 0) continue;
            // Two finders' tokens, or two of one finder of several query tokens, are two shared.
            const finder = this.finderOf(a);
            const mark = finder !== this.finderOf(b) || this.manifold & (1 << (finder - 1)) ? QUALIFIED : finder;
            touched = this.touch(names, features!, start[slot], start[slot + 1], shape, mark, touched);
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

  /**
   * How many query tokens name `n` shares, up to the 2 that `find` asks for: one per finder one of
   * whose spellings it holds, two when it holds two of a manifold finder's (or one of them twice).
   */
  private shared(n: number): number {
    const { tokenStart, tokenIds } = this.names;
    const stampBase = this.generation * 2 ** FINDER_BITS;
    let held = 0;
    for (let p = tokenStart[n], end = tokenStart[n + 1]; p < end; p++) {
      const stamp = this.stamps[tokenIds[p]];
      if (stamp < stampBase) continue;
      const finder = stamp - stampBase;
      if (held & finder & this.manifold) return 2;
      held |= finder;
    }
    return held === 0 ? 0 : (held & (held - 1)) === 0 ? 1 : 2;
  }

  /**
   * The strong query tokens (any of length > 1 when none is strong) with their near spellings;
   * tokens whose spellings overlap share one finder, which is manifold (`manifold`) when it so holds
   * two query tokens or more. Each token id is stamped with its finder's bit.
   */
  private finders(tokens: readonly ScoredToken[]): Finder[] {
    let chosen = tokens.filter((t) => !t.weak && t.text.length > 1);
    if (chosen.length === 0) chosen = tokens.filter((t) => t.text.length > 1);
    const merged: { near: Set<number>; tokens: number }[] = [];
    for (const token of chosen) {
      const near = this.vocabulary.near(token.text, token.phonetic);
      const same = merged.find((other) => near.some((id) => other.near.has(id)));
      if (same) {
        for (const id of near) same.near.add(id);
        same.tokens += 1;
      } else merged.push({ near: new Set(near), tokens: 1 });
    }
    this.generation += 1;
    if (this.generation === GENERATIONS) {
      this.stamps.fill(0);
      this.generation = 1;
    }
    const stampBase = this.generation * 2 ** FINDER_BITS;
    this.manifold = 0;
    return merged.map(({ near, tokens }, f) => {
      const frequent: number[] = [];
      for (const id of near) {
        this.stamps[id] = stampBase + (1 << f);
        if (this.pairs.frequent(id)) frequent.push(id);
      }
      if (tokens > 1) this.manifold |= 1 << f;
      return { near, frequent, tokens };
    });
  }
}
