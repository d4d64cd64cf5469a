// Port to the managed lists in PostgreSQL: their declarations, entries and append-only change log, and what the engine holds in memory.
import { ListDeclaration, ListType, ListValue } from '../../domain/managed-list';

export interface ListSummary extends ListDeclaration {
  readonly entries: number;
  /** The latest change, or undefined for a list never changed. */
  readonly changedAt?: Date;
}

export interface ListEntry extends ListValue {
  readonly reason: string;
  readonly addedBy: string;
  readonly addedAt: Date;
}

export interface ListChange extends ListValue {
  readonly id: string;
  readonly action: 'ADDED' | 'REMOVED';
  readonly reason: string;
  readonly changedBy: string;
  readonly changedAt: Date;
}

export interface ListChangeRequest {
  readonly reason: string;
  readonly by: string;
}

/** Every entry of every list, as the engine matches them, with the version they were read at. */
export interface ListContents {
  readonly version: string;
  /** List name → `type NUL value` of each entry. */
  readonly entries: ReadonlyMap<string, ReadonlySet<string>>;
}

export const listEntryKey = (type: ListType, value: string) => `${type}\u0000${value}`;

export abstract class ManagedListStore {
  /** Creates the lists a rule set declares, or updates their types and description; entries are kept. */
  abstract declare(lists: readonly ListDeclaration[]): Promise<void>;
  abstract summaries(): Promise<ListSummary[]>;
  abstract summary(name: string): Promise<ListSummary | undefined>;
  /** Entries in value order, after `after` (a value) when given. */
  abstract entries(name: string, page: { readonly limit: number; readonly after?: string }): Promise<ListEntry[]>;
  /** The latest changes first. */
  abstract changes(name: string, limit: number): Promise<ListChange[]>;
  /** Adds the values not yet listed, logging each; returns those it added. */
  abstract add(name: string, values: readonly ListValue[], change: ListChangeRequest): Promise<ListValue[]>;
  /**
   * Removes each of `candidates` (one value as each type of the list reads it) that is listed,
   * logging each; returns the first removed (a value listed as several types goes as all of them).
   */
  abstract remove(name: string, candidates: readonly ListValue[], change: ListChangeRequest): Promise<ListValue | undefined>;
  /** Changes with every change to any list: cheap enough to poll. */
  abstract version(): Promise<string>;
  abstract contents(): Promise<ListContents>;
  /** Calls `listener` when any process changes a list (and after a lost connection is back); resolves to a stop function. */
  abstract onChange(listener: () => void): Promise<() => Promise<void>>;
}
