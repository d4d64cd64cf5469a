// The UK Sanctions List as CSV (the FCDO's format, with "Unique ID", "Name type" and "D.O.B" columns):
// a "Report Date:" line, a header line, then one line per name, grouped into entries by Unique ID.
import { basename } from 'node:path';
import { SanctionsEntry, SanctionsEntryKind, SanctionsFileError, SanctionsListReading, distinct, listVersion } from '../sanctions-list';
import { birthDate } from './birth-dates';
import { countryCodes } from './country-codes';
import { csvRows } from './csv-rows';

const REQUIRED = ['Unique ID', 'Name 6', 'Name 1', 'Name type'] as const;

interface Group {
  id: string;
  kind: SanctionsEntryKind;
  primary?: string;
  names: string[];
  birthDates: (string | undefined)[];
  countries: (string | undefined)[];
  programmes: string[];
}

export function readUkCsv(file: string): SanctionsListReading {
  let reportDate: string | undefined;
  async function* entries(): AsyncGenerator<SanctionsEntry> {
    const groups = new Map<string, Group>();
    let columns: Map<string, number> | undefined;
    let width = 0;
    for await (const { line, fields } of csvRows(file)) {
      if (!columns) {
        const report = /^\s*Report Date:\s*(.+)$/i.exec(fields[0] ?? '');
        if (report) {
          const written = listVersion(`${basename(file)} line ${line}: the Report Date`, report[1]);
          reportDate = written === undefined ? undefined : ukDate(written);
        } else [columns, width] = [headerOf(fields, file, line), fields.length];
        continue;
      }
      // A line cut short (a download that stopped mid-line) would otherwise load as a shorter name.
      if (fields.length !== width) throw new SanctionsFileError(`${basename(file)} line ${line}: expected the header's ${width} fields, found ${fields.length}`);
      addRow(groups, columns, fields, `${basename(file)} line ${line}`);
    }
    if (!columns) throw new SanctionsFileError(`${basename(file)}: no header line with the columns ${REQUIRED.join(', ')}`);
    for (const group of groups.values()) yield entryOf(group);
  }
  return { source: 'UK', entries: entries(), version: () => reportDate };
}

function headerOf(fields: readonly string[], file: string, line: number): Map<string, number> {
  const columns = new Map(fields.map((name, i) => [name.trim(), i]));
  const missing = REQUIRED.filter((name) => !columns.has(name));
  if (missing.length > 0) {
    throw new SanctionsFileError(`${basename(file)} line ${line}: not the UK Sanctions List header (missing ${missing.map((m) => JSON.stringify(m)).join(', ')})`);
  }
  return columns;
}

function addRow(groups: Map<string, Group>, columns: Map<string, number>, fields: readonly string[], where: string): void {
  const value = (name: string) => {
    const index = columns.get(name);
    const text = index === undefined ? undefined : fields[index]?.trim();
    return text ? text : undefined;
  };
  const id = value('Unique ID');
  if (!id) throw new SanctionsFileError(`${where}: no Unique ID`);
  const name = ['Name 1', 'Name 2', 'Name 3', 'Name 4', 'Name 5', 'Name 6'].map(value).filter(Boolean).join(' ');
  let group = groups.get(id);
  if (!group) {
    group = { id, kind: kindOf(value('Designation Type')), names: [], birthDates: [], countries: [], programmes: [] };
    groups.set(id, group);
  }
  if (name && /^primary name$/i.test(value('Name type') ?? '') && !group.primary) group.primary = name;
  group.names.push(name, value('Name non-latin script') ?? '');
  group.birthDates.push(...(value('D.O.B') ?? '').split(/[|;]/).map(birthDate));
  group.countries.push(value('Nationality(/ies)'), value('Address Country'));
  group.programmes.push(value('Regime Name') ?? '');
}

function entryOf(group: Group): SanctionsEntry {
  const names = distinct([group.primary, ...group.names]);
  if (names.length === 0) throw new SanctionsFileError(`entry ${group.id} has no name`);
  return {
    entryId: group.id,
    kind: group.kind,
    name: names[0],
    aliases: names.slice(1),
    birthDates: distinct(group.birthDates),
    countries: countryCodes(group.countries),
    programmes: distinct(group.programmes),
  };
}

function kindOf(type: string | undefined): SanctionsEntryKind {
  const kind = type?.toLowerCase();
  if (kind === 'individual') return 'individual';
  if (kind === 'entity') return 'entity';
  if (kind === 'ship') return 'vessel';
  return 'other';
}

/** "13-Feb-2026" to 2026-02-13; anything else as written. */
function ukDate(text: string): string {
  return birthDate(text.trim().replace(/-/g, ' ')) ?? text.trim();
}
