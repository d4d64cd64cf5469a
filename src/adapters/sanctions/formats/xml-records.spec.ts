// The bounds of the XML readers: files nested, sized or versioned beyond any official list are refused as file
// problems (sanctions:load exit 1, nothing replaced), never a crash or a load that swells the services' memory.
import { EU_XML, listDirectory, OFAC_SDN_XML, UN_XML, write } from '../../../../test/sanctions/list-files';
import { SanctionsEntry, SanctionsFileError, SanctionsListReading } from '../sanctions-list';
import { readEuXml } from './eu-xml.format';
import { readOfacXml } from './ofac-xml.format';
import { readUnXml } from './un-xml.format';
import { XmlElement, descendantsOf } from './xml-records';

const dir = listDirectory();

async function readAll(reading: SanctionsListReading): Promise<{ entries: SanctionsEntry[]; version: string | undefined }> {
  const entries: SanctionsEntry[] = [];
  for await (const entry of reading.entries) entries.push(entry);
  return { entries, version: reading.version() };
}

const ofac = (name: string, body: string, publishDate = '11/28/2026') =>
  readOfacXml(write(dir, name, `<sdnList><publshInformation><Publish_Date>${publishDate}</Publish_Date></publshInformation>\n${body}</sdnList>`));
const ofacEntry = (inner: string) => `<sdnEntry>\n<uid>1</uid><lastName>ONE</lastName>${inner}</sdnEntry>\n`;
const eu = (name: string, body: string, generationDate = '2026-11-29T18:01:02.581+01:00') =>
  readEuXml(write(dir, name, `<export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="${generationDate}">\n${body}</export>`));
const aliases = (count: number) => Array.from({ length: count }, (_, i) => `<nameAlias wholeName="Alias ${i}"/>`).join('');

async function refusal(reading: SanctionsListReading): Promise<Error> {
  const error = await readAll(reading).then(() => undefined, (e: Error) => e);
  expect(error).toBeInstanceOf(SanctionsFileError);
  return error!;
}

describe('reading sanctions XML files within bounds', () => {
  it('reads the official shapes of the OFAC, UN and EU files as before', async () => {
    expect(await readAll(readOfacXml(write(dir, 'SDN.XML', OFAC_SDN_XML)))).toMatchObject({ version: '2026-11-28', entries: [{ entryId: '2674', aliases: ['Saddam Hussein AL-TIKRITI', 'ABU ALI'] }, { entryId: '36', countries: ['CU'] }] });
    expect(await readAll(readUnXml(write(dir, 'consolidated.xml', UN_XML)))).toMatchObject({ version: '2026-11-30T10:00:00.000Z', entries: [{ entryId: 'TAi.001' }, { entryId: 'QDe.121' }] });
    expect(await readAll(readEuXml(write(dir, 'eu.xml', EU_XML)))).toMatchObject({ version: '2026-11-29T18:01:02.581+01:00', entries: [{ entryId: 'EU.2736.21' }, { entryId: 'EU.7210.55' }] });
  });

  it('finds the descendants of an element in document order, without recursion, however deep the tree', () => {
    const element = (name: string, children: XmlElement[] = []): XmlElement => ({ name, attributes: {}, children, text: '' });
    let deep = element('aka');
    for (let i = 0; i < 200_000; i++) deep = element('a', [deep]);
    expect(descendantsOf(element('sdnEntry', [deep]), 'aka')).toHaveLength(1);
    const tree = element('r', [element('x', [element('aka', [element('aka')]), element('y', [element('aka')])]), element('aka')]);
    expect(descendantsOf(tree, 'aka')).toEqual([tree.children[0].children[0], tree.children[0].children[0].children[0], tree.children[0].children[1].children[0], tree.children[1]]);
  });

  it('refuses an OFAC entry nested 5,000 deep as a file problem naming the record and the line, not a stack overflow', async () => {
    const error = await refusal(ofac('deep.xml', ofacEntry(`${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}`)));
    expect(error.message).toMatch(/^line 3: elements nested more than 32 deep, in the <sdnEntry> that starts at line 2$/);
  });

  it('refuses elements nested more than 32 deep outside the records too, and reads 32', async () => {
    const nest = (depth: number) => `${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}`;
    expect((await refusal(ofac('deep-outside.xml', `${nest(40)}${ofacEntry('')}`))).message).toMatch(/^line 2: elements nested more than 32 deep$/);
    // <sdnList> and <sdnEntry> are two of the 32.
    expect((await readAll(ofac('deep-enough.xml', ofacEntry(nest(30))))).entries).toHaveLength(1);
  });

  it('refuses an element whose text passes 1,000,000 characters (a 10 MB <uid>), naming it, the record and the line', async () => {
    const error = await refusal(ofac('uid.xml', `<sdnEntry>\n<uid>${'9'.repeat(10_000_000)}</uid><lastName>X</lastName></sdnEntry>`));
    expect(error.message).toMatch(/^line 3: more than 1,000,000 characters in one text, tag or comment \(in <uid>\), in the <sdnEntry> that starts at line 2$/);
    // In pieces, each within the limit: between comments, or CDATA sections.
    const pieces = `${'AB '.repeat(200_000)}<!-- -->`.repeat(2) + `<![CDATA[${'CD '.repeat(200_000)}]]>`;
    const name = await refusal(ofac('name.xml', ofacEntry(`<aka><lastName>${pieces}</lastName></aka>`)));
    expect(name.message).toMatch(/^line 3: <lastName> has more than 1,000,000 characters of text, in the <sdnEntry> that starts at line 2$/);
    const { entries } = await readAll(ofac('name-1m.xml', ofacEntry(`<aka><lastName>${'A'.repeat(1_000_000)}</lastName></aka>`)));
    expect(entries[0].aliases[0]).toHaveLength(1_000_000);
  });

  it('refuses a record of more than 10,000 elements (an EU <sanctionEntity> of a million <nameAlias>), and reads a hundred aliases', async () => {
    const error = await refusal(eu('aliases.xml', `<sanctionEntity logicalId="1">\n${aliases(1_000_000)}</sanctionEntity>\n`));
    expect(error.message).toMatch(/^line 3: the <sanctionEntity> that starts at line 2 has more than 10,000 elements$/);
    const { entries } = await readAll(eu('aliases-100.xml', `<sanctionEntity logicalId="1">${aliases(100)}</sanctionEntity>`));
    expect(entries[0].aliases).toHaveLength(99);
  });

  it('refuses a record spanning more than 2,000,000 characters, though each of its texts is within the limit', async () => {
    const aka = `<aka><lastName>${'A'.repeat(900_000)}</lastName></aka>\n`;
    const error = await refusal(ofac('long.xml', ofacEntry(aka.repeat(3))));
    expect(error.message).toMatch(/^line \d: the <sdnEntry> that starts at line 2 spans more than 2,000,000 characters$/);
  });

  it('refuses text, a tag or a comment of more than 1,000,000 characters outside the records, which the parser would hold whole', async () => {
    expect((await refusal(ofac('between.xml', `${ofacEntry('')}${'x'.repeat(3_000_000)}${ofacEntry('')}`))).message).toMatch(/^line 4: more than 1,000,000 characters in one text, tag or comment$/);
    const tag = readEuXml(write(dir, 'tag.xml', `<export generationDate="2026-11-29" globalFileId="${'1'.repeat(3_000_000)}"><sanctionEntity logicalId="1">${aliases(1)}</sanctionEntity></export>`));
    expect((await refusal(tag)).message).toMatch(/^line 1: more than 1,000,000 characters in one text, tag or comment$/);
  });

  it('refuses a list version over 200 characters read from the file, as sanctions:load refuses such a --list-version, and reads one of 200', async () => {
    const entry = `<sanctionEntity logicalId="1">${aliases(1)}</sanctionEntity>`;
    expect((await refusal(ofac('date.xml', ofacEntry(''), '1'.repeat(201)))).message).toBe('<Publish_Date> is 201 characters long: a list version is at most 200');
    expect((await refusal(ofac('date-10m.xml', ofacEntry(''), '1'.repeat(10_000_000)))).message).toMatch(/^line 1: more than 1,000,000 characters in one text, tag or comment \(in <Publish_Date>\)$/);
    expect((await refusal(eu('generated.xml', entry, '2'.repeat(201)))).message).toBe('the generationDate of <export> is 201 characters long: a list version is at most 200');
    const un = readUnXml(write(dir, 'un.xml', `<CONSOLIDATED_LIST dateGenerated="${'3'.repeat(201)}"><INDIVIDUALS/></CONSOLIDATED_LIST>`));
    expect((await refusal(un)).message).toBe('the dateGenerated of <CONSOLIDATED_LIST> is 201 characters long: a list version is at most 200');
    expect((await readAll(ofac('date-200.xml', ofacEntry(''), ` ${'1'.repeat(200)} `))).version).toBe('1'.repeat(200));
    expect((await readAll(eu('generated-200.xml', entry, '2'.repeat(200)))).version).toBe('2'.repeat(200));
  });
});
