// The `database` namespace: where PostgreSQL is, or where the embedded one keeps its data.
import { resolve } from 'node:path';
import { EnvSection } from './env-section';
import { EnvRule, isUrl, RequiredInProduction, WholeNumber } from './env-rules';
import { defineNamespace } from './namespace';

export class DatabaseEnv extends EnvSection {
  // The embedded PostgreSQL is a development convenience: in production it would keep the only
  // copy of every decision on one pod's disk.
  @RequiredInProduction('the embedded PostgreSQL is for development only')
  @EnvRule('postgresUrl', (url) => (url === undefined || isUrl(url, ['postgres:', 'postgresql:']) ? [] : ['must be a postgres:// or postgresql:// URL']))
  DATABASE_URL?: string;

  EMBEDDED_DATABASE_DIR = '.data/postgres';

  @WholeNumber(1, 500)
  DATABASE_POOL_SIZE = '20';
}

export const databaseConfig = defineNamespace('database', DatabaseEnv, (env) => ({
  /** Unset: an embedded PostgreSQL is started in `embeddedDir`. */
  url: env.DATABASE_URL,
  embeddedDir: resolve(env.EMBEDDED_DATABASE_DIR),
  poolSize: Number(env.DATABASE_POOL_SIZE),
}));
