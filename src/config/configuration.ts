// The whole configuration: every namespace validated from one env object, every problem reported together.
import { ConfigType } from '@nestjs/config';
import { analystsConfig } from './analysts.config';
import { auditConfig } from './audit.config';
import { databaseConfig } from './database.config';
import { ConfigError, Env } from './env-section';
import { eventsConfig } from './events.config';
import { monitoringConfig } from './monitoring.config';
import { operationsConfig } from './operations.config';
import { SectionSecrets } from './secrets';
import { paymentsConfig } from './payments.config';
import { serverConfig } from './server.config';
import { toqioConfig } from './toqio.config';
import { vendorsConfig } from './vendors.config';

export const NAMESPACES = {
  server: serverConfig,
  database: databaseConfig,
  toqio: toqioConfig,
  analysts: analystsConfig,
  monitoring: monitoringConfig,
  vendors: vendorsConfig,
  payments: paymentsConfig,
  operations: operationsConfig,
  audit: auditConfig,
  events: eventsConfig,
} as const;

export type Configuration = { readonly [Name in keyof typeof NAMESPACES]: ConfigType<(typeof NAMESPACES)[Name]> } & {
  /** Every configured secret value and secret-carrying header name, from the variables marked @Secret or @SecretHeader: what logs mask. */
  readonly secrets: SectionSecrets;
};

/**
 * Reads every variable of the contract from `env` (main.ts gives process.env, the tests their own
 * object) and throws one ConfigError naming every problem of every namespace.
 */
export function loadConfiguration(env: Env = process.env): Configuration {
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  const secrets = { values: [] as string[], headers: [] as string[] };
  for (const [name, namespace] of Object.entries(NAMESPACES)) {
    const result = namespace.read(env);
    problems.push(...result.problems);
    values[name] = result.value;
    secrets.values.push(...(result.secrets?.values ?? []));
    secrets.headers.push(...(result.secrets?.headers ?? []));
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { ...values, secrets } as unknown as Configuration;
}
