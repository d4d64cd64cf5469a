import { createHash } from 'node:crypto';
import { sha256 } from './decision-chain';

describe('sha256', () => {
  it('gives the standard digest (FIPS 180-2 test vector "abc")', () => {
    expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('hashes text as UTF-8, as stored chains were hashed', () => {
    for (const text of ['Zoë Müller', '李小龍', '{"amount":"0.10"}', '']) {
      expect(sha256(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
    }
  });
});
