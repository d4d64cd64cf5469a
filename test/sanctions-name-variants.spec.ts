// Matching quality at the shipped threshold (0.9) on a labelled set: variants of listed names must hit, other names mostly not.
import { SanctionsIndexBuilder } from '../src/adapters/sanctions/matching/sanctions-index';
import { evaluate, generateList, labelledSet } from '../bench/sanctions-names.mjs';

const SHIPPED_THRESHOLD = 0.9;

describe('sanctions name matching on a labelled set of variants', () => {
  it('finds transliterations, swapped tokens, initials and typos of listed names, and rarely alerts on others', () => {
    const list = generateList(20_000);
    const builder = new SanctionsIndexBuilder();
    for (const entry of list.entries) builder.add('UN', entry);
    const index = builder.build([{ source: 'UN', version: 'generated', loadedAt: new Date(), entries: list.entries.length }]);
    const cases = labelledSet(list, 1000, 1000);
    const result = evaluate(cases, (query: string) => index.screen({ name: query, minScore: SHIPPED_THRESHOLD }));
    console.log(`[sanctions matching] 20,000 names, ${cases.length} labelled queries at ${SHIPPED_THRESHOLD}: recall ${result.recall.toFixed(3)}, precision ${result.precision.toFixed(3)}`, result.kinds);
    for (const kind of ['transliteration', 'swapped tokens', 'initials', 'typo']) {
      expect(result.kinds[kind].cases).toBeGreaterThan(100);
      expect(result.kinds[kind].found / result.kinds[kind].cases).toBeGreaterThanOrEqual(0.97);
    }
    expect(result.recall).toBeGreaterThanOrEqual(0.98);
    expect(result.precision).toBeGreaterThanOrEqual(0.93);
    expect(result.kinds['not listed: unknown surname'].found / result.kinds['not listed: unknown surname'].cases).toBeLessThan(0.05);
  });
});
