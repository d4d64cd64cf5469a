// The loaded lists in memory, indexed by name token: screening one name costs well under a millisecond at 1 M names.
import { LoadedList, SanctionsEntry, SanctionsEntryKind, SanctionsSource } from '../../../domain/sanctions';
import { nameTokens, phoneticCodes, WEAK_TOKENS } from './name-tokens';
import { QueryScorer } from './query-scorer';
import { CandidateFinder, IndexedNames } from './candidate-finder';
import { letterMask } from './query-shape';
import { invertedIndex, nameFeatures, Postings } from './postings';
import { adjustedScore, adjustForEvidence, BIRTH_DATE_AGREES, COUNTRY_AGREES, Evidence, ListedEvidence } from './evidence-adjustments';
import { Found, FoundEntries } from './found-entries';
import { ListedEntries, PackedStrings } from './packed-strings';
import { growableInt32, growableUint32, growableUint8 } from './growable';
import { PairPostings } from './pair-postings';
import { TokenVocabulary } from './token-vocabulary';

export type { LoadedList };

export interface NameQuery extends Evidence {
  readonly name: string;
  /** Hits scoring less than this (after the evidence) are not returned. */
  readonly minScore: number;
  /** Only these lists; all when absent. */
  readonly sources?: ReadonlySet<SanctionsSource>;
}

/** The best hits of a name, and how many entries it hit in all. */
export interface ScreenedHits {
  readonly hits: NameHit[];
  readonly total: number;
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

export class SanctionsIndex {
  private readonly finder: CandidateFinder;
  private readonly scorer: QueryScorer;
  private readonly found: FoundEntries;

  constructor(
    readonly lists: readonly LoadedList[],
    private readonly entries: ListedEntries,
    vocabulary: TokenVocabulary,
    /** `listed`: the lists' own names, which `entry` and `text` hold along with the joined spellings of hyphenated ones. */
    private readonly names: IndexedNames & { readonly entry: Int32Array; readonly text: PackedStrings; readonly listed: number },
    postings: { readonly all: Postings; readonly singles: Postings; readonly pairs: PairPostings },
  ) {
    this.finder = new CandidateFinder(vocabulary, names, postings.all, postings.singles, postings.pairs);
    this.scorer = new QueryScorer(vocabulary);
    this.found = new FoundEntries(entries.length);
  }

  static empty(): SanctionsIndex {
    return new SanctionsIndexBuilder().build([]);
  }

  /** Primary names and aliases, each once. */
  get nameCount(): number {
    return this.names.listed;
  }

  /**
   * Every entry one of whose names scores at least `minScore` against the query, best first, one
   * hit per entry. Ties do not depend on the order candidates are found in: between two names of an
   * entry the one loaded first (the primary name before its aliases), between entries the one loaded first.
   */
  screen(query: NameQuery): NameHit[] {
    return this.top(query, Infinity).hits;
  }

  /**
   * The best `limit` hits of `screen`, with how many entries hit in all; entries that `excluded`
   * says an analyst allowed neither count nor hit. Only the hits returned are unpacked, so a common
   * name hitting hundreds of entries costs little more than its scores.
   */
  top(query: NameQuery, limit: number, excluded?: (source: SanctionsSource, entryId: string) => boolean): ScreenedHits {
    const tokens = nameTokens(query.name).map((text) => ({ text, phonetic: phoneticCodes(text), weak: WEAK_TOKENS.has(text) }));
    const mostAdded = (query.birthDate ? BIRTH_DATE_AGREES : 0) + (query.country ? COUNTRY_AGREES : 0);
    const least = query.minScore - mostAdded;
    const { tokenStart, tokenIds } = this.names;
    const found = this.found;
    found.clear();
    this.scorer.begin(tokens);
    for (const n of this.finder.find(tokens, least)) {
      const entryIndex = this.names.entry[n];
      if (query.sources && !query.sources.has(this.entries.sourceOf(entryIndex))) continue;
      const score = this.scorer.score(tokenIds, tokenStart[n], tokenStart[n + 1], least);
      if (score < 0 || score + mostAdded < query.minScore) continue;
      const adjusted = adjustedScore(score, query, mostAdded > 0 ? this.entries.evidenceOf(entryIndex) : NO_EVIDENCE);
      if (adjusted >= query.minScore) found.offer(entryIndex, n, score, adjusted);
    }
    const { best, total } = found.best(limit, excluded && ((entry) => excluded(this.entries.sourceOf(entry), this.entries.idOf(entry))));
    return { hits: best.map((f) => this.hit(f, query)), total };
  }

  private hit(found: Found, query: NameQuery): NameHit {
    const entry = this.entries.at(found.entry);
    const { notes } = adjustForEvidence(found.nameScore, query, entry);
    return { source: entry.source, entryId: entry.entryId, entryName: entry.name, kind: entry.kind, matchedName: this.names.text.at(found.name), nameScore: found.nameScore, score: found.score, notes };
  }
}

const NO_EVIDENCE: ListedEvidence = { birthDates: [], countries: [] };

/** A hyphen joining two letters, of any script: "AL-ZAWAHIRI", "Abdul-Rahman". */
const HYPHEN_BETWEEN_LETTERS = /(?<=\p{L})[-\u2010\u2011](?=\p{L})/gu;

/** Collects the entries of every list, then builds the index in one go. */
export class SanctionsIndexBuilder {
  private readonly vocabulary = new TokenVocabulary();
  private readonly entries = ListedEntries.builder();
  private readonly nameEntry = growableInt32();
  private readonly nameText: string[] = [];
  private readonly tokenStart = growableInt32();
  private readonly tokenIds = growableInt32();
  private readonly strong = growableUint8();
  private readonly letters = growableUint32();
  private listed = 0;

  constructor() {
    this.tokenStart.push(0);
  }

  add(source: SanctionsSource, entry: SanctionsEntry): void {
    const index = this.entries.add(source, entry);
    for (const name of new Set([entry.name, ...entry.aliases])) {
      if (!this.addName(index, name, nameTokens(name))) continue;
      this.listed += 1;
      // "AL-ZAWAHIRI" is written "Alzawahiri" as often as "Al Zawahiri": a hyphenated name is also
      // indexed with its parts joined, under the same text, so that a hit names the list's spelling.
      const joined = name.replace(HYPHEN_BETWEEN_LETTERS, '');
      if (joined !== name) this.addName(index, name, nameTokens(joined));
    }
  }

  /** False for a name with no token to index. */
  private addName(index: number, name: string, tokens: readonly string[]): boolean {
    if (tokens.length === 0) return false;
    this.nameEntry.push(index);
    this.nameText.push(name);
    for (const token of tokens) this.tokenIds.push(this.vocabulary.intern(token));
    this.tokenStart.push(this.tokenIds.length);
    this.strong.push(tokens.filter((t) => t.length > 1 && !WEAK_TOKENS.has(t)).length);
    this.letters.push(letterMask(tokens));
    return true;
  }

  build(lists: readonly LoadedList[]): SanctionsIndex {
    const vocabulary = this.vocabulary;
    vocabulary.seal();
    const tokenIds = this.tokenIds.toArray();
    const tokenStart = this.tokenStart.toArray();
    const names = { entry: this.nameEntry.toArray(), text: PackedStrings.of(this.nameText), tokenStart, tokenIds, listed: this.listed };
    // Each name's strong-token count and first letters travel with its postings only.
    const strong = this.strong.toArray();
    const features = nameFeatures(strong, this.letters.toArray());
    const all = invertedIndex(vocabulary.size, tokenStart, tokenIds, undefined, features);
    const singles = invertedIndex(vocabulary.size, tokenStart, tokenIds, (n) => strong[n] <= 1, features);
    const pairs = PairPostings.build(tokenStart, tokenIds, all, features);
    return new SanctionsIndex(lists, this.entries.build(), vocabulary, names, { all, singles, pairs });
  }
}
