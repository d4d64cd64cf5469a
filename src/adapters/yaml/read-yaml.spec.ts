import { readYaml } from './read-yaml';

describe('readYaml', () => {
  it('refuses a number written with more digits than a binary double keeps, naming its line, and takes it as a string', () => {
    expect(readYaml('rules:\n  - threshold: 50000.123456789012345678')).toEqual({
      problem: 'not valid YAML or JSON: the number on line 2 has more than 15 significant digits, which a number cannot hold exactly: write it as a string',
    });
    // Not quoted in the problem: it may be a card number.
    const card = readYaml('{"rules": [{"above": 4111111111111111}]}');
    expect(card).toHaveProperty('problem', expect.stringContaining('the number on line 1'));
    expect(JSON.stringify(card)).not.toContain('4111111111111111');
    expect(readYaml('threshold: "50000.123456789012345678"')).toEqual({ document: { threshold: '50000.123456789012345678' } });
  });

  it('reads numbers a double holds as written: up to 15 significant digits, whatever the zeros around them', () => {
    expect(readYaml('a: 10000.50\nb: 123456789012345\nc: 0.000000000000000000001\nd: 1.0000000000000000000\ne: 0x1F')).toEqual({
      document: { a: 10000.5, b: 123456789012345, c: 1e-21, d: 1, e: 31 },
    });
  });

  it('reads a rule set stored by an earlier release as it was read then (lenient)', () => {
    expect(readYaml('threshold: 50000.123456789012345678', { lenient: true })).toEqual({ document: { threshold: 50000.12345678901 } });
  });
});
