// Sanctions lists as the service holds them, and an analyst's allowance of a name that is not the listed party.

/** The lists the service loads; each load replaces the previous one of the same source. */
export const SANCTIONS_SOURCES = ['OFAC-SDN', 'UN', 'EU', 'UK'] as const;
export type SanctionsSource = (typeof SANCTIONS_SOURCES)[number];

export function isSanctionsSource(value: unknown): value is SanctionsSource {
  return typeof value === 'string' && (SANCTIONS_SOURCES as readonly string[]).includes(value);
}

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

/** A list as loaded: which one, its version and when it was loaded. */
export interface LoadedList {
  readonly source: SanctionsSource;
  readonly version: string;
  readonly loadedAt: Date;
  readonly entries: number;
}

/** "OFAC-SDN:2674": how reasons and the allow list name an entry across lists. */
export function entryReference(source: SanctionsSource, entryId: string): string {
  return `${source}:${entryId}`;
}

/** The parts of an entry reference, or undefined when it names no known list. */
export function parseEntryReference(reference: string): { source: SanctionsSource; entryId: string } | undefined {
  const colon = reference.indexOf(':');
  const source = reference.slice(0, colon);
  const entryId = reference.slice(colon + 1).trim();
  return colon > 0 && isSanctionsSource(source) && entryId !== '' ? { source, entryId } : undefined;
}

/**
 * An analyst cleared a hit as a false positive: this customer's payments to this name no longer
 * hit this entry. Another name, another customer or another entry still does.
 */
export interface SanctionsAllowance {
  readonly id: string;
  readonly customerId: string;
  readonly source: SanctionsSource;
  readonly entryId: string;
  /** The name as the analyst gave it. */
  readonly name: string;
  readonly reason: string;
  readonly allowedBy: string;
  readonly allowedAt: Date;
}
