// The published lists are UTF-8. A file saved again as UTF-16 or UTF-32 (a spreadsheet's or an editor's
// "Unicode" text) is refused by its encoding, where the parsers would report a quote or a character they
// cannot read on the first lines.
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { SanctionsFileError, unreadableFile } from '../sanctions-list';

export type WideEncoding = 'UTF-16LE' | 'UTF-16BE' | 'UTF-32LE' | 'UTF-32BE';

/** What a file's first bytes say of a wide encoding, and whether it begins with its byte order mark. */
export interface WideText {
  readonly encoding: WideEncoding;
  readonly byteOrderMark: boolean;
}

/**
 * The wide encoding `head` (a file's first four bytes, or fewer for a shorter file) is in, or undefined
 * for anything else: UTF-8, with or without its byte order mark, is read as it is. Without a mark, the
 * zero bytes tell: every official file begins with an ASCII character (`<`, a letter, a digit, a quote),
 * which has one, or three, zero bytes beside it in a wide encoding and none in UTF-8.
 */
export function wideTextOf(head: Uint8Array): WideText | undefined {
  const [a, b, c, d] = head;
  const four = head.length >= 4;
  if (four && a === 0xff && b === 0xfe && c === 0 && d === 0) return { encoding: 'UTF-32LE', byteOrderMark: true };
  if (four && a === 0 && b === 0 && c === 0xfe && d === 0xff) return { encoding: 'UTF-32BE', byteOrderMark: true };
  if (a === 0xff && b === 0xfe) return { encoding: 'UTF-16LE', byteOrderMark: true };
  if (a === 0xfe && b === 0xff) return { encoding: 'UTF-16BE', byteOrderMark: true };
  if (!four) return undefined;
  if (a !== 0 && b === 0 && c === 0 && d === 0) return { encoding: 'UTF-32LE', byteOrderMark: false };
  if (a === 0 && b === 0 && c === 0 && d !== 0) return { encoding: 'UTF-32BE', byteOrderMark: false };
  if (a !== 0 && b === 0 && c !== 0 && d === 0) return { encoding: 'UTF-16LE', byteOrderMark: false };
  if (a === 0 && b !== 0 && c === 0 && d !== 0) return { encoding: 'UTF-16BE', byteOrderMark: false };
  return undefined;
}

/**
 * Refuses `file` when it is in a wide encoding its reader cannot decode, naming the encoding; `readable`
 * says which it can (csv-parse reads UTF-16LE that begins with its byte order mark). A file that cannot be
 * opened or read is refused as such, as the readers refuse it.
 */
export async function refuseWideText(file: string, readable: (text: WideText) => boolean = () => false): Promise<void> {
  let head: Uint8Array;
  try {
    const handle = await open(file, 'r');
    try {
      const { bytesRead, buffer } = await handle.read(Buffer.alloc(4), 0, 4, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw unreadableFile(file, error) ?? error;
  }
  const wide = wideTextOf(head);
  if (wide && !readable(wide)) {
    const mark = wide.byteOrderMark ? '' : ' without a byte order mark';
    throw new SanctionsFileError(`${basename(file)} is ${wide.encoding} text${mark}: the lists are read as UTF-8, as they are published; save the file as UTF-8 and load it again`);
  }
}
