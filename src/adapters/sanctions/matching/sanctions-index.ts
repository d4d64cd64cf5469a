// The loaded lists in memory, indexed by name token: screening one name costs well under a millisecond at 1 M names.
import { LoadedList, SanctionsEntry, SanctionsEntryKind, SanctionsSource } from '../../../domain/sanctions';
import { nameTokens, phoneticCodes, WEAK_TOKENS } from './name-tokens';
import { ScoredToken } from './name-score';
import { QueryScorer } from './query-scorer';
import { CandidateFinder, IndexedNames, letterMask } from './candidate-finder';
import { invertedIndex, nameFeatures, Postings } from './postings';
import { adjustForEvidence, BIRTH_DATE_AGREES, COUNTRY_AGREES, Evidence } from './evidence-adjustments';
import { ListedEntries, PackedStrings } from './packed-strings';
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

  constructor(
    readonly lists: readonly LoadedList[],
    private readonly entries: ListedEntries,
    vocabulary: TokenVocabulary,
    views: readonly ScoredToken[],
    private readonly names: IndexedNames & { readonly entry: Int32Array; readonly text: PackedStrings },
    postings: { readonly all: Postings; readonly singles: Postings; readonly pairs: PairPostings },
  ) {
    this.finder = new CandidateFinder(vocabulary, names, postings.all, postings.singles, postings.pairs);
    this.scorer = new QueryScorer(views);
  }

  static empty(): SanctionsIndex {
    return new SanctionsIndexBuilder().build([]);
  }

  get nameCount(): number {
    return this.names.entry.length;
  }

  /**
   * Every entry one of whose names scores at least `minScore` against the query, best first, one
   * hit per entry. Ties do not depend on the order candidates are found in: between two names of an
   * entry the one loaded first (the primary name before its aliases), between entries the one loaded first.
   */
  screen(query: NameQuery): NameHit[] {
    const tokens = nameTokens(query.name).map((text) => ({ text, phonetic: phoneticCodes(text), weak: WEAK_TOKENS.has(text) }));
    const best = new Map<number, { hit: NameHit; name: number }>();
    const mostAdded = (query.birthDate ? BIRTH_DATE_AGREES : 0) + (query.country ? COUNTRY_AGREES : 0);
    const least = query.minScore - mostAdded;
    const { tokenStart, tokenIds } = this.names;
    this.scorer.begin(tokens);
    for (const n of this.finder.find(tokens, least)) {
      if (query.sources && !query.sources.has(this.entries.sourceOf(this.names.entry[n]))) continue;
      const score = this.scorer.score(tokenIds, tokenStart[n], tokenStart[n + 1], least);
      if (score < 0 || score + mostAdded < query.minScore) continue;
      const entryIndex = this.names.entry[n];
      const entry = this.entries.at(entryIndex);
      const adjusted = adjustForEvidence(score, query, entry);
      const previous = best.get(entryIndex);
      if (adjusted.score < query.minScore || (previous && (previous.hit.score > adjusted.score || (previous.hit.score === adjusted.score && previous.name < n)))) continue;
      const hit = { source: entry.source, entryId: entry.entryId, entryName: entry.name, kind: entry.kind, matchedName: this.names.text.at(n), nameScore: score, score: adjusted.score, notes: adjusted.notes };
      best.set(entryIndex, { hit, name: n });
    }
    return [...best].sort(([a, x], [b, y]) => y.hit.score - x.hit.score || a - b).map(([, { hit }]) => hit);
  }
}

/** Collects the entries of every list, then builds the index in one go. */
export class SanctionsIndexBuilder {
  private readonly vocabulary = new TokenVocabulary();
  private readonly entries = ListedEntries.builder();
  private readonly nameEntry: number[] = [];
  private readonly nameText: string[] = [];
  private readonly tokenStart: number[] = [0];
  private readonly tokenIds: number[] = [];
  private readonly strong: number[] = [];
  private readonly letters: number[] = [];

  add(source: SanctionsSource, entry: SanctionsEntry): void {
    const index = this.entries.add(source, entry);
    for (const name of new Set([entry.name, ...entry.aliases])) {
      const tokens = nameTokens(name);
      if (tokens.length === 0) continue;
      this.nameEntry.push(index);
      this.nameText.push(name);
      for (const token of tokens) this.tokenIds.push(this.vocabulary.intern(token));
      this.tokenStart.push(this.tokenIds.length);
      this.strong.push(tokens.filter((t) => t.length > 1 && !WEAK_TOKENS.has(t)).length);
      this.letters.push(letterMask(tokens));
    }
  }

  build(lists: readonly LoadedList[]): SanctionsIndex {
    const vocabulary = this.vocabulary;
    vocabulary.seal();
    const tokenIds = Int32Array.from(this.tokenIds);
    const tokenStart = Int32Array.from(this.tokenStart);
    const names = { entry: Int32Array.from(this.nameEntry), text: PackedStrings.of(this.nameText), tokenStart, tokenIds, strong: Uint8Array.from(this.strong), letters: Uint32Array.from(this.letters) };
    const views = vocabulary.tokens.map((text, id) => ({ text, phonetic: vocabulary.phonetics[id], weak: vocabulary.weak[id] }));
    const all = invertedIndex(vocabulary.tokens.length, tokenStart, tokenIds, undefined, nameFeatures(names.strong, names.letters));
    const singles = invertedIndex(vocabulary.tokens.length, tokenStart, tokenIds, (n) => names.strong[n] <= 1);
    const pairs = PairPostings.build(tokenStart, tokenIds, all);
    return new SanctionsIndex(lists, this.entries.build(), vocabulary, views, names, { all, singles, pairs });
  }
}
