// OFAC's SDN list as SDN.XML, the classic schema (sdnList/sdnEntry), not the advanced one (SDN_ADVANCED.XML).
import { SanctionsEntry, SanctionsEntryKind, SanctionsFileError, SanctionsListReading, distinct, listVersion } from '../sanctions-list';
import { birthDate } from './birth-dates';
import { countryCodes } from './country-codes';
import { XmlElement, childrenOf, descendantsOf, textOf, xmlRecords } from './xml-records';

export function readOfacXml(file: string): SanctionsListReading {
  let published: string | undefined;
  // Checked as it is read, at the top of the file, rather than once every entry has been written.
  const onHeader = (_name: string, text: string) => (published = listVersion('<Publish_Date>', text));
  async function* entries(): AsyncGenerator<SanctionsEntry> {
    let index = 0;
    for await (const record of xmlRecords(file, { roots: ['sdnList'], records: ['sdnEntry'], headers: ['Publish_Date'], onHeader })) {
      index += 1;
      yield ofacEntry(record, index);
    }
  }
  return { source: 'OFAC-SDN', entries: entries(), version: () => publishDate(published) };
}

function ofacEntry(record: XmlElement, index: number): SanctionsEntry {
  const id = textOf(record, 'uid');
  const name = personName(record);
  if (!id) throw new SanctionsFileError(`sdnEntry #${index} has no <uid>`);
  if (!name) throw new SanctionsFileError(`sdnEntry ${id} has no <lastName>`);
  const akas = descendantsOf(record, 'aka').map(personName);
  const countries = [...descendantsOf(record, 'nationality'), ...descendantsOf(record, 'citizenship'), ...descendantsOf(record, 'address')].map((e) => textOf(e, 'country'));
  return {
    entryId: id,
    kind: kindOf(textOf(record, 'sdnType')),
    name,
    aliases: distinct(akas),
    birthDates: distinct(descendantsOf(record, 'dateOfBirthItem').map((item) => birthDate(textOf(item, 'dateOfBirth')))),
    countries: countryCodes(countries),
    programmes: distinct(childrenOf(record, 'programList').flatMap((list) => childrenOf(list, 'program').map((p) => p.text))),
  };
}

/** "firstName lastName"; entities have only a lastName. */
function personName(element: XmlElement): string | undefined {
  const parts = [textOf(element, 'firstName'), textOf(element, 'lastName')].filter(Boolean);
  return parts.length > 0 ? parts.join(' ') : undefined;
}

function kindOf(type: string | undefined): SanctionsEntryKind {
  const kind = type?.toLowerCase();
  return kind === 'individual' || kind === 'entity' || kind === 'vessel' || kind === 'aircraft' ? kind : 'other';
}

/** Publish_Date (trimmed) is MM/DD/YYYY. */
function publishDate(text: string | undefined): string | undefined {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text ?? '');
  return m ? `${m[3]}-${m[1].padStart(2, '0')}-${m[2].padStart(2, '0')}` : text;
}
