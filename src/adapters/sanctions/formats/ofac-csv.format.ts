// OFAC's SDN list as CSV: sdn.csv (one row per entry, no header) and alt.csv (its aliases), joined on ent_num.
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { SanctionsEntry, SanctionsEntryKind, SanctionsFileError, SanctionsListReading, distinct } from '../sanctions-list';
import { birthDate } from './birth-dates';
import { countryCodes } from './country-codes';
import { csvRows, field } from './csv-rows';
import { fileDigest } from './file-digest';

/** sdn.csv: ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks. */
const SDN_COLUMNS = 12;
/** alt.csv: ent_num, alt_num, alt_type, alt_name, alt_remarks. */
const ALT_COLUMNS = 5;

/** alt.csv beside sdn.csv, as OFAC publishes them, unless another file is named. */
export function aliasesFileFor(sdnFile: string, named?: string): string | undefined {
  if (named) return named;
  const beside = join(dirname(sdnFile), basename(sdnFile) === basename(sdnFile).toUpperCase() ? 'ALT.CSV' : 'alt.csv');
  return existsSync(beside) ? beside : undefined;
}

export function readOfacCsv(file: string, aliasesFile: string | undefined): SanctionsListReading {
  let version: string | undefined;
  async function* entries(): AsyncGenerator<SanctionsEntry> {
    const aliases = aliasesFile ? await readAliases(aliasesFile) : new Map<string, string[]>();
    for await (const { line, fields } of csvRows(file)) {
      if (fields.length === 1 && /^\s*\x1a?\s*$/.test(fields[0])) continue; // OFAC ends its files with a SUB (0x1A) line
      if (fields.length !== SDN_COLUMNS) throw new SanctionsFileError(`${basename(file)} line ${line}: expected ${SDN_COLUMNS} fields of sdn.csv, found ${fields.length}`);
      const id = field(fields, 0);
      const name = field(fields, 1);
      if (!id || !/^\d+$/.test(id)) throw new SanctionsFileError(`${basename(file)} line ${line}: ent_num must be a number, found ${JSON.stringify(fields[0])}`);
      if (!name) throw new SanctionsFileError(`${basename(file)} line ${line}: entry ${id} has no SDN_Name`);
      const remarks = field(fields, 11) ?? '';
      yield {
        entryId: id,
        kind: kindOf(field(fields, 2)),
        name,
        aliases: distinct(aliases.get(id) ?? []),
        birthDates: distinct(remarkValues(remarks, 'DOB').map(birthDate)),
        countries: countryCodes([...remarkValues(remarks, 'nationality'), ...remarkValues(remarks, 'citizenship'), field(fields, 9)]),
        programmes: distinct((field(fields, 3) ?? '').split(/[;\]\[]/)),
      };
    }
    version = await fileDigest([file, aliasesFile]);
  }
  return { source: 'OFAC-SDN', entries: entries(), version: () => version };
}

async function readAliases(file: string): Promise<Map<string, string[]>> {
  const aliases = new Map<string, string[]>();
  for await (const { line, fields } of csvRows(file)) {
    if (fields.length === 1 && /^\s*\x1a?\s*$/.test(fields[0])) continue;
    if (fields.length !== ALT_COLUMNS) throw new SanctionsFileError(`${basename(file)} line ${line}: expected ${ALT_COLUMNS} fields of alt.csv, found ${fields.length}`);
    const id = field(fields, 0);
    const name = field(fields, 3);
    if (!id || !name) continue;
    const list = aliases.get(id);
    if (list) list.push(name);
    else aliases.set(id, [name]);
  }
  return aliases;
}

function kindOf(type: string | undefined): SanctionsEntryKind {
  switch (type?.toLowerCase()) {
    case 'individual':
      return 'individual';
    case 'vessel':
      return 'vessel';
    case 'aircraft':
      return 'aircraft';
    default:
      return 'entity'; // OFAC leaves SDN_Type empty ("-0-") for entities
  }
}

/** Values of "DOB 10 Jul 1960; DOB 1961; nationality Iran; ..." in the Remarks field. */
function remarkValues(remarks: string, label: string): string[] {
  const pattern = new RegExp(`(?:^|[;.]\\s*)${label}\\s+([^;]+?)(?=;|\\.\\s|\\.$|$)`, 'gi');
  return [...remarks.matchAll(pattern)].map((m) => m[1].replace(/^(circa|approximately)\s+/i, '').replace(/\s+to\s+.*$/i, ''));
}
