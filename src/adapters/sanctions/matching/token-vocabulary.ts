// Every distinct token of the loaded names, with the keys that find near spellings of a token fast.
import { LRUCache } from 'lru-cache';
import { phoneticCodes, WEAK_TOKENS } from './name-tokens';
import { ScoredToken, tokenSimilarity } from './name-score';

/** Tokens shorter than this find no candidates through single-character edits (too many collide). */
const MIN_EDIT_LENGTH = 4;
const MAX_TOKENS = 2 ** 21; // token ids share a float64 with a 32-bit hash in the edit table
/**
 * The near spellings of this many screened tokens are kept, at most RECENT_IDS ids in all: names
 * repeat (payees, common given names), and a lookup is up to a dozen binary searches of the edit
 * table, a quarter of the matcher's time on names that match nothing (npm run bench:engine's profile).
 */
const RECENT_TOKENS = 20_000;
const RECENT_IDS = 1_000_000;

/** FNV-1a, 32 bits: the edit table stores hashes, not strings (collisions only add candidates that scoring drops). */
function hash(text: string, skip = -1): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    if (i === skip) continue;
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class TokenVocabulary {
  private readonly ids = new Map<string, number>();
  readonly tokens: string[] = [];
  /** Both Double Metaphone codes per token id, or undefined for initials and numbers. */
  readonly phonetics: (readonly [string, string] | undefined)[] = [];
  readonly weak: boolean[] = [];
  private phoneticGroups = new Map<string, number[]>();
  /** Sorted hash * 2^21 + token id, for each token and each of its one-character deletions (SymSpell). */
  private edits = new Float64Array(0);
  private readonly recent = new LRUCache<string, readonly number[]>({ max: RECENT_TOKENS, maxSize: RECENT_IDS, sizeCalculation: (ids) => ids.length + 1 });

  idOf(token: string): number | undefined {
    return this.ids.get(token);
  }

  /** The id of a token, adding it when new. */
  intern(token: string): number {
    let id = this.ids.get(token);
    if (id === undefined) {
      id = this.tokens.length;
      if (id >= MAX_TOKENS) throw new Error(`more than ${MAX_TOKENS} distinct name tokens`);
      this.ids.set(token, id);
      this.tokens.push(token);
      const codes = phoneticCodes(token);
      this.phonetics.push(codes);
      this.weak.push(WEAK_TOKENS.has(token));
      for (const code of new Set(codes ?? [])) {
        const group = this.phoneticGroups.get(code);
        if (group) group.push(id);
        else this.phoneticGroups.set(code, [id]);
      }
    }
    return id;
  }

  /** Builds the edit table once every token is in. */
  seal(): void {
    const keys: number[] = [];
    this.tokens.forEach((token, id) => {
      if (token.length < MIN_EDIT_LENGTH || this.weak[id]) return;
      keys.push(hash(token) * MAX_TOKENS + id);
      for (let i = 0; i < token.length; i++) keys.push(hash(token, i) * MAX_TOKENS + id);
    });
    this.edits = Float64Array.from(keys).sort();
    this.recent.clear();
  }

  /** Token `id` as name-score.ts compares it. */
  view(id: number): ScoredToken {
    return { text: this.tokens[id], phonetic: this.phonetics[id], weak: this.weak[id] };
  }

  /**
   * Ids of the tokens a query token may be a variant of: itself, those one or two edits away
   * (insertion, deletion, substitution, transposition) and those that sound alike (particles only
   * when they could pair with it, name-score.ts), each once.
   * `codes` are the token's phoneticCodes. The answer is shared with later calls: not to be changed.
   */
  near(token: string, codes: readonly [string, string] | undefined): readonly number[] {
    let ids = this.recent.get(token);
    if (ids === undefined) {
      ids = [...this.lookUpNear(token, codes)];
      this.recent.set(token, ids);
    }
    return ids;
  }

  private lookUpNear(token: string, codes: readonly [string, string] | undefined): Set<number> {
    const found = new Set<number>();
    const exact = this.ids.get(token);
    if (exact !== undefined) found.add(exact);
    if (token.length >= MIN_EDIT_LENGTH - 1) {
      this.lookUpEdits(hash(token), found);
      if (token.length >= MIN_EDIT_LENGTH) for (let i = 0; i < token.length; i++) this.lookUpEdits(hash(token, i), found);
    }
    // A particle is in a great many names and sounds like many tokens: a strong token's spellings
    // keep one only when the two can pair at all ("abou" and "abu"), not when they merely sound
    // alike ("ta" and "du"). The edit table leaves particles out.
    const query = { text: token, phonetic: codes, weak: WEAK_TOKENS.has(token) };
    for (const code of new Set(codes ?? [])) {
      for (const id of this.phoneticGroups.get(code) ?? []) {
        if (query.weak || !this.weak[id] || tokenSimilarity(query, this.view(id)) > 0) found.add(id);
      }
    }
    return found;
  }

  private lookUpEdits(key: number, found: Set<number>): void {
    const edits = this.edits;
    let low = 0;
    let high = edits.length;
    const start = key * MAX_TOKENS;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (edits[mid] < start) low = mid + 1;
      else high = mid;
    }
    for (let i = low; i < edits.length && edits[i] < start + MAX_TOKENS; i++) found.add(edits[i] - start);
  }
}
