// What a consolidated sanctions list is to the service, whatever format it was published in.

/** The lists the service loads; each load replaces the previous one of the same source. */
export const SANCTIONS_SOURCES = ['OFAC-SDN', 'UN', 'EU', 'UK'] as const;
export type SanctionsSource = (typeof SANCTIONS_SOURCES)[number];

export type SanctionsEntryKind = 'individual' | 'entity' | 'vessel' | 'aircraft' | 'other';

/** One listed person, organisation, vessel or aircraft, with every name it is listed under. */
export interface SanctionsEntry {
  /** The publisher's own reference (OFAC uid, UN reference number, EU reference, UK unique id). */
  readonly entryId: string;
  readonly kind: SanctionsEntryKind;
  /** The primary name, as published. */
  readonly name: string;
  /** Every other name: aliases, spelling variations, the name in its original script. */
  readonly aliases: readonly string[];
  /** Known or possible dates of birth, as precise as published: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. */
  readonly birthDates: readonly string[];
  /** ISO 3166-1 alpha-2 codes of nationality, citizenship and address countries. */
  readonly countries: readonly string[];
  /** Sanctions programmes or regimes, as published. */
  readonly programmes: readonly string[];
}

/** A file that cannot be loaded: the message names the problem and, where known, the line. */
export class SanctionsFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SanctionsFileError';
  }
}

/** A list being read: its entries as they stream in, and its version once the reader has seen it. */
export interface SanctionsListReading {
  readonly source: SanctionsSource;
  readonly entries: AsyncIterable<SanctionsEntry>;
  /** The publisher's version (publication date or id); read after `entries` is exhausted. */
  version(): string | undefined;
}

/** Drops blanks and repeats, keeping the first spelling of each. */
export function distinct(values: Iterable<string | undefined>): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const value of values) {
    const trimmed = value?.replace(/\s+/g, ' ').trim();
    if (!trimmed || seen.has(trimmed.toLowerCase())) continue;
    seen.add(trimmed.toLowerCase());
    out.push(trimmed);
  }
  return out;
}
