// How alike two names are, in [0, 1]: tokens aligned in any order, each pair scored, missing tokens costed.
import { jaroWinkler } from '@skyra/jaro-winkler';

/** An initial ("J") against a token it begins ("John"). */
export const INITIAL_SIMILARITY = 0.9;
/** Token pairs less alike than this (Jaro-Winkler) are no match at all: "john" and "jane" share nothing. */
export const TOKEN_FLOOR = 0.8;
/** Tokens that sound alike (same Double Metaphone code) close this share of their remaining distance. */
const PHONETIC_PULL = 0.5;
/** Below this Jaro-Winkler, sounding alike is not enough ("hassan" and "hussein" stay apart). */
export const PHONETIC_FLOOR = 0.75;

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
  if (jaroWinklerCeiling(a.text, b.text) < PHONETIC_FLOOR - ROUNDING) return 0;
  let similarity = jaroWinkler(a.text, b.text);
  if (similarity >= PHONETIC_FLOOR && soundAlike(a.phonetic, b.phonetic)) similarity += (1 - similarity) * PHONETIC_PULL;
  return similarity >= TOKEN_FLOOR ? similarity : 0;
}

/** Floating-point slack: a ceiling is trusted only this far below a floor. */
const ROUNDING = 1e-9;
/** Character counts of one token (tokens are ASCII letters and digits, name-tokens.ts). */
const counts = new Int16Array(128);

/**
 * At least jaroWinkler(a, b), cheaply: Jaro's matches are at most the characters the two share
 * (as multisets) and its transposition term at most 1; the prefix is counted as the library
 * counts it (4 equal first characters count 5). Most token pairs of different names fall far
 * below the floors, and never reach the library.
 */
export function jaroWinklerCeiling(a: string, b: string): number {
  for (let i = 0; i < a.length; i++) counts[a.charCodeAt(i) & 127] += 1;
  let shared = 0;
  for (let i = 0; i < b.length; i++) {
    const c = b.charCodeAt(i) & 127;
    if (counts[c] > 0) {
      counts[c] -= 1;
      shared += 1;
    }
  }
  for (let i = 0; i < a.length; i++) counts[a.charCodeAt(i) & 127] = 0;
  if (shared === 0) return 0;
  let prefix = 0;
  while (prefix < 4 && a[prefix] === b[prefix]) prefix += 1;
  if (prefix === 4) prefix = 5;
  const jaro = (shared / a.length + shared / b.length + 1) / 3;
  return jaro + prefix * 0.1 * (1 - jaro);
}

function soundAlike(a: readonly [string, string] | undefined, b: readonly [string, string] | undefined): boolean {
  return !!a && !!b && (a[0] === b[0] || a[0] === b[1] || a[1] === b[0] || a[1] === b[1]);
}

const weightOf = (token: ScoredToken) => (token.weak ? 1 : token.text.length === 1 ? 2 : token.text.length);
const strong = (token: ScoredToken) => !token.weak && token.text.length > 1;

/** Scratch space for the pairs of one score: at most MAX_TOKENS × MAX_TOKENS (name-tokens.ts). */
const PAIRS = 144;
const pairScores = new Float64Array(PAIRS);
const pairQuery = new Uint8Array(PAIRS);
const pairCandidate = new Uint8Array(PAIRS);

/**
 * Pairs the tokens greedily, most alike first, each used once, so that order does not matter.
 * The score is the weighted similarity of the pairs (weights are token lengths: a long surname
 * counts more than an initial), less a cost per token left unpaired (see the constants above).
 * `similarity(i, j)` gives the similarity of query token i and candidate token j. Names have at
 * most MAX_TOKENS (12) tokens.
 */
export function nameScore(query: readonly ScoredToken[], candidate: readonly ScoredToken[], similarity: (i: number, j: number) => number): number {
  let count = 0;
  for (let i = 0; i < query.length; i++) {
    for (let j = 0; j < candidate.length; j++) {
      const s = similarity(i, j);
      if (s <= 0) continue;
      // Insertion, keeping equal scores in the order found (as a stable sort would).
      let k = count++;
      while (k > 0 && pairScores[k - 1] < s) {
        pairScores[k] = pairScores[k - 1];
        pairQuery[k] = pairQuery[k - 1];
        pairCandidate[k] = pairCandidate[k - 1];
        k--;
      }
      pairScores[k] = s;
      pairQuery[k] = i;
      pairCandidate[k] = j;
    }
  }
  let usedQ = 0;
  let usedC = 0;
  let weighted = 0;
  let weights = 0;
  let strongPairs = 0;
  for (let k = 0; k < count; k++) {
    const i = pairQuery[k];
    const j = pairCandidate[k];
    if (usedQ & (1 << i) || usedC & (1 << j)) continue;
    usedQ |= 1 << i;
    usedC |= 1 << j;
    const weight = (weightOf(query[i]) + weightOf(candidate[j])) / 2;
    weighted += weight * pairScores[k];
    weights += weight;
    if (strong(query[i]) || strong(candidate[j])) strongPairs += 1;
  }
  if (strongPairs === 0) return 0;
  return Math.max(0, weighted / weights - missingCost(query, usedQ, candidate, usedC));
}

function missingCost(query: readonly ScoredToken[], usedQ: number, candidate: readonly ScoredToken[], usedC: number): number {
  const q = unpaired(query, usedQ);
  const c = unpaired(candidate, usedC);
  const weakCost = (q.weak + c.weak) * MISSING_WEAK_COST;
  if (q.missing > 0 && c.missing > 0) return (q.missing + c.missing) * UNSHARED_TOKEN_COST + weakCost;
  const single = (q.missing > 0 ? c.strong : q.strong) <= 1;
  return (q.missing + c.missing) * (single ? MISSING_BESIDE_SINGLE_COST : MISSING_TOKEN_COST) + weakCost;
}

/** Of a name's tokens: those left unpaired (particles apart), the particles left unpaired, and the strong ones. */
function unpaired(tokens: readonly ScoredToken[], used: number): { missing: number; weak: number; strong: number } {
  let missing = 0;
  let weak = 0;
  let strongCount = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (strong(t)) strongCount += 1;
    if (used & (1 << i)) continue;
    if (t.weak) weak += 1;
    else missing += 1;
  }
  return { missing, weak, strong: strongCount };
}

/**
 * The least that unpaired tokens cost a name, knowing at least `missingQ` tokens of the query and
 * `missingC` of the candidate (particles and legal forms aside) stay unpaired: what nameScore takes
 * off is never less.
 */
export function leastMissingCost(missingQ: number, missingC: number): number {
  return (missingQ + missingC) * (missingQ > 0 && missingC > 0 ? UNSHARED_TOKEN_COST : MISSING_TOKEN_COST);
}
