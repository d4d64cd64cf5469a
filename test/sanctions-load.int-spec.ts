// Loading each official sanctions list format into PostgreSQL: what is stored, atomic replacement, refused files, and the CLI.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../src/adapters/persistence/migrations';
import { replaceSanctionsList } from '../src/adapters/persistence/sanctions-list.loader';
import { SANCTIONS_FORMATS } from '../src/adapters/sanctions/formats/sanctions-formats';
import { SanctionsEntry, SanctionsFileError, SanctionsListReading } from '../src/adapters/sanctions/sanctions-list';
import { createTestDatabase, TestDatabase } from './support/database';
import { EU_XML, listDirectory, OFAC_ALT_CSV, OFAC_SDN_CSV, OFAC_SDN_XML, UK_CSV, UN_XML, write } from './sanctions/list-files';

const CLI = resolve(__dirname, '../dist/cli/sanctions-load.js');

interface EntryRow {
  entry_id: string;
  kind: string;
  name: string;
  aliases: string[];
  birth_dates: string[];
  countries: string[];
}

describe('loading sanctions lists', () => {
  let db: TestDatabase;
  let client: Client;
  const dir = listDirectory();

  beforeAll(async () => {
    db = await createTestDatabase();
    const dataSource = new DataSource({ type: 'postgres', url: db.url, migrations: MIGRATIONS, migrationsTableName: 'schema_migrations', logging: false });
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    await dataSource.destroy();
    client = new Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  const load = (format: string, file: string, aliasesFile?: string) =>
    replaceSanctionsList(client, SANCTIONS_FORMATS[format].read(file, { aliasesFile }), { format, files: [file] });
  const entriesOf = (source: string) =>
    db.query<EntryRow>(
      `SELECT e.entry_id, e.kind, e.name, e.aliases, e.birth_dates, e.countries FROM sanctions_entries e JOIN sanctions_lists l ON l.id = e.list_id
        WHERE l.source = $1 AND l.replaced_at IS NULL ORDER BY e.entry_id`,
      [source],
    );

  it('reads OFAC sdn.csv with the aliases of the alt.csv beside it, DOBs and nationality from the remarks', async () => {
    const sdn = write(dir, 'sdn.csv', OFAC_SDN_CSV);
    write(dir, 'alt.csv', OFAC_ALT_CSV);
    const summary = await load('ofac-csv', sdn);
    expect(summary).toMatchObject({ source: 'OFAC-SDN', entries: 3, duplicates: 0 });
    expect(summary.version).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(await entriesOf('OFAC-SDN')).toEqual([
      { entry_id: '2674', kind: 'individual', name: 'HUSSEIN, Saddam', aliases: ['AL-TIKRITI, Saddam Hussein', 'ABU ALI'], birth_dates: ['1937-04-28'], countries: ['IQ'] },
      { entry_id: '36', kind: 'entity', name: 'AEROCARIBBEAN AIRLINES', aliases: ['AERO-CARIBBEAN'], birth_dates: [], countries: [] },
      { entry_id: '9999', kind: 'individual', name: 'IVANOV, Sergei Viktorovich', aliases: [], birth_dates: ['1953-01-31', '1954'], countries: ['RU'] },
    ]);
  });

  it('reads SDN.XML (classic schema), and the new load replaces the CSV one with its publication date as version', async () => {
    const summary = await load('ofac-xml', write(dir, 'SDN.XML', OFAC_SDN_XML));
    expect(summary).toMatchObject({ source: 'OFAC-SDN', version: '2026-11-28', entries: 2, names: 4 });
    expect(summary.replacedVersion).toMatch(/^sha256:/);
    expect(await entriesOf('OFAC-SDN')).toEqual([
      { entry_id: '2674', kind: 'individual', name: 'Saddam HUSSEIN', aliases: ['Saddam Hussein AL-TIKRITI', 'ABU ALI'], birth_dates: ['1937-04-28'], countries: ['IQ'] },
      { entry_id: '36', kind: 'entity', name: 'AEROCARIBBEAN AIRLINES', aliases: [], birth_dates: [], countries: ['CU'] },
    ]);
    const history = await db.query<{ version: string; current: boolean; entries: string }>(
      `SELECT l.version, l.replaced_at IS NULL AS current, (SELECT count(*) FROM sanctions_entries e WHERE e.list_id = l.id) AS entries FROM sanctions_lists l WHERE source = 'OFAC-SDN' ORDER BY l.id`,
    );
    expect(history).toEqual([
      { version: summary.replacedVersion, current: false, entries: '0' },
      { version: '2026-11-28', current: true, entries: '2' },
    ]);
  });

  it('reads the UN consolidated list: individuals and entities, original-script names, approximate and ranged births', async () => {
    expect(await load('un-xml', write(dir, 'consolidated.xml', UN_XML))).toMatchObject({ source: 'UN', version: '2026-11-30T10:00:00.000Z', entries: 2 });
    expect(await entriesOf('UN')).toEqual([
      { entry_id: 'QDe.121', kind: 'entity', name: 'AL-AKHTAR TRUST INTERNATIONAL', aliases: ['Al-Akhtar Medical Centre'], birth_dates: [], countries: ['PK'] },
      { entry_id: 'TAi.001', kind: 'individual', name: 'ABDUL BARI AKHUND', aliases: ['عبدالباری آخوند', 'Haji Abdul Bari'], birth_dates: ['1953', '1955', '1956', '1957'], countries: ['AF', 'PK'] },
    ]);
  });

  it('reads the EU financial sanctions file', async () => {
    expect(await load('eu-xml', write(dir, 'eu.xml', EU_XML))).toMatchObject({ source: 'EU', version: '2026-11-29T18:01:02.581+01:00', entries: 2 });
    expect(await entriesOf('EU')).toEqual([
      { entry_id: 'EU.2736.21', kind: 'individual', name: 'Dmitry Olegovich Rogozin', aliases: ['Дмитрий Олегович Рогозин'], birth_dates: ['1963-12-21'], countries: ['RU'] },
      { entry_id: 'EU.7210.55', kind: 'entity', name: 'Joint Stock Company Example Arms', aliases: [], birth_dates: [], countries: ['RU'] },
    ]);
  });

  it('reads the UK Sanctions List CSV, one entry per Unique ID', async () => {
    expect(await load('uk-csv', write(dir, 'UK-Sanctions-List.csv', UK_CSV))).toMatchObject({ source: 'UK', version: '2026-11-27', entries: 2 });
    expect(await entriesOf('UK')).toEqual([
      { entry_id: 'RUS0001', kind: 'individual', name: 'Vladimir Vladimirovich PUTIN', aliases: ['Владимир Владимирович ПУТИН', 'Vladimir POUTINE'], birth_dates: ['1952-10-07', '1952'], countries: ['RU'] },
      { entry_id: 'RUS0002', kind: 'vessel', name: 'KOROLEV PROSPECT', aliases: [], birth_dates: [], countries: [] },
    ]);
  });

  it.each([
    ['un-xml', 'cut.xml', UN_XML.slice(0, 700), /not well-formed XML/],
    ['un-xml', 'wrong.xml', EU_XML, /expected <CONSOLIDATED_LIST> as the root element, found <export>/],
    ['eu-xml', 'page.xml', '<html><body>Service unavailable</body></html>', /expected <export> as the root element, found <html>/],
    ['ofac-xml', 'empty.xml', '<sdnList><publshInformation><Publish_Date>11/28/2026</Publish_Date></publshInformation></sdnList>', /no entries/],
    ['ofac-csv', 'short.csv', '36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA"\n', /line 1: expected 12 fields of sdn.csv, found 4/],
    ['uk-csv', 'other.csv', 'Name,Country\nA,B\n', /not the UK Sanctions List header \(missing "Unique ID", "Name 6", "Name 1", "Name type"\)/],
    ['ofac-xml', 'noname.xml', '<sdnList><sdnEntry><uid>7</uid><sdnType>Entity</sdnType></sdnEntry></sdnList>', /sdnEntry 7 has no <lastName>/],
    // A download cut mid-line: its last line would load as a shorter name, its list replace the whole one.
    ['uk-csv', 'cut.csv', UK_CSV.slice(0, UK_CSV.indexOf(',POUTINE,') + ',POUTINE,Vladim'.length), /cut\.csv line 5: expected the header's \d+ fields, found \d+/],
    ['ofac-csv', 'nul.csv', '36,"AERO\u0000CARIB",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n', /entry "36": its name holds a NUL character or an unpaired surrogate/],
    // The version is recorded and logged: bounded as the XML readers' and the CLI's --list-version are.
    ['uk-csv', 'long-date.csv', UK_CSV.replace('Report Date: 27-Nov-2026', `Report Date: ${'2'.repeat(201)}`), /^long-date\.csv line 1: the Report Date is 201 characters long: a list version is at most 200$/],
  ])('refuses a bad %s file (%s) naming the problem, and replaces nothing', async (format, name, text, problem) => {
    const before = await db.query(`SELECT id, source, version FROM sanctions_lists WHERE replaced_at IS NULL ORDER BY id`);
    const count = await db.query(`SELECT count(*) FROM sanctions_entries`);
    await expect(load(format, write(dir, name, text))).rejects.toThrow(SanctionsFileError);
    await expect(load(format, write(dir, name, text))).rejects.toThrow(problem);
    expect(await db.query(`SELECT id, source, version FROM sanctions_lists WHERE replaced_at IS NULL ORDER BY id`)).toEqual(before);
    expect(await db.query(`SELECT count(*) FROM sanctions_entries`)).toEqual(count);
  });

  it('counts the names of the entries it stored, not of the repeats it ignored', async () => {
    const [first] = OFAC_SDN_CSV.split('\r\n');
    const summary = await load('ofac-csv', write(dir, 'repeated.csv', `${first}\r\n${OFAC_SDN_CSV}`), write(dir, 'repeated-alt.csv', OFAC_ALT_CSV));
    expect(summary).toMatchObject({ entries: 3, names: 6, duplicates: 1 });
  });

  it('lets readers see the old list until the new one is committed, never a mix', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolveGate) => (release = resolveGate));
    let halfway!: () => void;
    const reachedHalfway = new Promise<void>((resolveHalf) => (halfway = resolveHalf));
    async function* entries(): AsyncGenerator<SanctionsEntry> {
      for (let i = 0; i < 5000; i++) {
        if (i === 2500) {
          halfway();
          await gate;
        }
        yield { entryId: `N${i}`, kind: 'entity', name: `New Entity ${i}`, aliases: [], birthDates: [], countries: [], programmes: [] };
      }
    }
    const reading: SanctionsListReading = { source: 'UK', entries: entries(), version: () => 'slow' };
    const loading = replaceSanctionsList(client, reading, { format: 'uk-csv', files: ['slow.csv'] });
    await reachedHalfway;
    expect((await entriesOf('UK')).map((e) => e.entry_id)).toEqual(['RUS0001', 'RUS0002']);
    release();
    await expect(loading).resolves.toMatchObject({ entries: 5000 });
    const after = await entriesOf('UK');
    expect(after).toHaveLength(5000);
    expect(after.every((e) => e.entry_id.startsWith('N'))).toBe(true);
  });

  describe('the CLI', () => {
    const run = (args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolveRun) => {
        if (!existsSync(CLI)) throw new Error('run `npm run build` first: this suite runs dist/cli/sanctions-load.js');
        execFile(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', DATABASE_URL: db.url }, timeout: 30_000 }, (error, stdout, stderr) =>
          resolveRun({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
        );
      });

    it('loads a file and says what it replaced', async () => {
      const result = await run(['--format', 'eu-xml', write(dir, 'eu-again.xml', EU_XML)]);
      expect(result.stdout).toMatch(/^Loaded EU version 2026-11-29T18:01:02.581\+01:00: 2 entries, 3 names in [\d.]+ s, replacing version 2026-11-29T18:01:02.581\+01:00\.\n$/);
      expect(result.code).toBe(0);
    });

    it('takes alt.csv through --aliases, and a version through --list-version', async () => {
      const sdn = write(dir, 'sdn-only.csv', OFAC_SDN_CSV);
      const alt = write(dir, 'aliases.csv', OFAC_ALT_CSV);
      const result = await run(['--format', 'ofac-csv', '--aliases', alt, '--list-version', '2026-11-30', sdn]);
      expect(result.stderr).toContain(`with aliases from ${alt}`);
      expect(result.stdout).toContain('Loaded OFAC-SDN version 2026-11-30: 3 entries, 6 names');
      expect(result.code).toBe(0);
    });

    it('exits 1 for a refused file, naming the problem, and 2 for a usage mistake', async () => {
      const refused = await run(['--format', 'un-xml', write(dir, 'bad.xml', '<CONSOLIDATED_LIST><INDIVIDUALS>')]);
      expect(refused.stderr).toMatch(/refused bad\.xml: not well-formed XML: .*\nNothing was replaced\.\n$/);
      expect(refused.code).toBe(1);
      const usage = await run(['--format', 'pdf', 'x']);
      expect(usage.stderr).toContain('--format must be one of ofac-csv, ofac-xml, un-xml, eu-xml, uk-csv; got "pdf"');
      expect(usage.code).toBe(2);
      expect((await run(['--format', 'uk-csv', '/nonexistent.csv'])).stderr).toContain('no such file: /nonexistent.csv');
    });

    it('refuses a directory given as the file with exit 1, naming it, in every format', async () => {
      for (const format of ['uk-csv', 'ofac-csv', 'ofac-xml', 'un-xml', 'eu-xml']) {
        const result = await run(['--format', format, dir]);
        expect([result.code, result.stderr]).toEqual([1, expect.stringContaining(`cannot read ${dir} (EISDIR)`)]);
      }
    });
  });
});
