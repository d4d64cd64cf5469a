// Files saved again in a wide encoding: refused naming it, in every format, where the parsers used to report a
// quote or a character on line 1 or 2; UTF-8 with its byte order mark, and UTF-16LE CSV with its mark, still read.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EU_XML, listDirectory, OFAC_SDN_CSV, OFAC_SDN_XML, UK_CSV, UN_XML } from '../../../../test/sanctions/list-files';
import { SanctionsEntry, SanctionsFileError, SanctionsListReading } from '../sanctions-list';
import { readEuXml } from './eu-xml.format';
import { readOfacCsv } from './ofac-csv.format';
import { readOfacXml } from './ofac-xml.format';
import { readUkCsv } from './uk-csv.format';
import { readUnXml } from './un-xml.format';
import { wideTextOf } from './text-encoding';

const dir = listDirectory();

const BOM: Record<string, number[]> = { 'UTF-8': [0xef, 0xbb, 0xbf], 'UTF-16LE': [0xff, 0xfe], 'UTF-16BE': [0xfe, 0xff], 'UTF-32LE': [0xff, 0xfe, 0, 0], 'UTF-32BE': [0, 0, 0xfe, 0xff] };

/** `text` in `encoding`, after its byte order mark when `withMark`. */
function encoded(text: string, encoding: keyof typeof BOM, withMark: boolean): Buffer {
  let body: Buffer;
  if (encoding === 'UTF-8') body = Buffer.from(text, 'utf8');
  else if (encoding === 'UTF-16LE') body = Buffer.from(text, 'utf16le');
  else if (encoding === 'UTF-16BE') body = Buffer.from(text, 'utf16le').swap16();
  else {
    const units = [...text].map((c) => c.codePointAt(0)!);
    body = Buffer.alloc(units.length * 4);
    units.forEach((unit, i) => (encoding === 'UTF-32LE' ? body.writeUInt32LE(unit, i * 4) : body.writeUInt32BE(unit, i * 4)));
  }
  return withMark ? Buffer.concat([Buffer.from(BOM[encoding]), body]) : body;
}

function file(name: string, bytes: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

async function readAll(reading: SanctionsListReading): Promise<SanctionsEntry[]> {
  const entries: SanctionsEntry[] = [];
  for await (const entry of reading.entries) entries.push(entry);
  return entries;
}

const FORMATS = [
  { format: 'OFAC XML', text: OFAC_SDN_XML, read: (path: string) => readOfacXml(path) },
  { format: 'UN XML', text: UN_XML, read: (path: string) => readUnXml(path) },
  { format: 'EU XML', text: EU_XML, read: (path: string) => readEuXml(path) },
  { format: 'OFAC CSV', text: OFAC_SDN_CSV, read: (path: string) => readOfacCsv(path, undefined) },
  { format: 'UK CSV', text: UK_CSV, read: (path: string) => readUkCsv(path) },
];

describe('the text encoding of a sanctions file', () => {
  it('tells the wide encodings from their first bytes, with or without a byte order mark, and nothing else', () => {
    for (const encoding of ['UTF-16LE', 'UTF-16BE', 'UTF-32LE', 'UTF-32BE'] as const) {
      expect(wideTextOf(encoded('<?xml', encoding, true).subarray(0, 4))).toEqual({ encoding, byteOrderMark: true });
      expect(wideTextOf(encoded('"36"', encoding, false).subarray(0, 4))).toEqual({ encoding, byteOrderMark: false });
    }
    for (const text of ['<?xml', '\ufeff<?xml', 'Report Date', '36,"A', 'Ünique', '']) expect(wideTextOf(Buffer.from(text, 'utf8').subarray(0, 4))).toBeUndefined();
    // A file of one to three bytes: too short to tell without a mark.
    expect(wideTextOf(Buffer.from([0x41, 0]))).toBeUndefined();
  });

  it.each(FORMATS)('reads $format in UTF-8 with its byte order mark as without it', async ({ format, text, read }) => {
    const plain = await readAll(read(file(`${format}-plain`, encoded(text, 'UTF-8', false))));
    expect(plain.length).toBeGreaterThan(0);
    expect(await readAll(read(file(`${format}-bom`, encoded(text, 'UTF-8', true))))).toEqual(plain);
  });

  it.each(FORMATS.flatMap(({ format, text, read }) => (['UTF-16LE', 'UTF-16BE', 'UTF-32LE', 'UTF-32BE'] as const).flatMap((encoding) => [true, false].map((withMark) => ({ format, text, read, encoding, withMark })))))(
    'refuses $format in $encoding (byte order mark: $withMark) naming the encoding, unless csv-parse reads it',
    async ({ format, text, read, encoding, withMark }) => {
      const name = `${format.replace(' ', '-')}-${encoding}-${withMark}`;
      const reading = read(file(name, encoded(text, encoding, withMark)));
      if (format.endsWith('CSV') && encoding === 'UTF-16LE' && withMark) {
        expect(await readAll(reading)).toEqual(await readAll(read(file(`${name}-utf8`, encoded(text, 'UTF-8', false)))));
        return;
      }
      const error = await readAll(reading).then(() => undefined, (e: Error) => e);
      expect(error).toBeInstanceOf(SanctionsFileError);
      expect(error!.message).toBe(`${name} is ${encoding} text${withMark ? '' : ' without a byte order mark'}: the lists are read as UTF-8, as they are published; save the file as UTF-8 and load it again`);
    },
  );

  it('still refuses a file it cannot open or read as such', async () => {
    await expect(readAll(readUnXml(join(dir, 'missing.xml')))).rejects.toThrow(`cannot read ${join(dir, 'missing.xml')} (ENOENT)`);
    await expect(readAll(readUkCsv(dir))).rejects.toThrow(`cannot read ${dir} (EISDIR)`);
  });
});
