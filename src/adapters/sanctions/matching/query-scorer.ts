// Scores the candidates of one query: each query token's similarity to an index token is computed once per query, and a cheap ceiling turns most candidates away before the full score.
import { MAX_TOKENS } from './name-tokens';
import { leastMissingCost, nameScore, PHONETIC_FLOOR, ScoredToken, tokenSimilarity } from './name-score';

/** What the ceiling may overshoot nameScore by in floating point: a candidate is turned away only well below. */
const ROUNDING = 1e-9;
/** A token's summary (summaryOf) holds its best similarity in the low BEST_BITS, as a multiple of 1 / BEST_MAX. */
const BEST_BITS = 20;
const BEST_MAX = 2 ** BEST_BITS - 1;
/** Summaries are stamped with the query's generation times this (above the 32 bits of the summary). */
const SUMMARY_STAMP = 2 ** 32;
/** Bits of a letter set (letterSet): a to z, one for any digit, one for anything else. */
const LETTER_BITS = 28;
/** Generations start again here, so that a stamped summary stays an exact float64 integer. */
const MAX_GENERATION = 2 ** 20;

/** The index's tokens by id: how many, and each as name-score.ts compares it (made on request), or only its text or whether it is a particle. */
export interface ScoredTokens {
  readonly size: number;
  view(id: number): ScoredToken;
  textOf(id: number): string;
  isWeak(id: number): boolean;
}

/**
 * One per index, used by one query at a time (screening is synchronous): the similarities live in
 * a flat array indexed by token id, valid for the query whose generation stamped them.
 */
export class QueryScorer {
  private readonly stamps: Uint32Array;
  private readonly similarities: Float64Array;
  /** By token id: the query's generation times SUMMARY_STAMP plus the token's summary (summaryOf). */
  private readonly summaries: Float64Array;
  private generation = 0;
  private query: readonly ScoredToken[] = [];
  /** Bit i: query token i is no particle (its being unpaired costs). */
  private queryCounted = 0;
  /** By length: the candidate's tokens, refilled for each candidate scored (no array per candidate). */
  private readonly candidates: ScoredToken[][] = Array.from({ length: MAX_TOKENS + 1 }, (_, length) => new Array<ScoredToken>(length));
  /** The candidate being scored: its token ids are `candidateIds[candidateStart..]`, for `pairSimilarity`. */
  private candidateIds: Int32Array = new Int32Array(0);
  private candidateStart = 0;
  /** nameScore's similarity of query token i and candidate token j, made once rather than a closure per candidate. */
  private readonly pairSimilarity = (i: number, j: number): number => this.similarities[this.candidateIds[this.candidateStart + j] * MAX_TOKENS + i];
  /** 1 for a particle or legal form, by token id (a typed array: read for every candidate token). */
  private readonly weak: Uint8Array;
  /**
   * By token id, side by side (one cache line for a token seen for the first time): its letterSet,
   * then its first character in the low 16 bits and its length in the high 16, so that most tokens
   * are turned away without reading their text.
   */
  private readonly shapes: Uint32Array;
  /** Per query token: its letterSet, and how many of its characters fall under each bit (LETTER_BITS per token). */
  private readonly queryLetterSets: number[] = [];
  private readonly queryLetterCounts = new Uint32Array(MAX_TOKENS * LETTER_BITS);

  /**
   * By token id, the views this query has used, dropped when the next begins (`viewed` lists
   * them): the index keeps no object per token (token-vocabulary.ts), and a candidate's tokens are
   * read again for every candidate that holds them.
   */
  private readonly views: (ScoredToken | undefined)[];
  private readonly viewed: number[] = [];

  constructor(private readonly tokens: ScoredTokens) {
    const size = tokens.size;
    this.views = new Array<ScoredToken | undefined>(size).fill(undefined);
    this.weak = new Uint8Array(size);
    this.stamps = new Uint32Array(size);
    this.similarities = new Float64Array(size * MAX_TOKENS);
    this.summaries = new Float64Array(size);
    this.shapes = new Uint32Array(size * 2);
    for (let id = 0; id < size; id++) {
      const text = tokens.textOf(id);
      this.weak[id] = tokens.isWeak(id) ? 1 : 0;
      this.shapes[2 * id] = letterSet(text);
      // A longer token counts as shorter: turned away less often, never wrongly.
      this.shapes[2 * id + 1] = (text.charCodeAt(0) | (Math.min(text.length, 0xffff) << 16)) >>> 0;
    }
  }

  begin(query: readonly ScoredToken[]): void {
    for (const id of this.viewed) this.views[id] = undefined;
    this.viewed.length = 0;
    this.query = query;
    this.queryCounted = 0;
    this.queryLetterCounts.fill(0);
    query.forEach((token, i) => {
      if (!token.weak) this.queryCounted |= 1 << i;
      this.queryLetterSets[i] = letterSet(token.text);
      for (let c = 0; c < token.text.length; c++) this.queryLetterCounts[i * LETTER_BITS + letterBit(token.text.charCodeAt(c))] += 1;
    });
    this.generation = (this.generation + 1) >>> 0;
    if (this.generation === 0 || this.generation === MAX_GENERATION) {
      this.stamps.fill(0);
      this.summaries.fill(0);
      this.generation = 1;
    }
  }

  /**
   * The name score of the candidate whose token ids are `ids[start..end)`, or -1 when it cannot reach `least`:
   * nameScore's weighted similarity is at most the best pair's, and no pairing can leave fewer
   * tokens unpaired than those alike to no token of the other name, or than the surplus over the
   * tokens that have a partner at all.
   */
  score(ids: Int32Array, start: number, end: number, least: number): number {
    const length = end - start;
    let best = 0;
    let pairedQ = 0;
    let pairedC = 0;
    let countedC = 0;
    for (let j = 0; j < length; j++) {
      const id = ids[start + j];
      if (this.weak[id] === 0) countedC |= 1 << j;
      const summary = this.summaryOf(id);
      if (summary === 0) continue;
      pairedQ |= summary >>> BEST_BITS;
      pairedC |= 1 << j;
      const ceiling = (summary & BEST_MAX) / BEST_MAX;
      if (ceiling > best) best = ceiling;
    }
    if (best === 0) return 0;
    const pairs = Math.min(bitCount(pairedQ), bitCount(pairedC));
    const missingQ = Math.max(bitCount(this.queryCounted & ~pairedQ), bitCount(this.queryCounted) - pairs);
    const missingC = Math.max(bitCount(countedC & ~pairedC), bitCount(countedC) - pairs);
    if (best - leastMissingCost(missingQ, missingC) < least - ROUNDING) return -1;
    const candidate = this.candidates[length];
    for (let j = 0; j < length; j++) {
      candidate[j] = this.viewOf(ids[start + j]);
      this.ensure(ids[start + j]);
    }
    this.candidateIds = ids;
    this.candidateStart = start;
    return nameScore(this.query, candidate, this.pairSimilarity);
  }

  /**
   * Token `id` against the query, in 32 bits: a bit per query token it is alike to (above BEST_BITS)
   * and its best similarity, rounded up to a multiple of 1 / BEST_MAX. One read per candidate token
   * of an array small enough to stay in cache (the similarities themselves are read only for the
   * candidates the ceiling lets through); computed on first use.
   */
  private summaryOf(id: number): number {
    const stamped = this.summaries[id];
    const base = this.generation * SUMMARY_STAMP;
    if (stamped >= base) return stamped - base;
    let alike = 0;
    let best = 0;
    for (let i = 0; i < this.query.length; i++) {
      if (this.surelyUnlike(i, id)) continue;
      const s = tokenSimilarity(this.query[i], this.viewOf(id));
      if (s <= 0) continue;
      alike |= 1 << i;
      if (s > best) best = s;
    }
    const summary = alike * 2 ** BEST_BITS + Math.min(BEST_MAX, Math.ceil(best * BEST_MAX));
    this.summaries[id] = base + summary;
    return summary;
  }

  /**
   * Whether query token `i` and token `id` are surely below tokenSimilarity's floors, known
   * without reading the token's text: when their first characters differ, Jaro-Winkler's
   * ceiling (jaroWinklerCeiling) is Jaro's, whose matches are at most the query token's characters
   * under the letters both hold. Most tokens of most candidates are turned away so, from typed
   * arrays: a crowd of candidates (a common pair of names) costs no string read per token.
   */
  private surelyUnlike(i: number, id: number): boolean {
    const query = this.query[i].text;
    const shape = this.shapes[2 * id + 1];
    const length = shape >>> 16;
    if (query.length < 2 || length < 2 || query.charCodeAt(0) === (shape & 0xffff)) return false;
    let shared = 0;
    for (let common = this.queryLetterSets[i] & this.shapes[2 * id]; common !== 0; common &= common - 1) {
      shared += this.queryLetterCounts[i * LETTER_BITS + 31 - Math.clz32(common & -common)];
    }
    return (shared / query.length + shared / length + 1) / 3 < PHONETIC_FLOOR - ROUNDING;
  }

  /** Computes token `id`'s similarities to the query tokens (at id * MAX_TOKENS) unless this query already has. */
  private ensure(id: number): void {
    if (this.stamps[id] === this.generation) return;
    const base = id * MAX_TOKENS;
    const view = this.viewOf(id);
    for (let i = 0; i < this.query.length; i++) this.similarities[base + i] = tokenSimilarity(this.query[i], view);
    this.stamps[id] = this.generation;
  }

  private viewOf(id: number): ScoredToken {
    let view = this.views[id];
    if (view === undefined) {
      view = this.tokens.view(id);
      this.views[id] = view;
      this.viewed.push(id);
    }
    return view;
  }
}

/** Bit of a character in a letter set: its letter (a-z), else 26 for a digit, else 27. */
function letterBit(code: number): number {
  return code >= 97 && code <= 122 ? code - 97 : code >= 48 && code <= 57 ? 26 : 27;
}

/** A bit (letterBit) per character a token holds. */
function letterSet(text: string): number {
  let set = 0;
  for (let c = 0; c < text.length; c++) set |= 1 << letterBit(text.charCodeAt(c));
  return set;
}

export function bitCount(bits: number): number {
  let count = 0;
  for (let b = bits; b !== 0; b &= b - 1) count += 1;
  return count;
}
