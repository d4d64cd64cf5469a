import { phoneticCodes, WEAK_TOKENS } from './name-tokens';
import { nameScore, ScoredToken, tokenSimilarity } from './name-score';
import { QueryScorer } from './query-scorer';

const view = (text: string): ScoredToken => ({ text, phonetic: phoneticCodes(text), weak: WEAK_TOKENS.has(text) });

describe('QueryScorer', () => {
  // Pairs alike despite different first letters ("Ebrahim" and "Ibrahim", a dropped first letter),
  // others alike with the same first letter, and unrelated tokens.
  const vocabulary = ['ibrahim', 'ebrahim', 'usama', 'osama', 'hassan', 'assan', 'khaled', 'chaled', 'smith', 'zorin', 'a', 'al', 'mohammed', '7th'];
  const views = vocabulary.map(view);
  const scorer = new QueryScorer({ size: views.length, view: (id) => views[id], textOf: (id) => views[id].text, isWeak: (id) => views[id].weak });
  const ids = (...tokens: string[]) => Int32Array.from(tokens, (t) => vocabulary.indexOf(t));

  it('scores every candidate as nameScore does, whatever the first letters, or turns it away only when it scores 0', () => {
    const queries = [['ibrahim', 'usama'], ['osama', 'hassan'], ['khaled', 'smith'], ['a', 'mohammed'], ['al', 'zorin', '7th']];
    const candidates = [['ebrahim', 'osama'], ['usama', 'assan'], ['chaled', 'smith'], ['mohammed'], ['zorin', '7th'], ['smith', 'zorin'], ['ibrahim']];
    for (const query of queries) {
      const queryViews = query.map(view);
      scorer.begin(queryViews);
      for (const candidate of candidates) {
        const expected = nameScore(queryViews, candidate.map(view), (i, j) => tokenSimilarity(queryViews[i], view(candidate[j])));
        const score = scorer.score(ids(...candidate), 0, candidate.length, 0);
        expect(score === -1 ? 0 : score).toBe(expected);
      }
    }
  });

  it('finds tokens with different first letters alike when they are', () => {
    scorer.begin([view('ibrahim'), view('usama')]);
    expect(scorer.score(ids('ebrahim', 'osama'), 0, 2, 0.9)).toBeGreaterThanOrEqual(0.9);
    expect(scorer.score(ids('ebrahim', 'osama'), 0, 2, 0.9)).toBe(nameScore([view('ibrahim'), view('usama')], [view('ebrahim'), view('osama')], (i, j) => tokenSimilarity([view('ibrahim'), view('usama')][i], [view('ebrahim'), view('osama')][j])));
  });
});
