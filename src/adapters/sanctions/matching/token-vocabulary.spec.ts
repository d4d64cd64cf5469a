import { phoneticCodes, WEAK_TOKENS } from './name-tokens';
import { TokenVocabulary } from './token-vocabulary';

function vocabularyOf(tokens: readonly string[]): TokenVocabulary {
  const vocabulary = new TokenVocabulary();
  for (const token of tokens) vocabulary.intern(token);
  vocabulary.seal();
  return vocabulary;
}

describe('TokenVocabulary', () => {
  const tokens = ['mohammed', 'muhammad', 'al', 'smith', 'smyth', 'j', '1970', 'ibrahim', 'abu', 'abou'];

  it('gives the same ids, texts, phonetic codes and particles once packed as it was given', () => {
    const vocabulary = new TokenVocabulary();
    const ids = [...tokens, 'smith', 'al'].map((token) => vocabulary.intern(token));
    expect(ids).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 3, 2]);
    expect(vocabulary.size).toBe(tokens.length);
    vocabulary.seal();

    expect(vocabulary.size).toBe(tokens.length);
    tokens.forEach((token, id) => {
      expect(vocabulary.idOf(token)).toBe(id);
      expect(vocabulary.view(id)).toEqual({ text: token, phonetic: phoneticCodes(token), weak: WEAK_TOKENS.has(token) });
    });
    expect(vocabulary.idOf('smit')).toBeUndefined();
    expect(() => vocabulary.intern('new')).toThrow(/sealed/);
  });

  it('finds near spellings by edits and by sound once packed, each once', () => {
    const vocabulary = vocabularyOf(tokens);
    const near = (token: string) => [...vocabulary.near(token, phoneticCodes(token))].map((id) => vocabulary.view(id).text).sort();
    expect(near('smith')).toEqual(['smith', 'smyth']);
    expect(near('mohamed')).toEqual(['mohammed', 'muhammad']);
    // A particle sounding like a strong token stays its spelling only when the two can pair.
    expect(near('abu')).toEqual(['abou', 'abu']);
    expect(near('zzzz')).toEqual([]);
  });

  it('finds tokens through either of their codes, in the order of the edits, then of each code\'s tokens by id', () => {
    // smith [SM0, XMT], schmidt [XMT, SMT], smyth [SM0, XMT]: "xmit" [SMT] sounds like schmidt's second code only.
    const vocabulary = vocabularyOf(['schmidt', 'smyth', 'mohammed', 'smith', 'muhammad']);
    expect(vocabulary.near('smith', phoneticCodes('smith'))).toEqual([3, 1, 0]); // itself, an edit away, then XMT's
    expect(vocabulary.near('schmidt', phoneticCodes('schmidt'))).toEqual([0, 1, 3]);
    expect(vocabulary.near('xmit', phoneticCodes('xmit'))).toEqual([0]);
  });

  it('refuses to give a token before it is sealed', () => {
    const vocabulary = new TokenVocabulary();
    vocabulary.intern('smith');
    expect(() => vocabulary.view(0)).toThrow(/not sealed/);
  });

  it('holds nothing when sealed empty', () => {
    const vocabulary = vocabularyOf([]);
    expect(vocabulary.size).toBe(0);
    expect(vocabulary.near('smith', phoneticCodes('smith'))).toEqual([]);
  });
});
