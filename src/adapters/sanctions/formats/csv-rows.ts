// Streams the rows of a large CSV file (csv-parse), each with its line number for error messages.
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { SanctionsFileError, unreadableFile } from '../sanctions-list';
import { refuseWideText } from './text-encoding';

export interface CsvRow {
  readonly line: number;
  readonly fields: readonly string[];
}

/** Yields every row of `file`; quoting mistakes throw a SanctionsFileError naming the line. */
export async function* csvRows(file: string): AsyncGenerator<CsvRow> {
  // csv-parse's `bom` reads UTF-16LE that begins with its byte order mark; any other wide text is refused by name.
  await refuseWideText(file, (text) => text.encoding === 'UTF-16LE' && text.byteOrderMark);
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true, max_record_size: 1_000_000 });
  // pipe() does not pass the file's own errors on (a directory, no permission): the parser would
  // wait for ever, or the error escape as uncaught; they end the rows here instead.
  const input = createReadStream(file).on('error', (error) => parser.destroy(error));
  input.pipe(parser);
  try {
    for await (const row of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      yield { line: row.info.lines, fields: row.record };
    }
  } catch (error) {
    if (error instanceof SanctionsFileError) throw error;
    throw unreadableFile(file, error) ?? new SanctionsFileError(`not readable as CSV: ${(error as Error).message}`);
  } finally {
    parser.destroy();
    input.destroy();
  }
}

/** A field with blanks and OFAC's "-0-" (no value) turned into undefined. */
export function field(fields: readonly string[], index: number): string | undefined {
  const value = fields[index]?.trim();
  return value && value !== '-0-' ? value : undefined;
}
