import { SanctionsEntryKind } from '../../../domain/sanctions';
import { ListedEntries, PackedStrings, StringTable } from './packed-strings';

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

describe('StringTable', () => {
  it('finds the index of every string it holds, and -1 for any other, however many share a slot', () => {
    // 2,000 strings in 4,096 slots: many probe past a neighbour's slot.
    const values = Array.from({ length: 2000 }, (_, i) => `t${i.toString(36)}`).concat(['', 'é', 'ab']);
    const table = StringTable.of(values);
    expect(table.length).toBe(values.length);
    values.forEach((value, i) => {
      expect(table.indexOf(value)).toBe(i);
      expect(table.at(i)).toBe(value);
    });
    for (const other of ['t', 'T1', 'ba', 'e', 't2000x', 'abc']) expect(table.indexOf(other)).toBe(-1);
  });

  it('finds nothing when empty', () => {
    expect(StringTable.of([]).indexOf('')).toBe(-1);
    expect(StringTable.of([]).length).toBe(0);
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
