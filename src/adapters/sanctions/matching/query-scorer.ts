// Scores the candidates of one query: each query token's similarity to an index token is computed once per query, and a cheap ceiling turns most candidates away before the full score.
import { MAX_TOKENS } from './name-tokens';
import { leastMissingCost, nameScore, ScoredToken, tokenSimilarity } from './name-score';

/** What the ceiling may overshoot nameScore by in floating point: a candidate is turned away only well below. */
const ROUNDING = 1e-9;

/**
 * One per index, used by one query at a time (screening is synchronous): the similarities live in
 * a flat array indexed by token id, valid for the query whose generation stamped them.
 */
export class QueryScorer {
  private readonly stamps: Uint32Array;
  private readonly similarities: Float64Array;
  private generation = 0;
  private query: readonly ScoredToken[] = [];
  /** Bit i: query token i is no particle (its being unpaired costs). */
  private queryCounted = 0;
  private readonly candidate: ScoredToken[] = [];
  /** 1 for a particle or legal form, by token id (a typed array: read for every candidate token). */
  private readonly weak: Uint8Array;

  constructor(private readonly views: readonly ScoredToken[]) {
    this.weak = Uint8Array.from(views, (view) => (view.weak ? 1 : 0));
    this.stamps = new Uint32Array(views.length);
    this.similarities = new Float64Array(views.length * MAX_TOKENS);
  }

  begin(query: readonly ScoredToken[]): void {
    this.query = query;
    this.queryCounted = 0;
    query.forEach((token, i) => {
      if (!token.weak) this.queryCounted |= 1 << i;
    });
    this.generation = (this.generation + 1) >>> 0;
    if (this.generation === 0) {
      this.stamps.fill(0);
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
    const q = this.query.length;
    const length = end - start;
    let best = 0;
    let pairedQ = 0;
    let pairedC = 0;
    let countedC = 0;
    for (let j = 0; j < length; j++) {
      const id = ids[start + j];
      const base = this.ensure(id);
      if (this.weak[id] === 0) countedC |= 1 << j;
      for (let i = 0; i < q; i++) {
        const s = this.similarities[base + i];
        if (s <= 0) continue;
        pairedQ |= 1 << i;
        pairedC |= 1 << j;
        if (s > best) best = s;
      }
    }
    if (best === 0) return 0;
    const pairs = Math.min(bitCount(pairedQ), bitCount(pairedC));
    const missingQ = Math.max(bitCount(this.queryCounted & ~pairedQ), bitCount(this.queryCounted) - pairs);
    const missingC = Math.max(bitCount(countedC & ~pairedC), bitCount(countedC) - pairs);
    if (best - leastMissingCost(missingQ, missingC) < least - ROUNDING) return -1;
    const candidate = this.candidate;
    candidate.length = length;
    for (let j = 0; j < length; j++) candidate[j] = this.views[ids[start + j]];
    return nameScore(this.query, candidate, (i, j) => this.similarities[ids[start + j] * MAX_TOKENS + i]);
  }

  /** Where token `id`'s similarities to the query tokens start, computing them on first use. */
  private ensure(id: number): number {
    const base = id * MAX_TOKENS;
    if (this.stamps[id] !== this.generation) {
      for (let i = 0; i < this.query.length; i++) this.similarities[base + i] = tokenSimilarity(this.query[i], this.views[id]);
      this.stamps[id] = this.generation;
    }
    return base;
  }
}

export function bitCount(bits: number): number {
  let count = 0;
  for (let b = bits; b !== 0; b &= b - 1) count += 1;
  return count;
}
