// The whole configuration: every namespace validated from one env object, every problem reported together.
import { ConfigType } from '@nestjs/config';
import { analystsConfig } from './analysts.config';
import { databaseConfig } from './database.config';
import { ConfigError, Env } from './env-section';
import { monitoringConfig } from './monitoring.config';
import { operationsConfig } from './operations.config';
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
} as const;

export type Configuration = { readonly [Name in keyof typeof NAMESPACES]: ConfigType<(typeof NAMESPACES)[Name]> };

/**
 * Reads every variable of the contract from `env` (main.ts gives process.env, the tests their own
 * object) and throws one ConfigError naming every problem of every namespace.
 */
export function loadConfiguration(env: Env = process.env): Configuration {
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [name, namespace] of Object.entries(NAMESPACES)) {
    const result = namespace.read(env);
    problems.push(...result.problems);
    values[name] = result.value;
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return values as Configuration;
}
