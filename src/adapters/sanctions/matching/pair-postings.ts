// Postings of pairs of frequent tokens: a query whose tokens are all common finds the names holding two of them without walking either token's long postings.

/**
 * A token with at least this many postings is frequent: its pairs with other frequent tokens get
 * postings of their own. Walking fewer postings costs less than looking up pairs; at 1 M generated
 * names, 811 tokens are frequent and their pairs hold 0.8 M postings (bench:sanctions).
 */
export const FREQUENT_POSTINGS = 256;

/** Scratch for one name's frequent token ids while building: names have at most 12 tokens (name-tokens.ts). */
const scratch = new Int32Array(16);

export class PairPostings {
  private constructor(
    /** By token id: the rank of a frequent token among the frequent ones, -1 for another. */
    private readonly ranks: Int32Array,
    private readonly slots: Map<number, number>,
    /** The names of slot s are `names[start[s]..start[s + 1])`, ascending. */
    readonly start: Int32Array,
    readonly names: Int32Array,
    /** Per posting, its name's features (postings.ts), when built with them. */
    readonly features?: Uint32Array,
  ) {}

  /** From the names' token ids (`tokenStart`, `tokenIds`) and each token's postings (`all`), in two passes: count, then fill; with each name's `features` beside it when given. */
  static build(tokenStart: Int32Array, tokenIds: Int32Array, all: { readonly start: Int32Array }, features?: Uint32Array): PairPostings {
    const tokenCount = all.start.length - 1;
    const ranks = new Int32Array(tokenCount).fill(-1);
    let frequentCount = 0;
    for (let id = 0; id < tokenCount; id++) if (all.start[id + 1] - all.start[id] >= FREQUENT_POSTINGS) ranks[id] = frequentCount++;
    const slots = new Map<number, number>();
    const counts: number[] = [];
    forEachPair(tokenStart, tokenIds, ranks, (key) => {
      const slot = slots.get(key);
      if (slot === undefined) {
        slots.set(key, counts.length);
        counts.push(1);
      } else counts[slot] += 1;
    });
    const start = new Int32Array(counts.length + 1);
    for (let s = 0; s < counts.length; s++) start[s + 1] = start[s] + counts[s];
    const fill = start.slice(0, counts.length);
    const names = new Int32Array(start[counts.length]);
    const postingFeatures = features ? new Uint32Array(names.length) : undefined;
    forEachPair(tokenStart, tokenIds, ranks, (key, n) => {
      const at = fill[slots.get(key)!]++;
      names[at] = n;
      if (postingFeatures) postingFeatures[at] = features![n];
    });
    return new PairPostings(ranks, slots, start, names, postingFeatures);
  }

  frequent(id: number): boolean {
    return this.ranks[id] >= 0;
  }

  /** The slot of the names holding both frequent tokens `a` and `b` (`a` twice when `b` is `a`), or -1 when none does. */
  slot(a: number, b: number): number {
    const x = this.ranks[a];
    const y = this.ranks[b];
    return x < 0 || y < 0 ? -1 : (this.slots.get(pairKey(x, y)) ?? -1);
  }
}

/** One number per pair of ranks, whatever their order: a small integer while there are under 46,341 frequent tokens (fast map keys). */
function pairKey(a: number, b: number): number {
  return a < b ? b * (b + 1) / 2 + a : a * (a + 1) / 2 + b;
}

/** Calls `visit` once per name and pair of its frequent tokens (by rank): each pair of distinct ones, and a token with itself when the name holds it twice. */
function forEachPair(tokenStart: Int32Array, tokenIds: Int32Array, ranks: Int32Array, visit: (key: number, name: number) => void): void {
  for (let n = 0; n + 1 < tokenStart.length; n++) {
    let count = 0;
    for (let p = tokenStart[n]; p < tokenStart[n + 1]; p++) {
      const id = ranks[tokenIds[p]];
      if (id < 0) continue;
      // insertion, ascending: a name has a handful of tokens
      let k = count++;
      for (; k > 0 && scratch[k - 1] > id; k--) scratch[k] = scratch[k - 1];
      scratch[k] = id;
    }
    if (count < 2) continue;
    const ids = scratch;
    for (let i = 0; i < count; i++) {
      if (i > 0 && ids[i] === ids[i - 1]) {
        // a repeat: the token with itself, once however many times it repeats
        if (i < 2 || ids[i - 2] !== ids[i]) visit(pairKey(ids[i], ids[i]), n);
        continue;
      }
      for (let j = i + 1; j < count; j++) if (ids[j] !== ids[j - 1]) visit(pairKey(ids[i], ids[j]), n);
    }
  }
}
