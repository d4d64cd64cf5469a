// Every distinct token of the loaded names, with the keys that find near spellings of a token fast.
import { LRUCache } from 'lru-cache';
import { phoneticCodes, WEAK_TOKENS } from './name-tokens';
import { ScoredToken, tokenSimilarity } from './name-score';
import { Growable, growableFloat64, growableInt32 } from './growable';
import { fnv1a, StringTable } from './packed-strings';

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

/** What TokenVocabulary collects while names are added. */
interface Adding {
  readonly ids: Map<string, number>;
  readonly tokens: string[];
  readonly codeIds: Map<string, number>;
  /** Two per token: its phonetic codes' ids, -1 for initials and numbers. */
  readonly tokenCodes: Growable<Int32Array<ArrayBuffer>>;
  /** By code id, the tokens holding it, ascending. */
  readonly members: number[][];
}

/** The id of a phonetic code, adding it when new. */
function codeIdOf(adding: Adding, code: string): number {
  let c = adding.codeIds.get(code);
  if (c === undefined) {
    c = adding.members.length;
    adding.codeIds.set(code, c);
    adding.members.push([]);
  }
  return c;
}

export class TokenVocabulary {
  /**
   * The tokens while names are added, with each token's two phonetic code ids (-1 for none), and
   * the tokens of each code: seal() packs them and drops these. Codes are made as tokens come in,
   * so that a list being read yields the event loop between them (live-sanctions-index.ts).
   */
  private adding: Adding | undefined = { ids: new Map(), tokens: [], codeIds: new Map(), tokenCodes: growableInt32(), members: [] };
  /**
   * Once sealed, the vocabulary is a handful of typed arrays and two strings. Why: it lives as long
   * as the index, in the old generation, and a full collection marks each of its objects. Kept as a
   * Map, arrays and an object per token, at 1 M names it was 66 MB of heap in 1.2 M objects: a full
   * collection took 46 to 64 ms (3 to 7 without them), and under load held validate for up to 90 ms.
   */
  private texts = StringTable.of([]);
  /** 1 for a particle or legal form, by token id. */
  private weakIds = new Uint8Array(0);
  /** Both Double Metaphone codes of each token (`codes` indexes, at 2 id and 2 id + 1), -1 for initials and numbers. */
  private tokenCodes = new Int32Array(0);
  private codes = StringTable.of([]);
  /** The tokens sounding like code c: `groupIds[groupStart[c]..groupStart[c + 1])`, ascending. */
  private groupStart = new Int32Array(1);
  private groupIds = new Int32Array(0);
  /**
   * Sorted hash * 2^21 + token id, for each token and each of its one-character deletions (SymSpell):
   * hashes, not strings (collisions only add candidates that scoring drops).
   */
  private edits = new Float64Array(0);
  private readonly recent = new LRUCache<string, readonly number[]>({ max: RECENT_TOKENS, maxSize: RECENT_IDS, sizeCalculation: (ids) => ids.length + 1 });

  /** How many distinct tokens there are. */
  get size(): number {
    return this.adding ? this.adding.tokens.length : this.texts.length;
  }

  idOf(token: string): number | undefined {
    if (this.adding) return this.adding.ids.get(token);
    const id = this.texts.indexOf(token);
    return id < 0 ? undefined : id;
  }

  /** The id of a token, adding it when new (until sealed). */
  intern(token: string): number {
    if (!this.adding) throw new Error('the vocabulary is sealed');
    const adding = this.adding;
    let id = adding.ids.get(token);
    if (id === undefined) {
      id = adding.tokens.length;
      if (id >= MAX_TOKENS) throw new Error(`more than ${MAX_TOKENS} distinct name tokens`);
      adding.ids.set(token, id);
      adding.tokens.push(token);
      const pair = phoneticCodes(token);
      const [first, second] = pair ? pair.map((code) => codeIdOf(adding, code)) : [-1, -1];
      adding.tokenCodes.push(first);
      adding.tokenCodes.push(second);
      if (first >= 0) adding.members[first].push(id);
      if (second !== first) adding.members[second].push(id);
    }
    return id;
  }

  /** Packs the tokens with their phonetic codes and builds the edit table, once every token is in. */
  seal(): void {
    if (!this.adding) return;
    const { tokens, codeIds, tokenCodes, members } = this.adding;
    this.adding = undefined;
    this.texts = StringTable.of(tokens);
    this.weakIds = Uint8Array.from(tokens, (token) => (WEAK_TOKENS.has(token) ? 1 : 0));
    this.tokenCodes = tokenCodes.toArray();
    this.codes = StringTable.of([...codeIds.keys()]);
    this.groupStart = new Int32Array(members.length + 1);
    members.forEach((ids, c) => (this.groupStart[c + 1] = this.groupStart[c] + ids.length));
    this.groupIds = Int32Array.from(members.flat());
    const keys = growableFloat64(4 * tokens.length);
    tokens.forEach((token, id) => {
      if (token.length < MIN_EDIT_LENGTH || this.weakIds[id] === 1) return;
      keys.push(fnv1a(token) * MAX_TOKENS + id);
      for (let i = 0; i < token.length; i++) keys.push(fnv1a(token, i) * MAX_TOKENS + id);
    });
    this.edits = keys.toArray().sort();
    this.recent.clear();
  }

  textOf(id: number): string {
    return this.texts.at(id);
  }

  isWeak(id: number): boolean {
    return this.weakIds[id] === 1;
  }

  /** Token `id` as name-score.ts compares it: made on each call (a query keeps the ones it uses, query-scorer.ts). */
  view(id: number): ScoredToken {
    if (this.adding) throw new Error('the vocabulary is not sealed yet');
    const first = this.tokenCodes[2 * id];
    const phonetic: readonly [string, string] | undefined = first < 0 ? undefined : [this.codes.at(first), this.codes.at(this.tokenCodes[2 * id + 1])];
    return { text: this.textOf(id), phonetic, weak: this.isWeak(id) };
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
    const exact = this.idOf(token);
    if (exact !== undefined) found.add(exact);
    if (token.length >= MIN_EDIT_LENGTH - 1) {
      this.lookUpEdits(fnv1a(token), found);
      if (token.length >= MIN_EDIT_LENGTH) for (let i = 0; i < token.length; i++) this.lookUpEdits(fnv1a(token, i), found);
    }
    // A particle is in a great many names and sounds like many tokens: a strong token's spellings
    // keep one only when the two can pair at all ("abou" and "abu"), not when they merely sound
    // alike ("ta" and "du"). The edit table leaves particles out.
    const query = { text: token, phonetic: codes, weak: WEAK_TOKENS.has(token) };
    for (const code of new Set(codes ?? [])) {
      const c = this.codes.indexOf(code);
      if (c < 0) continue;
      for (let p = this.groupStart[c]; p < this.groupStart[c + 1]; p++) {
        const id = this.groupIds[p];
        if (query.weak || this.weakIds[id] === 0 || tokenSimilarity(query, this.view(id)) > 0) found.add(id);
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
