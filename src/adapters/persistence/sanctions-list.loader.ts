// Replaces a source's sanctions list in one database transaction: readers see the old list or the new one, never a mix.
import { ClientBase } from 'pg';
import { SanctionsEntry, SanctionsFileError, SanctionsListReading } from '../sanctions/sanctions-list';
import { fileDigest } from '../sanctions/formats/file-digest';
import { isStorableText, storableText } from '../../domain/storable-text';

/** Every load and every allowance wakes the services' indexes through this channel (and they poll as well). */
export const SANCTIONS_CHANNEL = 'sanctions_changed';
const BATCH = 2000;

export interface LoadedListSummary {
  readonly source: string;
  readonly version: string;
  readonly entries: number;
  readonly names: number;
  /** Entries whose id appeared earlier in the same file: the first one is kept. */
  readonly duplicates: number;
  readonly replacedVersion?: string;
}

export interface LoadOptions {
  readonly format: string;
  readonly files: readonly string[];
  /** Overrides the version the file gives (or its digest, for files that give none). */
  readonly version?: string;
  readonly onProgress?: (entries: number) => void;
}

/** Streams `reading` into PostgreSQL; a file that fails half-way leaves the current list untouched. */
export async function replaceSanctionsList(client: ClientBase, reading: SanctionsListReading, options: LoadOptions): Promise<LoadedListSummary> {
  await client.query('BEGIN');
  try {
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('sanctions-list:' || $1))`, [reading.source]);
    const replaced = await client.query<{ id: string; version: string }>(
      `UPDATE sanctions_lists SET replaced_at = now() WHERE source = $1 AND replaced_at IS NULL RETURNING id, version`,
      [reading.source],
    );
    const inserted = await client.query<{ id: string }>(
      `INSERT INTO sanctions_lists (source, version, format, file_name) VALUES ($1, '', $2, $3) RETURNING id`,
      [reading.source, options.format, options.files.join(', ')],
    );
    const listId = inserted.rows[0].id;
    const counts = await insertEntries(client, listId, reading.entries, options.onProgress);
    if (counts.entries === 0) throw new SanctionsFileError('the file has no entries: is it the right format, or an empty or cut-short download?');
    const version = options.version ?? reading.version() ?? (await fileDigest(options.files));
    await client.query(`UPDATE sanctions_lists SET version = $2, entry_count = $3 WHERE id = $1`, [listId, version, counts.entries]);
    // The replaced loads keep their metadata (what was loaded when); their entries go.
    if (replaced.rows.length > 0) await client.query(`DELETE FROM sanctions_entries WHERE list_id = ANY($1::bigint[])`, [replaced.rows.map((r) => r.id)]);
    await client.query(`SELECT pg_notify($1, $2)`, [SANCTIONS_CHANNEL, `list:${reading.source}`]);
    await client.query('COMMIT');
    return { source: reading.source, version, ...counts, replacedVersion: replaced.rows[0]?.version };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

async function insertEntries(client: ClientBase, listId: string, entries: AsyncIterable<SanctionsEntry>, onProgress?: (entries: number) => void) {
  let batch: SanctionsEntry[] = [];
  let total = 0;
  let stored = 0;
  let names = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const result = await client.query<{ names: number }>(
      `INSERT INTO sanctions_entries (list_id, entry_id, kind, name, aliases, birth_dates, countries, programmes)
       SELECT $1, e."entryId", e.kind, e.name, e.aliases, e."birthDates", e.countries, e.programmes
         FROM jsonb_to_recordset($2::jsonb) AS e("entryId" text, kind text, name text, aliases text[], "birthDates" text[], countries text[], programmes text[])
       ON CONFLICT (list_id, entry_id) DO NOTHING
       RETURNING 1 + cardinality(aliases) AS names`,
      [listId, JSON.stringify(batch)],
    );
    stored += result.rows.length;
    // The names of the entries stored: a repeated entry, ignored, brings none.
    for (const row of result.rows) names += row.names;
    batch = [];
    onProgress?.(total);
  };
  for await (const entry of entries) {
    assertStorable(entry);
    batch.push(entry);
    total += 1;
    if (batch.length === BATCH) await flush();
  }
  await flush();
  return { entries: stored, names, duplicates: total - stored };
}

/**
 * PostgreSQL's text holds no NUL and no unpaired surrogate, which a CSV field can carry: refused
 * as the file's mistake, naming the entry, rather than failing the load as a database error.
 */
function assertStorable(entry: SanctionsEntry): void {
  const texts: [string, readonly string[]][] = [
    ['its id', [entry.entryId]],
    ['its name', [entry.name]],
    ['an alias', entry.aliases],
    ['a birth date', entry.birthDates],
    ['a country', entry.countries],
    ['a programme', entry.programmes],
  ];
  const bad = texts.find(([, values]) => values.some((value) => !isStorableText(value)));
  if (bad) throw new SanctionsFileError(`entry ${JSON.stringify(storableText(entry.entryId, 100))}: ${bad[0]} holds a NUL character or an unpaired surrogate, which cannot be stored`);
}
