// Reading a consolidated sanctions list, whatever format it was published in (the entries themselves are domain types).

export type { SanctionsEntry, SanctionsEntryKind, SanctionsSource } from '../../domain/sanctions';
import { SanctionsEntry, SanctionsSource } from '../../domain/sanctions';
import { isStorableText } from '../../domain/storable-text';

/** A file that cannot be loaded: the message names the problem and, where known, the line. */
export class SanctionsFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SanctionsFileError';
  }
}

/**
 * The file itself could not be read (missing, no permission, a directory), as a SanctionsFileError
 * naming it; undefined for any other error, which is not the file's.
 */
export function unreadableFile(file: string, error: unknown): SanctionsFileError | undefined {
  const code = (error as NodeJS.ErrnoException)?.code;
  return code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR' ? new SanctionsFileError(`cannot read ${file} (${code})`) : undefined;
}

/** The longest list version recorded, read from a file or given as --list-version. */
export const MAX_LIST_VERSION_LENGTH = 200;

/** A version a file gives (a date, an id), trimmed; refused past MAX_LIST_VERSION_LENGTH, as the CLI refuses a --list-version. */
export function listVersion(what: string, text: string | undefined): string | undefined {
  const version = text?.trim();
  // Checked as the entries are (assertStorable): PostgreSQL would refuse it at the very end of a load.
  if (version && !isStorableText(version)) throw new SanctionsFileError(`${what} holds a NUL character or an unpaired surrogate, which no list version may hold`);
  if (version && version.length > MAX_LIST_VERSION_LENGTH) {
    throw new SanctionsFileError(`${what} is ${version.length.toLocaleString('en-GB')} characters long: a list version is at most ${MAX_LIST_VERSION_LENGTH}`);
  }
  return version || undefined;
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
