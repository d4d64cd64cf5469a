// Port to the loaded sanctions lists and the analysts' allowances, as PostgreSQL keeps them.
import { LoadedList, SanctionsAllowance, SanctionsEntry, SanctionsSource } from '../../domain/sanctions';

export interface AllowanceRequest {
  readonly customerId: string;
  readonly source: SanctionsSource;
  readonly entryId: string;
  readonly name: string;
  readonly reason: string;
  readonly allowedBy: string;
}

export abstract class SanctionsLists {
  /** Changes whenever a list is loaded or an allowance added: cheap enough to poll. */
  abstract version(): Promise<string>;
  /**
   * Every entry of every current list, from one consistent snapshot, handed to `visit` in pages
   * (so that a caller can yield between them); returns the lists read.
   */
  abstract readEntries(visit: (source: SanctionsSource, entries: readonly SanctionsEntry[]) => Promise<void>): Promise<LoadedList[]>;
  abstract allowances(): Promise<SanctionsAllowance[]>;
  /** Calls `listener` when another process loads a list or adds an allowance; resolves to a stop function. */
  abstract onChange(listener: () => void): Promise<() => Promise<void>>;
  /**
   * Records an allowance; repeating one (same customer, entry and name as the matcher compares
   * names) updates its reason, analyst and time. Throws SanctionsEntryNotFoundError when no
   * current list has the entry.
   */
  abstract allow(request: AllowanceRequest): Promise<{ allowance: SanctionsAllowance; created: boolean }>;
}
