// The attachment allowlist: which types, which bytes, and which names are kept.
import { acceptedContentType, assertContentMatches, safeFilename } from './attachment-content';
import { AttachmentRefusedError } from './domain-error';

const codeOf = (work: () => unknown): string | undefined => {
  try {
    work();
    return undefined;
  } catch (error) {
    return error instanceof AttachmentRefusedError ? error.code : 'OTHER';
  }
};

describe('acceptedContentType', () => {
  it('keeps the base type of an accepted one, in lower case', () => {
    expect(acceptedContentType('Application/PDF')).toBe('application/pdf');
    expect(acceptedContentType('text/csv; charset=UTF-8')).toBe('text/csv');
  });

  it('refuses types outside the allowlist, text in another charset, and inherited property names', () => {
    for (const type of ['text/html', 'image/svg+xml', 'application/octet-stream', '', 'toString', '__proto__', 'text/plain; charset=latin1']) {
      expect([type, codeOf(() => acceptedContentType(type))]).toEqual([type, 'ATTACHMENT_TYPE_UNSUPPORTED']);
    }
  });
});

describe('assertContentMatches', () => {
  it('accepts bytes that start as their type says, and UTF-8 text without NUL', () => {
    expect(codeOf(() => assertContentMatches('application/pdf', Buffer.from('%PDF-1.4')))).toBeUndefined();
    expect(codeOf(() => assertContentMatches('image/png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0])))).toBeUndefined();
    expect(codeOf(() => assertContentMatches('image/jpeg', Buffer.from([0xff, 0xd8, 0xff, 0xdb])))).toBeUndefined();
    expect(codeOf(() => assertContentMatches('text/plain', Buffer.from('Zürich, 12 000 €')))).toBeUndefined();
  });

  it('refuses an empty file, a wrong signature, a truncated one, invalid UTF-8 and NUL in text', () => {
    const cases: [string, number[] | string][] = [
      ['application/pdf', ''],
      ['application/pdf', 'PDF-1.4'],
      ['image/png', [0x89, 0x50, 0x4e]],
      ['image/jpeg', [0xff, 0xd8]],
      ['text/plain', [0x61, 0x00]],
      ['text/csv', [0xc3, 0x28]],
    ];
    for (const [type, bytes] of cases) {
      const content = typeof bytes === 'string' ? Buffer.from(bytes) : Buffer.from(bytes);
      expect([type, bytes, codeOf(() => assertContentMatches(type, content))]).toEqual([type, bytes, 'ATTACHMENT_CONTENT_MISMATCH']);
    }
  });
});

describe('safeFilename', () => {
  it('keeps the last path segment without control characters, and never an empty or dot name', () => {
    expect(safeFilename('C:\\Users\\ada\\invoice.pdf', 'application/pdf')).toBe('invoice.pdf');
    expect(safeFilename('../../etc/passwd.txt', 'text/plain')).toBe('passwd.txt');
    expect(safeFilename('bad\r\nname\u0000.txt', 'text/plain')).toBe('badname.txt');
    expect(safeFilename('', 'application/pdf')).toBe('attachment.pdf');
    expect(safeFilename('..', 'text/csv')).toBe('attachment.csv');
    expect(safeFilename(`${'😀'.repeat(200)}.png`, 'image/png')).toHaveLength(255);
  });

  it('ends every name as its checked type is known, so that a download never opens as a page or a script', () => {
    expect(safeFilename('report.html', 'text/plain')).toBe('report.html.txt');
    expect(safeFilename('x.html', 'application/pdf')).toBe('x.html.pdf');
    expect(safeFilename('payload.svg', 'image/png')).toBe('payload.svg.png');
    expect(safeFilename('passwd', 'text/plain')).toBe('passwd.txt');
    expect(safeFilename('scan.JPEG', 'image/jpeg')).toBe('scan.JPEG');
    expect(safeFilename('notes.log', 'text/plain')).toBe('notes.log');
    const long = safeFilename(`${'a'.repeat(300)}.html`, 'text/plain');
    expect([long.length, long.endsWith('.txt')]).toEqual([255, true]);
    // A long name already ending right is cut before its ending, never through it.
    for (const name of [`${'a'.repeat(250)}.html.txt`, `${'a'.repeat(300)}.txt`]) {
      const kept = safeFilename(name, 'text/plain');
      expect([kept.length, kept.endsWith('.txt'), kept.includes('.html')]).toEqual([255, true, false]);
    }
    expect(safeFilename('.txt', 'text/plain')).toBe('attachment.txt');
  });
});
