// Many strings held as one string and an Int32Array of offsets: two objects for the garbage collector to mark, not a million.
import { SANCTIONS_SOURCES, SanctionsEntryKind, SanctionsSource } from '../../../domain/sanctions';
import { growableInt32, growableUint8 } from './growable';

/**
 * Why: the index lives as long as the process, in the old generation, and every full collection
 * marks each of its objects again. Its listed entries were 500,000 objects with their strings and
 * arrays at 1 M names (81 MB of heap, with the names' texts 17 MB more); a full collection of that
 * heap under load held validate for 50 to 80 ms. Read back one string at a time, on a hit.
 */
export class PackedStrings {
  private constructor(
    private readonly text: string,
    private readonly starts: Int32Array,
  ) {}

  static of(values: readonly string[]): PackedStrings {
    const starts = new Int32Array(values.length + 1);
    for (let i = 0; i < values.length; i++) starts[i + 1] = starts[i] + values[i].length;
    return new PackedStrings(values.join(''), starts);
  }

  get length(): number {
    return this.starts.length - 1;
  }

  at(index: number): string {
    return this.text.slice(this.starts[index], this.starts[index + 1]);
  }
}

/** FNV-1a, 32 bits, of `text` without its character at `skip` (none by default). */
export function fnv1a(text: string, skip = -1): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    if (i === skip) continue;
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Distinct strings, packed as PackedStrings are, that also find a string's index: an open-addressing
 * table of indexes by hash, each candidate confirmed against the packed text. In the place of a
 * Map<string, number>, whose every key is one more object for a full collection to mark.
 */
export class StringTable {
  private constructor(
    private readonly strings: PackedStrings,
    /** Index + 1 at the slot of its hash (or the next free one); 0 for an empty slot. */
    private readonly slots: Int32Array,
  ) {}

  /** `values` must be distinct. */
  static of(values: readonly string[]): StringTable {
    let size = 8;
    while (size < values.length * 2) size *= 2;
    const slots = new Int32Array(size);
    values.forEach((value, i) => {
      let slot = fnv1a(value) & (size - 1);
      while (slots[slot] !== 0) slot = (slot + 1) & (size - 1);
      slots[slot] = i + 1;
    });
    return new StringTable(PackedStrings.of(values), slots);
  }

  get length(): number {
    return this.strings.length;
  }

  at(index: number): string {
    return this.strings.at(index);
  }

  /** The index of `value`, or -1. */
  indexOf(value: string): number {
    const mask = this.slots.length - 1;
    for (let slot = fnv1a(value) & mask; this.slots[slot] !== 0; slot = (slot + 1) & mask) {
      const index = this.slots[slot] - 1;
      if (this.strings.at(index) === value) return index;
    }
    return -1;
  }
}

const KINDS: readonly SanctionsEntryKind[] = ['individual', 'entity', 'vessel', 'aircraft', 'other'];

/** A listed entry as screening reads it back. */
export interface ListedEntry {
  readonly source: SanctionsSource;
  readonly entryId: string;
  readonly name: string;
  readonly kind: SanctionsEntryKind;
  readonly birthDates: readonly string[];
  readonly countries: readonly string[];
}

/** The columns of ListedEntries; entry i's birth dates are birthDates[birthDateStart[i]] up to birthDateStart[i + 1], its countries likewise. */
interface EntryColumns {
  readonly sources: Uint8Array;
  readonly kinds: Uint8Array;
  readonly ids: PackedStrings;
  readonly names: PackedStrings;
  readonly birthDates: PackedStrings;
  readonly birthDateStart: Int32Array;
  readonly countries: PackedStrings;
  readonly countryStart: Int32Array;
}

/** The listed entries of every loaded list, column by column (see PackedStrings). */
export class ListedEntries {
  private constructor(private readonly columns: EntryColumns) {}

  get length(): number {
    return this.columns.sources.length;
  }

  sourceOf(index: number): SanctionsSource {
    return SANCTIONS_SOURCES[this.columns.sources[index]];
  }

  idOf(index: number): string {
    return this.columns.ids.at(index);
  }

  /** The birth dates and countries of entry `index`, without the rest of it. */
  evidenceOf(index: number): { birthDates: string[]; countries: string[] } {
    const { birthDates, birthDateStart, countries, countryStart } = this.columns;
    return { birthDates: valuesOf(birthDates, birthDateStart, index), countries: valuesOf(countries, countryStart, index) };
  }

  at(index: number): ListedEntry {
    const { ids, names, kinds } = this.columns;
    return { source: this.sourceOf(index), entryId: ids.at(index), name: names.at(index), kind: KINDS[kinds[index]], ...this.evidenceOf(index) };
  }

  /** Collects entries as they are read (their numbers in growable typed arrays, growable.ts says why), then packs them once. */
  static builder(): { add(source: SanctionsSource, entry: Omit<ListedEntry, 'source'>): number; build(): ListedEntries } {
    const sources = growableUint8();
    const kinds = growableUint8();
    const ids: string[] = [];
    const names: string[] = [];
    const birthDates: string[] = [];
    const birthDateStart = growableInt32();
    birthDateStart.push(0);
    const countries: string[] = [];
    const countryStart = growableInt32();
    countryStart.push(0);
    return {
      add(source, entry) {
        sources.push(SANCTIONS_SOURCES.indexOf(source));
        const kind = KINDS.indexOf(entry.kind);
        kinds.push(kind < 0 ? KINDS.length - 1 : kind); // 'other'
        ids.push(entry.entryId);
        names.push(entry.name);
        for (const date of entry.birthDates) birthDates.push(date);
        birthDateStart.push(birthDates.length);
        for (const country of entry.countries) countries.push(country);
        countryStart.push(countries.length);
        return ids.length - 1;
      },
      build: () =>
        new ListedEntries({
          sources: sources.toArray(),
          kinds: kinds.toArray(),
          ids: PackedStrings.of(ids),
          names: PackedStrings.of(names),
          birthDates: PackedStrings.of(birthDates),
          birthDateStart: birthDateStart.toArray(),
          countries: PackedStrings.of(countries),
          countryStart: countryStart.toArray(),
        }),
    };
  }
}

function valuesOf(values: PackedStrings, starts: Int32Array, index: number): string[] {
  const out: string[] = [];
  for (let v = starts[index]; v < starts[index + 1]; v++) out.push(values.at(v));
  return out;
}
