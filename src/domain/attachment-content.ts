// Which files a case accepts: an allowlist of content types, each checked against the bytes it names.
import { AttachmentRefusedError } from './domain-error';
import { storableText } from './storable-text';

interface AcceptedType {
  /** How people know it, for messages and documentation. */
  readonly label: string;
  /** True when the bytes are what the type says. */
  readonly matches: (bytes: Uint8Array) => boolean;
  /** The names' endings it is known by, the first the one a name without any of them gets. */
  readonly extensions: readonly string[];
}

const startsWith = (signature: readonly number[]) => (bytes: Uint8Array) => bytes.length >= signature.length && signature.every((byte, i) => bytes[i] === byte);

/** UTF-8 that decodes without a replacement and holds no NUL: text a reader can show as it is. */
function isUtf8Text(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * The allowlist. Formats a browser could run (HTML, SVG, JavaScript) are left out on purpose:
 * attachments are served for download, but a file that cannot execute stays harmless even if a
 * client ignores that.
 */
export const ATTACHMENT_TYPES: Readonly<Record<string, AcceptedType>> = {
  'application/pdf': { label: 'PDF', matches: startsWith([0x25, 0x50, 0x44, 0x46, 0x2d]) /* %PDF- */, extensions: ['pdf'] },
  'image/png': { label: 'PNG', matches: startsWith([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), extensions: ['png'] },
  'image/jpeg': { label: 'JPEG', matches: startsWith([0xff, 0xd8, 0xff]), extensions: ['jpg', 'jpeg'] },
  'text/plain': { label: 'plain text (UTF-8)', matches: isUtf8Text, extensions: ['txt', 'text', 'log'] },
  'text/csv': { label: 'CSV (UTF-8)', matches: isUtf8Text, extensions: ['csv'] },
};

export const FILENAME_MAX_LENGTH = 255;

/**
 * The content type as stored: its base type in lower case, from the allowlist. Parameters are
 * dropped, except that a text type may only say it is UTF-8.
 */
export function acceptedContentType(declared: string): string {
  const [base = '', ...parameters] = declared.split(';').map((part) => part.trim().toLowerCase());
  const accepted = Object.hasOwn(ATTACHMENT_TYPES, base) ? ATTACHMENT_TYPES[base] : undefined;
  if (accepted === undefined) {
    throw new AttachmentRefusedError('ATTACHMENT_TYPE_UNSUPPORTED', `Content type ${JSON.stringify(declared.slice(0, 100))} is not accepted; send one of ${Object.keys(ATTACHMENT_TYPES).join(', ')}`);
  }
  const charset = parameters.find((parameter) => parameter.startsWith('charset='))?.slice('charset='.length).replace(/^"|"$/g, '');
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new AttachmentRefusedError('ATTACHMENT_TYPE_UNSUPPORTED', `Only UTF-8 text is accepted, not charset ${JSON.stringify(charset.slice(0, 40))}`);
  }
  return base;
}

/** Refuses bytes that are not what `contentType` (an accepted one) says they are. */
export function assertContentMatches(contentType: string, bytes: Uint8Array): void {
  if (bytes.length === 0) throw new AttachmentRefusedError('ATTACHMENT_CONTENT_MISMATCH', 'The file is empty');
  const accepted = ATTACHMENT_TYPES[contentType];
  if (accepted === undefined || !accepted.matches(bytes)) {
    const label = accepted?.label ?? contentType;
    throw new AttachmentRefusedError('ATTACHMENT_CONTENT_MISMATCH', `The file is declared ${contentType} but its content is not ${label}`);
  }
}

/**
 * The name kept for a file of `contentType` (an accepted one): its last path segment, without
 * control characters, at most FILENAME_MAX_LENGTH characters; "attachment" when nothing is left.
 * It ends as its type is known ("report.html" sent as text/plain is kept as "report.html.txt"), so
 * that a downloaded file opens as what was checked, never as a page or a script.
 */
export function safeFilename(name: string, contentType: string): string {
  const extensions = ATTACHMENT_TYPES[contentType]?.extensions ?? [];
  const lastSegment = name.split(/[/\\]/).pop() ?? '';
  const cleaned = lastSegment.replace(/[\u0000-\u001f\u007f-\u009f]/g, '').trim();
  const base = cleaned === '' || cleaned === '.' || cleaned === '..' ? 'attachment' : cleaned;
  if (extensions.length === 0) return storableText(base, FILENAME_MAX_LENGTH);
  // The ending is kept whole and the name before it cut: cutting the whole name could leave "x.html".
  const [, stem = base, ending] = /^(.*)\.([^.]*)$/.exec(base) ?? [];
  const [kept, suffix] = ending !== undefined && extensions.includes(ending.toLowerCase()) ? [stem, `.${ending}`] : [base, `.${extensions[0]}`];
  return `${storableText(kept, FILENAME_MAX_LENGTH - suffix.length) || 'attachment'}${suffix}`;
}
