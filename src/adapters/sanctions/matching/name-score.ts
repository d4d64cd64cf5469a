// How alike two names are, in [0, 1]: tokens aligned in any order, each pair scored, missing tokens costed.
import { jaroWinkler } from '@skyra/jaro-winkler';

/** An initial ("J") against a token it begins ("John"). */
export const INITIAL_SIMILARITY = 0.9;
/** Token pairs less alike than this (Jaro-Winkler) are no match at all: "john" and "jane" share nothing. */
export const TOKEN_FLOOR = 0.8;
/** Tokens that sound alike (same Double Metaphone code) close this share of their remaining distance. */
const PHONETIC_PULL = 0.5;
/** Below this Jaro-Winkler, sounding alike is not enough ("hassan" and "hussein" stay apart). */
const PHONETIC_FLOOR = 0.75;

/**
 * What missing tokens cost, when one name is the other plus some tokens (a middle name, a
 * patronymic): one missing token alone leaves a name under 0.9, an agreeing date of birth lifts it over.
 */
export const MISSING_TOKEN_COST = 0.11;
/** ... when the shorter name has a single token ("Smith" against "John Smith"). */
const MISSING_BESIDE_SINGLE_COST = 0.12;
/** ... when both names have tokens the other lacks: probably different people sharing a name. */
const UNSHARED_TOKEN_COST = 0.15;
const MISSING_WEAK_COST = 0.02;

export interface ScoredToken {
  readonly text: string;
  readonly phonetic: readonly [string, string] | undefined;
  /** A particle or legal form (al, bin, ltd): weighs little. */
  readonly weak: boolean;
}

export function tokenSimilarity(a: ScoredToken, b: ScoredToken): number {
  if (a.text === b.text) return 1;
  if (a.text.length === 1 || b.text.length === 1) return a.text[0] === b.text[0] ? INITIAL_SIMILARITY : 0;
  let similarity = jaroWinkler(a.text, b.text);
  if (similarity >= PHONETIC_FLOOR && soundAlike(a.phonetic, b.phonetic)) similarity += (1 - similarity) * PHONETIC_PULL;
  return similarity >= TOKEN_FLOOR ? similarity : 0;
}

function soundAlike(a: readonly [string, string] | undefined, b: readonly [string, string] | undefined): boolean {
  return !!a && !!b && (a[0] === b[0] || a[0] === b[1] || a[1] === b[0] || a[1] === b[1]);
}

const weightOf = (token: ScoredToken) => (token.weak ? 1 : token.text.length === 1 ? 2 : token.text.length);
const strong = (token: ScoredToken) => !token.weak && token.text.length > 1;

/**
 * Pairs the tokens greedily, most alike first, each used once, so that order does not matter.
 * The score is the weighted similarity of the pairs (weights are token lengths: a long surname
 * counts more than an initial), less a cost per token left unpaired (see the constants above).
 * `similarity(i, j)` gives the similarity of query token i and candidate token j.
 */
export function nameScore(query: readonly ScoredToken[], candidate: readonly ScoredToken[], similarity: (i: number, j: number) => number): number {
  const pairs: [number, number, number][] = [];
  for (let i = 0; i < query.length; i++) {
    for (let j = 0; j < candidate.length; j++) {
      const s = similarity(i, j);
      if (s > 0) pairs.push([s, i, j]);
    }
  }
  pairs.sort((x, y) => y[0] - x[0]);
  const usedQ = new Uint8Array(query.length);
  const usedC = new Uint8Array(candidate.length);
  let weighted = 0;
  let weights = 0;
  let strongPairs = 0;
  for (const [s, i, j] of pairs) {
    if (usedQ[i] || usedC[j]) continue;
    usedQ[i] = usedC[j] = 1;
    const weight = (weightOf(query[i]) + weightOf(candidate[j])) / 2;
    weighted += weight * s;
    weights += weight;
    if (strong(query[i]) || strong(candidate[j])) strongPairs += 1;
  }
  if (strongPairs === 0) return 0;
  return Math.max(0, weighted / weights - missingCost(query, usedQ, candidate, usedC));
}

function missingCost(query: readonly ScoredToken[], usedQ: Uint8Array, candidate: readonly ScoredToken[], usedC: Uint8Array): number {
  const count = (tokens: readonly ScoredToken[], used: Uint8Array, pick: (t: ScoredToken) => boolean) => tokens.filter((t, i) => !used[i] && pick(t)).length;
  const missingQ = count(query, usedQ, (t) => !t.weak);
  const missingC = count(candidate, usedC, (t) => !t.weak);
  const weakCost = (count(query, usedQ, (t) => t.weak) + count(candidate, usedC, (t) => t.weak)) * MISSING_WEAK_COST;
  if (missingQ > 0 && missingC > 0) return (missingQ + missingC) * UNSHARED_TOKEN_COST + weakCost;
  const shorter = missingQ > 0 ? candidate : query;
  const single = shorter.filter(strong).length <= 1;
  return (missingQ + missingC) * (single ? MISSING_BESIDE_SINGLE_COST : MISSING_TOKEN_COST) + weakCost;
}
