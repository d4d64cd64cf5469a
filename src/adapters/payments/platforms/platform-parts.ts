// The parts of one platform's entry in PAYMENT_PLATFORMS_FILE: its signature and its field paths, each mistake named.
import { FieldPath, PlatformFields, PlatformSignature, SIGNATURE_SCHEMES } from './platform-definition';

export type Entry = Readonly<Record<string, unknown>>;

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const PATH_SEGMENT = /^[^.\s]{1,100}$/;
const MAX_PATH_SEGMENTS = 12;
const DEFAULT_TOLERANCE_SECONDS = 300;

export function isEntry(value: unknown): value is Entry {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Pushes a problem for each key of `entry` not in `known`: a typo should not pass silently. */
export function unknownKeys(entry: Entry, known: readonly string[], where: string, problems: string[]): void {
  for (const key of Object.keys(entry)) if (!known.includes(key)) problems.push(`${where}.${key}: unknown key (expected ${known.join(', ')})`);
}

export function parseSignature(raw: unknown, where: string, problems: string[]): PlatformSignature | undefined {
  if (!isEntry(raw)) {
    problems.push(`${where}: required, a mapping with scheme (${SIGNATURE_SCHEMES.join(', ')})`);
    return undefined;
  }
  const scheme = raw.scheme;
  if (scheme === 'standard-webhooks') {
    unknownKeys(raw, ['scheme'], where, problems);
    return { scheme };
  }
  if (scheme !== 'hmac-sha256' && scheme !== 'hmac-sha512') {
    problems.push(`${where}.scheme: must be one of ${SIGNATURE_SCHEMES.join(', ')}`);
    return undefined;
  }
  unknownKeys(raw, ['scheme', 'encoding', 'header', 'prefix', 'timestamp'], where, problems);
  const encoding = raw.encoding ?? 'hex';
  if (encoding !== 'hex' && encoding !== 'base64') problems.push(`${where}.encoding: must be hex or base64`);
  const header = headerName(raw.header, `${where}.header`, problems);
  const prefix = raw.prefix ?? '';
  if (typeof prefix !== 'string' || prefix.length > 40) problems.push(`${where}.prefix: must be text of at most 40 characters, e.g. "sha256="`);
  const timestamp = raw.timestamp === undefined ? undefined : parseTimestamp(raw.timestamp, `${where}.timestamp`, problems);
  if (header === undefined || (encoding !== 'hex' && encoding !== 'base64') || typeof prefix !== 'string') return undefined;
  return { scheme, encoding, header, prefix, ...(timestamp ? { timestamp } : {}) };
}

function parseTimestamp(raw: unknown, where: string, problems: string[]): { header: string; toleranceSeconds: number } | undefined {
  if (!isEntry(raw)) {
    problems.push(`${where}: must be a mapping with header and toleranceSeconds`);
    return undefined;
  }
  unknownKeys(raw, ['header', 'toleranceSeconds'], where, problems);
  const header = headerName(raw.header, `${where}.header`, problems);
  const tolerance = raw.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (typeof tolerance !== 'number' || !Number.isInteger(tolerance) || tolerance < 1 || tolerance > 86_400) {
    problems.push(`${where}.toleranceSeconds: must be a whole number of seconds from 1 to 86400`);
    return undefined;
  }
  return header === undefined ? undefined : { header, toleranceSeconds: tolerance };
}

function headerName(raw: unknown, where: string, problems: string[]): string | undefined {
  if (typeof raw === 'string' && HEADER_NAME.test(raw)) return raw.toLowerCase();
  problems.push(`${where}: required, an HTTP header name`);
  return undefined;
}

const FIELD_NAMES: readonly (keyof PlatformFields)[] = ['event', 'eventId', 'reference', 'amount', 'currency', 'counterpartyName', 'status'];

export function parseFields(raw: unknown, where: string, problems: string[]): PlatformFields | undefined {
  if (!isEntry(raw)) {
    problems.push(`${where}: required, a mapping of field paths (at least event)`);
    return undefined;
  }
  unknownKeys(raw, FIELD_NAMES, where, problems);
  const fields: Partial<Record<keyof PlatformFields, FieldPath>> = {};
  for (const name of FIELD_NAMES) {
    if (raw[name] === undefined) continue;
    const path = fieldPath(raw[name]);
    if (path) fields[name] = path;
    else problems.push(`${where}.${name}: must be a dotted path such as data.customer.name`);
  }
  if (raw.event === undefined) problems.push(`${where}.event: required, the path of the event's name`);
  return fields.event ? (fields as PlatformFields) : undefined;
}

function fieldPath(raw: unknown): FieldPath | undefined {
  if (typeof raw !== 'string') return undefined;
  const segments = raw.split('.');
  return segments.length <= MAX_PATH_SEGMENTS && segments.every((segment) => PATH_SEGMENT.test(segment)) ? segments : undefined;
}
