// The EU financial sanctions file (FSF), XML "export" schema (namespace http://eu.europa.ec/fpi/fsd/export).
import { SanctionsEntry, SanctionsEntryKind, SanctionsFileError, SanctionsListReading, distinct, listVersion } from '../sanctions-list';
import { birthDate } from './birth-dates';
import { countryCodes } from './country-codes';
import { XmlElement, childrenOf, xmlRecords } from './xml-records';

export function readEuXml(file: string): SanctionsListReading {
  let generated: string | undefined;
  // Checked as the root element opens, rather than once every entry has been written.
  const onRoot = (attributes: Readonly<Record<string, string>>) => {
    generated = listVersion('the generationDate of <export>', attributes.generationDate);
  };
  async function* entries(): AsyncGenerator<SanctionsEntry> {
    const spec = { roots: ['export'], records: ['sanctionEntity'], onRoot };
    for await (const record of xmlRecords(file, spec)) yield euEntry(record);
  }
  return { source: 'EU', entries: entries(), version: () => generated };
}

function euEntry(record: XmlElement): SanctionsEntry {
  const id = record.attributes.euReferenceNumber || record.attributes.logicalId;
  if (!id) throw new SanctionsFileError('a <sanctionEntity> has neither euReferenceNumber nor logicalId');
  const names = distinct(childrenOf(record, 'nameAlias').map(aliasName));
  if (names.length === 0) throw new SanctionsFileError(`sanctionEntity ${id} has no <nameAlias> with a name`);
  const attribute = (name: string, key: string) => childrenOf(record, name).map((e) => e.attributes[key]);
  return {
    entryId: id,
    kind: kindOf(childrenOf(record, 'subjectType')[0]?.attributes),
    name: names[0],
    aliases: names.slice(1),
    birthDates: distinct(childrenOf(record, 'birthdate').map((b) => birthDate(b.attributes.birthdate || b.attributes.year))),
    countries: countryCodes([...attribute('citizenship', 'countryIso2Code'), ...attribute('address', 'countryIso2Code'), ...attribute('birthdate', 'countryIso2Code')]),
    programmes: distinct(attribute('regulation', 'programme')),
  };
}

/** wholeName, else first, middle and last name. */
function aliasName(alias: XmlElement): string | undefined {
  const a = alias.attributes;
  return a.wholeName?.trim() || [a.firstName, a.middleName, a.lastName].filter((p) => p?.trim()).join(' ') || undefined;
}

/** subjectType code "person" / classificationCode "P" is an individual; "enterprise" / "E" an entity. */
function kindOf(attributes: Readonly<Record<string, string>> | undefined): SanctionsEntryKind {
  const code = (attributes?.code ?? attributes?.classificationCode ?? '').toLowerCase();
  if (code === 'person' || code === 'p') return 'individual';
  if (code === 'enterprise' || code === 'e') return 'entity';
  return 'other';
}
