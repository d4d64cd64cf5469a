import { SanctionsEntryKind } from '../../../domain/sanctions';
import { ListedEntries, PackedStrings } from './packed-strings';

describe('PackedStrings', () => {
  it('gives back each string exactly, empty ones and other scripts included', () => {
    const values = ['HUSSEIN, Saddam', '', 'Роснефть', 'Αλέξανδρος', 'x', '🙂 emoji'];
    const packed = PackedStrings.of(values);
    expect(packed.length).toBe(values.length);
    expect(values.map((_, i) => packed.at(i))).toEqual(values);
  });

  it('holds no strings', () => {
    expect(PackedStrings.of([]).length).toBe(0);
  });
});

describe('ListedEntries', () => {
  it('reads each entry back as added, with its own birth dates and countries, whatever its neighbours hold', () => {
    const builder = ListedEntries.builder();
    const first = builder.add('OFAC-SDN', { entryId: '2674', name: 'HUSSEIN, Saddam', kind: 'individual', birthDates: ['1937-04-28', '1937'], countries: ['IQ'] });
    const second = builder.add('UN', { entryId: 'QDe.004', name: 'ROSNEFT PAO', kind: 'entity', birthDates: [], countries: [] });
    const third = builder.add('UK', { entryId: 'RUS0001', name: 'Vessel ONE', kind: 'vessel', birthDates: [], countries: ['RU', 'PA'] });
    const entries = builder.build();

    expect([first, second, third]).toEqual([0, 1, 2]);
    expect(entries.length).toBe(3);
    expect(entries.at(0)).toEqual({ source: 'OFAC-SDN', entryId: '2674', name: 'HUSSEIN, Saddam', kind: 'individual', birthDates: ['1937-04-28', '1937'], countries: ['IQ'] });
    expect(entries.at(1)).toEqual({ source: 'UN', entryId: 'QDe.004', name: 'ROSNEFT PAO', kind: 'entity', birthDates: [], countries: [] });
    expect(entries.at(2)).toEqual({ source: 'UK', entryId: 'RUS0001', name: 'Vessel ONE', kind: 'vessel', birthDates: [], countries: ['RU', 'PA'] });
    expect([0, 1, 2].map((i) => entries.sourceOf(i))).toEqual(['OFAC-SDN', 'UN', 'UK']);
  });

  it('keeps every kind, and reads a kind it does not know as other', () => {
    const builder = ListedEntries.builder();
    const kinds: SanctionsEntryKind[] = ['individual', 'entity', 'vessel', 'aircraft', 'other'];
    for (const kind of kinds) builder.add('EU', { entryId: kind, name: kind, kind, birthDates: [], countries: [] });
    builder.add('EU', { entryId: 'odd', name: 'odd', kind: 'submarine' as SanctionsEntryKind, birthDates: [], countries: [] });
    const entries = builder.build();
    expect(Array.from({ length: entries.length }, (_, i) => entries.at(i).kind)).toEqual([...kinds, 'other']);
  });
});
