// The formats `npm run sanctions:load -- --format <fmt>` reads, by name.
import { SanctionsListReading } from '../sanctions-list';
import { readEuXml } from './eu-xml.format';
import { aliasesFileFor, readOfacCsv } from './ofac-csv.format';
import { readOfacXml } from './ofac-xml.format';
import { readUkCsv } from './uk-csv.format';
import { readUnXml } from './un-xml.format';

export interface FormatOptions {
  /** ofac-csv only: alt.csv; by default the alt.csv beside sdn.csv, when there is one. */
  readonly aliasesFile?: string;
}

export const SANCTIONS_FORMATS: Readonly<Record<string, { readonly describe: string; read(file: string, options: FormatOptions): SanctionsListReading }>> = {
  'ofac-csv': {
    describe: 'OFAC SDN list, sdn.csv with its aliases in alt.csv (--aliases, or the alt.csv beside it)',
    read: (file, options) => readOfacCsv(file, aliasesFileFor(file, options.aliasesFile)),
  },
  'ofac-xml': { describe: 'OFAC SDN list, SDN.XML (classic schema)', read: (file) => readOfacXml(file) },
  'un-xml': { describe: 'UN Security Council consolidated list, consolidated.xml', read: (file) => readUnXml(file) },
  'eu-xml': { describe: 'EU financial sanctions file (FSF), XML export schema', read: (file) => readEuXml(file) },
  'uk-csv': { describe: 'UK Sanctions List, CSV', read: (file) => readUkCsv(file) },
};
