// The base of every namespace's environment class, and how one is read from an env object and validated.
import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * The variables of one namespace, as strings: class-validator checks them, the namespace's factory
 * turns them into typed values. Every section sees NODE_ENV, because production changes the rules.
 */
export abstract class EnvSection {
  NODE_ENV = 'development';

  get production(): boolean {
    return this.NODE_ENV === 'production';
  }
}

/** What reading one section gives: its values, or why it cannot start. */
export type SectionResult<T> = { readonly problems: readonly string[]; readonly section?: T };

/** Every variable the service reads is named in capitals, digits and underscores. */
const VARIABLE_NAME = /^[A-Z][A-Z0-9_]*$/;

/**
 * Blank variables count as unset and values are trimmed, so a field initialiser is the default of
 * a variable that is missing or empty.
 */
export function readSection<T extends EnvSection>(type: new () => T, env: Env): SectionResult<T> {
  const present: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    // Only names a variable can have: anything else in the environment (`production`, `__proto__`)
    // would land on the section's own properties, where a getter refuses to be set.
    if (!VARIABLE_NAME.test(name)) continue;
    if (value !== undefined && value.trim() !== '') present[name] = value.trim();
  }
  const section = plainToInstance(type, present);
  const problems = validateSync(section).flatMap(messagesOf);
  return problems.length > 0 ? { problems } : { problems, section };
}

/** A rule may name several problems of one variable in one message, one per line. */
function messagesOf(error: ValidationError): string[] {
  return Object.values(error.constraints ?? {}).flatMap((message) => message.split('\n'));
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}
