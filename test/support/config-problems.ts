// The problems the configuration check names for an environment (none: it loads), for the config specs.
import { loadConfiguration } from '../../src/config/configuration';
import { ConfigError } from '../../src/config/env-section';

export function configProblemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfiguration(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}
