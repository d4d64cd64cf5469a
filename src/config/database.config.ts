// The `database` namespace: where PostgreSQL is, or where the embedded one keeps its data.
import { resolve } from 'node:path';
import { EnvSection } from './env-section';
import { EnvRule, isUrl, placeholderProblems, RequiredInProduction, WholeNumber } from './env-rules';
import { defineNamespace } from './namespace';
import { Secret } from './secrets';

/** The password of a postgres:// URL, as written and decoded (a log may show either). */
function passwordOf(url: string): string[] {
  try {
    const { password } = new URL(url);
    return password === '' ? [] : [...new Set([decodeURIComponent(password), password])];
  } catch {
    return [];
  }
}

/**
 * The smallest DATABASE_POOL_SIZE the pools keep to (HotPathPool.sizes): validate's pool needs a
 * connection, and the main pool two, since migrations hold their advisory lock on one while they run on another.
 */
export const MIN_POOL_SIZE = 3;

export class DatabaseEnv extends EnvSection {
  // The embedded PostgreSQL is a development convenience: in production it would keep the only
  // copy of every decision on one pod's disk.
  @RequiredInProduction('the embedded PostgreSQL is for development only')
  // The `//` too: pg reads "postgresql:user@host/db" as no host and a database named "user@host/db".
  @EnvRule('postgresUrl', (url) =>
    url === undefined || (isUrl(url, ['postgres:', 'postgresql:']) && /^postgres(ql)?:\/\//i.test(url.trim()))
      ? []
      : ['must be a postgres:// or postgresql:// URL, such as postgres://user:password@host:5432/database'],
  )
  // No length rule: the password may be absent (certificates, IAM), but never the template's.
  @Secret(passwordOf)
  @EnvRule<DatabaseEnv>('databasePassword', (url, env) =>
    env.production && url !== undefined && isUrl(url, ['postgres:', 'postgresql:']) ? placeholderProblems(passwordOf(url)[0] ?? '').map((problem) => `its password ${problem}`) : [],
  )
  DATABASE_URL?: string;

  EMBEDDED_DATABASE_DIR = '.data/postgres';

  @WholeNumber(MIN_POOL_SIZE, 500, "validate's pool needs 1 connection and the main pool 2 (migrations hold a lock on one while they run on another)")
  DATABASE_POOL_SIZE = '20';
}

export const databaseConfig = defineNamespace('database', DatabaseEnv, (env) => ({
  /** Unset: an embedded PostgreSQL is started in `embeddedDir`. */
  url: env.DATABASE_URL,
  embeddedDir: resolve(env.EMBEDDED_DATABASE_DIR),
  poolSize: Number(env.DATABASE_POOL_SIZE),
}));
