// Which variables hold secrets, and which name headers that carry one, so logs mask them without a list of their own.
type SecretsOf = (value: string) => readonly string[];

const secretVariables = new WeakMap<object, Map<string, SecretsOf>>();
const secretHeaderVariables = new WeakMap<object, Set<string>>();

/**
 * Marks a variable whose value (or the parts `secretsOf` picks out: a list's entries, a URL's
 * password) must never be written to a log. Logging learns them from configuration, so a new
 * provider's secret is masked by declaring it here, with no edit to the logging module.
 */
export function Secret(secretsOf: SecretsOf = (value) => [value]): PropertyDecorator {
  return (target, property) => {
    const known = secretVariables.get(target) ?? new Map<string, SecretsOf>();
    known.set(property as string, secretsOf);
    secretVariables.set(target, known);
  };
}

/** Marks a variable that names a header carrying a credential or a signature: its value is masked in logged headers. */
export function SecretHeader(): PropertyDecorator {
  return (target, property) => {
    const known = secretHeaderVariables.get(target) ?? new Set<string>();
    known.add(property as string);
    secretHeaderVariables.set(target, known);
  };
}

export interface SectionSecrets {
  /** Configured secret values. */
  readonly values: readonly string[];
  /** Lower-case names of configured headers that carry secrets. */
  readonly headers: readonly string[];
}

/** The secrets and secret headers a validated section was configured with. */
export function secretsOfSection(section: object): SectionSecrets {
  const values: string[] = [];
  const headers: string[] = [];
  for (let prototype = Object.getPrototypeOf(section); prototype !== null; prototype = Object.getPrototypeOf(prototype)) {
    for (const [property, secretsOf] of secretVariables.get(prototype) ?? []) {
      const value = (section as Record<string, unknown>)[property];
      if (typeof value === 'string' && value !== '') values.push(...secretsOf(value).filter((secret) => secret !== ''));
    }
    for (const property of secretHeaderVariables.get(prototype) ?? []) {
      const value = (section as Record<string, unknown>)[property];
      if (typeof value === 'string' && value !== '') headers.push(value.toLowerCase());
    }
  }
  return { values, headers };
}
