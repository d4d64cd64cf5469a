// Reads PAYMENT_PLATFORMS_FILE (YAML) into platform definitions with their secrets, naming every mistake at once.
import { readFileSync } from 'node:fs';
import { placeholderProblems, weakSecretProblems } from '../../../config/env-rules';
import { readYaml } from '../../yaml/read-yaml';
import { Entry, isEntry, parseFields, parseSignature, unknownKeys } from './platform-parts';
import { FIELDS_NEEDED, Platform, PLATFORM_EFFECTS, PlatformDefinition, PlatformEffect, RESERVED_PLATFORM_NAMES } from './platform-definition';

const NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;
const ENV_NAME = /^[A-Z_][A-Z0-9_]{0,99}$/;
const CURRENCY = /^[A-Z]{3,12}$/;
const PLATFORM_KEYS = ['name', 'secretEnv', 'signature', 'fields', 'amountUnit', 'minorUnitDigits', 'events'];

export interface PlatformsReading {
  readonly platforms: readonly Platform[];
  /** Empty when the file can be used. */
  readonly problems: readonly string[];
}

/** The file's platforms with their secrets from `env`; every problem names the file (the configuration adds the variable). */
export function readPlatformsFile(file: string, env: Readonly<Record<string, unknown>>, production: boolean): PlatformsReading {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { platforms: [], problems: [`cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`] };
  }
  const { definitions, problems } = parsePlatforms(text);
  const secrets = withSecrets(definitions, env, production);
  const all = [...problems, ...secrets.problems];
  return { platforms: all.length === 0 ? secrets.platforms : [], problems: all.map((problem) => `${file}: ${problem}`) };
}

/** Parses the YAML (or JSON) text; `problems` names every mistake, and only then are the definitions to be used. */
export function parsePlatforms(text: string): { definitions: PlatformDefinition[]; problems: string[] } {
  const read = readYaml(text);
  if ('problem' in read) return { definitions: [], problems: [read.problem] };
  const document = read.document;
  const list = isEntry(document) ? document.platforms : undefined;
  if (!Array.isArray(list) || list.length === 0) return { definitions: [], problems: ['must have a non-empty "platforms" list'] };
  const problems: string[] = [];
  if (isEntry(document)) unknownKeys(document, ['platforms'], '(top level)', problems);
  const names = new Set<string>();
  const definitions = list.flatMap((raw: unknown, index) => parsePlatform(raw, `platforms[${index}]`, names, problems) ?? []);
  return { definitions, problems };
}

function parsePlatform(raw: unknown, where: string, names: Set<string>, problems: string[]): PlatformDefinition | undefined {
  if (!isEntry(raw)) {
    problems.push(`${where}: must be a mapping`);
    return undefined;
  }
  unknownKeys(raw, PLATFORM_KEYS, where, problems);
  const name = platformName(raw.name, `${where}.name`, names, problems);
  const secretEnv = typeof raw.secretEnv === 'string' && ENV_NAME.test(raw.secretEnv) ? raw.secretEnv : undefined;
  if (!secretEnv) problems.push(`${where}.secretEnv: required, the name of the environment variable holding the secret (upper case, e.g. ACME_WEBHOOK_SECRET)`);
  const signature = parseSignature(raw.signature, `${where}.signature`, problems);
  const fields = parseFields(raw.fields, `${where}.fields`, problems);
  const events = parseEvents(raw.events, `${where}.events`, problems);
  const amountUnit = raw.amountUnit ?? (fields?.amount ? undefined : 'minor');
  if (amountUnit !== 'minor' && amountUnit !== 'major') problems.push(`${where}.amountUnit: must be minor (whole numbers of the smallest unit) or major`);
  const minorUnitDigits = parseDigits(raw.minorUnitDigits, `${where}.minorUnitDigits`, problems);
  if (fields && events) {
    for (const [event, effect] of events) {
      const missing = FIELDS_NEEDED[effect].filter((field) => fields[field] === undefined);
      if (missing.length > 0) problems.push(`${where}.events.${event}: ${effect} needs fields.${missing.join(' and fields.')}`);
    }
  }
  if (!name || !secretEnv || !signature || !fields || !events || (amountUnit !== 'minor' && amountUnit !== 'major') || !minorUnitDigits) return undefined;
  return { name, secretEnv, signature, fields, events, amountUnit, minorUnitDigits };
}

function platformName(raw: unknown, where: string, names: Set<string>, problems: string[]): string | undefined {
  if (typeof raw !== 'string' || !NAME.test(raw)) {
    problems.push(`${where}: required, lower-case letters, digits and dashes (at most 40): it is the path /webhooks/platforms/<name>`);
    return undefined;
  }
  if (RESERVED_PLATFORM_NAMES.includes(raw)) problems.push(`${where}: "${raw}" is reserved for the service's own adapter`);
  else if (names.has(raw)) problems.push(`${where}: "${raw}" is used twice`);
  names.add(raw);
  return raw;
}

function parseEvents(raw: unknown, where: string, problems: string[]): Map<string, PlatformEffect> | undefined {
  if (!isEntry(raw) || Object.keys(raw).length === 0) {
    problems.push(`${where}: required, a mapping of event names to ${PLATFORM_EFFECTS.join(', ')}`);
    return undefined;
  }
  const events = new Map<string, PlatformEffect>();
  for (const [event, effect] of Object.entries(raw)) {
    if ((PLATFORM_EFFECTS as readonly unknown[]).includes(effect)) events.set(event, effect as PlatformEffect);
    else problems.push(`${where}.${event}: must be one of ${PLATFORM_EFFECTS.join(', ')}`);
  }
  return events.size === Object.keys(raw).length ? events : undefined;
}

function parseDigits(raw: unknown, where: string, problems: string[]): Record<string, number> | undefined {
  if (raw === undefined) return {};
  if (!isEntry(raw)) {
    problems.push(`${where}: must be a mapping of currency codes to digits, e.g. { JPY: 0, KWD: 3 }`);
    return undefined;
  }
  const digits: Record<string, number> = {};
  for (const [currency, value] of Object.entries(raw as Entry)) {
    if (CURRENCY.test(currency) && typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 18) digits[currency] = value;
    else problems.push(`${where}.${currency}: must be an upper-case currency code with a whole number of digits from 0 to 18`);
  }
  return digits;
}

function withSecrets(definitions: readonly PlatformDefinition[], env: Readonly<Record<string, unknown>>, production: boolean): { platforms: Platform[]; problems: string[] } {
  const problems: string[] = [];
  const platforms = definitions.flatMap((definition): Platform[] => {
    const value = env[definition.secretEnv];
    const secret = typeof value === 'string' ? value.trim() : '';
    const where = `platform ${definition.name}: ${definition.secretEnv}`;
    if (secret === '') {
      problems.push(`${where} is not set; it must hold the platform's webhook secret`);
      return [];
    }
    const weak = definition.signature.scheme === 'standard-webhooks' ? standardWebhooksSecretProblems(secret, production) : production ? weakSecretProblems(secret) : [];
    problems.push(...weak.map((problem) => `${where} ${problem}`));
    return [{ ...definition, secret }];
  });
  return { platforms, problems };
}

function standardWebhooksSecretProblems(secret: string, production: boolean): string[] {
  const key = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(key) || Buffer.from(key, 'base64').length < 24) return ['must be a Standard Webhooks secret, "whsec_" then at least 24 bytes in base64'];
  return production ? placeholderProblems(secret) : [];
}
