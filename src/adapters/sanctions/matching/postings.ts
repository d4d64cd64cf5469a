// The inverted index of the loaded names: for each token id, the names holding it.

/** For each token id, names holding it: one flat array sliced by `start`, names ascending. */
export interface Postings {
  readonly start: Int32Array;
  readonly names: Int32Array;
  /** Per posting, its name's `nameFeatures`: read in turn with the postings, where reading them by name is a cache miss each. */
  readonly features?: Uint32Array;
}

/** Bits of a name's features below its strong-token count (at most 12: 4 bits): its first letters. */
export const STRONG_SHIFT = 26;
export const LETTERS = 2 ** STRONG_SHIFT - 1;

/** What CandidateFinder.find reads of a name before its tokens, from its strong-token count and first letters (candidate-finder.ts), in 32 bits. */
export function nameFeatures(strong: Uint8Array, letters: Uint32Array): Uint32Array {
  const features = new Uint32Array(letters.length);
  for (let n = 0; n < letters.length; n++) features[n] = strong[n] * 2 ** STRONG_SHIFT + letters[n];
  return features;
}

/**
 * For each token id, the names that contain it (only those `keep` accepts): one flat array, sliced
 * by `start`; with each name's `features` beside it when given.
 */
export function invertedIndex(tokenCount: number, tokenStart: Int32Array, tokenIds: Int32Array, keep: (name: number) => boolean = () => true, features?: Uint32Array): Postings {
  const start = new Int32Array(tokenCount + 1);
  for (let n = 0; n + 1 < tokenStart.length; n++) {
    if (!keep(n)) continue;
    for (let p = tokenStart[n]; p < tokenStart[n + 1]; p++) start[tokenIds[p] + 1] += 1;
  }
  for (let t = 0; t < tokenCount; t++) start[t + 1] += start[t];
  const fill = start.slice(0, tokenCount);
  const flat = new Int32Array(start[tokenCount]);
  const flatFeatures = features ? new Uint32Array(flat.length) : undefined;
  for (let n = 0; n + 1 < tokenStart.length; n++) {
    if (!keep(n)) continue;
    for (let p = tokenStart[n]; p < tokenStart[n + 1]; p++) {
      const at = fill[tokenIds[p]]++;
      flat[at] = n;
      if (flatFeatures) flatFeatures[at] = features![n];
    }
  }
  return { start, names: flat, features: flatFeatures };
}
