// The entries one screening hits, each with its best name, kept in reused slots: a common name hitting hundreds of entries leaves no garbage.

/** An entry's best name for the query being screened. */
export interface Found {
  entry: number;
  name: number;
  nameScore: number;
  score: number;
}

/** Best first; between equal scores the entry loaded first. */
const BEST_FIRST = (a: Found, b: Found) => b.score - a.score || a.entry - b.entry;

/**
 * The best name of each entry found by one query: the highest score, on a tie the name loaded
 * first (the primary before its aliases). One per index, reused from query to query (screening
 * is synchronous): entries are looked up in a typed array by entry number, and their records
 * are kept for the next query rather than dropped.
 */
export class FoundEntries {
  /** By entry number: 1 + its slot while the current query has found it, else 0. */
  private readonly slotOf: Int32Array;
  private readonly slots: Found[] = [];
  private count = 0;

  constructor(entries: number) {
    this.slotOf = new Int32Array(entries);
  }

  /** Forgets the previous query's entries. */
  clear(): void {
    for (let i = 0; i < this.count; i++) this.slotOf[this.slots[i].entry] = 0;
    this.count = 0;
  }

  offer(entry: number, name: number, nameScore: number, score: number): void {
    const slot = this.slotOf[entry];
    if (slot === 0) {
      const found = this.slots[this.count];
      if (!found) this.slots.push({ entry, name, nameScore, score });
      else {
        found.entry = entry;
        found.name = name;
        found.nameScore = nameScore;
        found.score = score;
      }
      this.count += 1;
      this.slotOf[entry] = this.count;
      return;
    }
    const previous = this.slots[slot - 1];
    if (score > previous.score || (score === previous.score && name < previous.name)) {
      previous.name = name;
      previous.nameScore = nameScore;
      previous.score = score;
    }
  }

  /**
   * The `limit` best entries that `excluded` lets through, best first, and how many it lets
   * through in all. A small limit (a rule asks for the best hit) picks them in one pass instead
   * of sorting every entry. The records are valid until the next `clear`.
   */
  best(limit: number, excluded?: (entry: number) => boolean): { best: Found[]; total: number } {
    if (limit >= this.count) {
      const all: Found[] = [];
      for (let i = 0; i < this.count; i++) if (!excluded?.(this.slots[i].entry)) all.push(this.slots[i]);
      return { best: all.sort(BEST_FIRST), total: all.length };
    }
    const best: Found[] = [];
    let total = 0;
    for (let i = 0; i < this.count; i++) {
      const found = this.slots[i];
      if (excluded?.(found.entry)) continue;
      total += 1;
      if (best.length === limit && (limit === 0 || BEST_FIRST(found, best[limit - 1]) >= 0)) continue;
      // Insertion into the kept few, the last one falling off when they are `limit` already.
      let k = best.length < limit ? best.length : limit - 1;
      while (k > 0 && BEST_FIRST(found, best[k - 1]) < 0) {
        best[k] = best[k - 1];
        k -= 1;
      }
      best[k] = found;
    }
    return { best, total };
  }
}
