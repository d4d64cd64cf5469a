// The UN Security Council consolidated list (consolidated.xml): CONSOLIDATED_LIST with INDIVIDUALS and ENTITIES.
import { SanctionsEntry, SanctionsFileError, SanctionsListReading, distinct, listVersion } from '../sanctions-list';
import { birthDate, birthYears } from './birth-dates';
import { countryCodes } from './country-codes';
import { XmlElement, childrenOf, textOf, xmlRecords } from './xml-records';

const NAME_PARTS = ['FIRST_NAME', 'SECOND_NAME', 'THIRD_NAME', 'FOURTH_NAME'];

export function readUnXml(file: string): SanctionsListReading {
  let generated: string | undefined;
  // Checked as the root element opens, rather than once every entry has been written.
  const onRoot = (attributes: Readonly<Record<string, string>>) => {
    generated = listVersion('the dateGenerated of <CONSOLIDATED_LIST>', attributes.dateGenerated);
  };
  async function* entries(): AsyncGenerator<SanctionsEntry> {
    const spec = { roots: ['CONSOLIDATED_LIST'], records: ['INDIVIDUAL', 'ENTITY'], onRoot };
    for await (const record of xmlRecords(file, spec)) yield unEntry(record);
  }
  return { source: 'UN', entries: entries(), version: () => generated };
}

function unEntry(record: XmlElement): SanctionsEntry {
  const individual = record.name === 'INDIVIDUAL';
  const id = textOf(record, 'REFERENCE_NUMBER') ?? textOf(record, 'DATAID');
  const name = NAME_PARTS.map((part) => textOf(record, part)).filter(Boolean).join(' ');
  if (!id) throw new SanctionsFileError(`an ${record.name} has neither <REFERENCE_NUMBER> nor <DATAID>`);
  if (!name) throw new SanctionsFileError(`${record.name} ${id} has no <FIRST_NAME>`);
  const aliasTag = individual ? 'INDIVIDUAL_ALIAS' : 'ENTITY_ALIAS';
  const addressTag = individual ? 'INDIVIDUAL_ADDRESS' : 'ENTITY_ADDRESS';
  return {
    entryId: id,
    kind: individual ? 'individual' : 'entity',
    name,
    aliases: distinct([textOf(record, 'NAME_ORIGINAL_SCRIPT'), ...childrenOf(record, aliasTag).map((alias) => textOf(alias, 'ALIAS_NAME'))]),
    birthDates: distinct(childrenOf(record, 'INDIVIDUAL_DATE_OF_BIRTH').flatMap(unBirthDates)),
    countries: countryCodes([
      ...childrenOf(record, 'NATIONALITY').flatMap((n) => childrenOf(n, 'VALUE').map((v) => v.text)),
      ...childrenOf(record, addressTag).map((a) => textOf(a, 'COUNTRY')),
    ]),
    programmes: distinct([textOf(record, 'UN_LIST_TYPE')]),
  };
}

/** TYPE_OF_DATE EXACT or APPROXIMATELY with DATE or YEAR; BETWEEN with FROM_YEAR and TO_YEAR. */
function unBirthDates(element: XmlElement): (string | undefined)[] {
  const from = textOf(element, 'FROM_YEAR');
  if (from) return birthYears(from, textOf(element, 'TO_YEAR'));
  return [birthDate(textOf(element, 'DATE') ?? textOf(element, 'YEAR'))];
}
