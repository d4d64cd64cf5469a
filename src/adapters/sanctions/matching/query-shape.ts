// What a query asks of an indexed name before its tokens are read: a strong-token count near the query's, and the first letters its initials need.
import { MISSING_TOKEN_COST, ScoredToken } from './name-score';

/** Candidates whose strong-token counts differ by more than this cannot reach any useful score. */
const MAX_TOKEN_COUNT_GAP = 3;

/** What a query asks of a name's strong-token count and first letters (CandidateFinder.find). */
export interface QueryShape {
  /** The query's strong tokens that have finders (CandidateFinder.finders), however merged. */
  readonly strongTokens: number;
  readonly tokens: number;
  readonly initials: readonly number[];
  readonly reachable: number;
}

/** Bit (letter - 'a') per distinct first letter of the tokens; 0 for a token not starting with a-z. */
export function letterMask(tokens: readonly string[]): number {
  let mask = 0;
  for (const token of tokens) {
    const letter = token.charCodeAt(0) - 97;
    if (letter >= 0 && letter < 26) mask |= 1 << letter;
  }
  return mask;
}

/**
 * Whether a name with `strongCount` strong tokens and first `letters` may reach `shape.reachable`:
 * candidates whose strong-token counts differ too much, or that unpaired tokens alone keep under it, are not.
 */
export function keeps(shape: QueryShape, strongCount: number, letters: number): boolean {
  return Math.abs(strongCount - shape.strongTokens) <= MAX_TOKEN_COUNT_GAP && leastMissingCost(shape.tokens, shape.initials, letters, strongCount) <= 1 - shape.reachable;
}

export function initialLetters(tokens: readonly ScoredToken[]): number[] {
  return tokens.filter((t) => t.text.length === 1).map((t) => t.text.charCodeAt(0) - 97);
}

/**
 * The least that unpaired tokens can cost a name against the query (name-score.ts): an initial
 * pairs only with a token of the same first letter, so each initial whose letter the name lacks
 * stays unpaired, and each strong token of the name needs a query token of its own.
 */
function leastMissingCost(queryTokens: number, initials: readonly number[], letters: number, strongCount: number): number {
  let missingQuery = 0;
  for (const letter of initials) if (letter < 0 || letter >= 26 || (letters & (1 << letter)) === 0) missingQuery += 1;
  const missingName = Math.max(0, strongCount - (queryTokens - missingQuery));
  return (missingQuery + missingName) * MISSING_TOKEN_COST;
}
