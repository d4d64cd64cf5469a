// `npm run sanctions:load -- --format <fmt> FILE`: loads an official sanctions list into PostgreSQL, replacing the previous one of its source.
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { replaceSanctionsList } from '../adapters/persistence/sanctions-list.loader';
import { aliasesFileFor } from '../adapters/sanctions/formats/ofac-csv.format';
import { SANCTIONS_FORMATS } from '../adapters/sanctions/formats/sanctions-formats';
import { MAX_LIST_VERSION_LENGTH, SanctionsFileError } from '../adapters/sanctions/sanctions-list';
import { connectTo, DatabaseTargetError, databaseTarget } from './database-target';

const EXIT_LOADED = 0;
const EXIT_FILE_REFUSED = 1;
const EXIT_CANNOT_RUN = 2;

const USAGE = `Usage: npm run sanctions:load -- --format <format> [--aliases alt.csv] [--list-version V] FILE
       node dist/cli/sanctions-load.js --format <format> FILE

Loads an official consolidated sanctions list and replaces the previous list of the same source in
one database transaction: screening sees the old list or the new one, never a mix. A file that
cannot be read replaces nothing. Running services pick the new list up within seconds.

Formats:
${Object.entries(SANCTIONS_FORMATS)
  .map(([name, format]) => `  ${name.padEnd(10)} ${format.describe}`)
  .join('\n')}

  --aliases FILE        ofac-csv only: OFAC's alt.csv (default: the alt.csv beside sdn.csv, if any)
  --list-version V      the version to record, instead of the file's publication date
                        (OFAC's CSV files carry none: their content digest is recorded)

Database: DATABASE_URL (postgres://...). Without it, the embedded PostgreSQL a running service
started in EMBEDDED_DATABASE_DIR (default .data/postgres) is used, if it is running.
Exit status: 0 loaded, 1 the file was refused (nothing replaced), 2 could not run.`;

class CannotRun extends Error {}

interface Arguments {
  readonly format: string;
  readonly file: string;
  readonly aliases?: string;
  readonly version?: string;
}

function parse(argv: string[]): Arguments | 'help' {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { format: { type: 'string' }, aliases: { type: 'string' }, 'list-version': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
    allowPositionals: true,
  });
  if (values.help) return 'help';
  const format = values.format;
  if (!format) throw new CannotRun('--format is required');
  if (!Object.hasOwn(SANCTIONS_FORMATS, format)) throw new CannotRun(`--format must be one of ${Object.keys(SANCTIONS_FORMATS).join(', ')}; got ${JSON.stringify(format)}`);
  if (positionals.length !== 1) throw new CannotRun(`exactly one FILE is expected, got ${positionals.length}`);
  if (values.aliases !== undefined && format !== 'ofac-csv') throw new CannotRun('--aliases applies to --format ofac-csv only');
  const version = values['list-version']?.trim();
  if (values['list-version'] !== undefined && (!version || version.length > MAX_LIST_VERSION_LENGTH)) throw new CannotRun(`--list-version must be 1 to ${MAX_LIST_VERSION_LENGTH} characters`);
  for (const file of [positionals[0], values.aliases]) if (file !== undefined && !existsSync(file)) throw new CannotRun(`no such file: ${file}`);
  return { format, file: positionals[0], aliases: values.aliases, version };
}

async function main(argv: string[]): Promise<number> {
  try {
    const args = parse(argv);
    if (args === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return EXIT_LOADED;
    }
    const target = databaseTarget(process.env);
    const client = await connectTo(target, 'sanctions-load');
    try {
      return await load(client, args, target.label);
    } finally {
      await client.end().catch(() => undefined);
    }
  } catch (error) {
    const known = error instanceof CannotRun || error instanceof DatabaseTargetError || isArgumentError(error);
    process.stderr.write(`sanctions:load cannot run: ${known ? (error as Error).message : `the load failed: ${(error as Error).message}`}\n${isArgumentError(error) || error instanceof CannotRun ? `\n${USAGE}\n` : ''}`);
    return EXIT_CANNOT_RUN;
  }
}

async function load(client: Client, args: Arguments, database: string): Promise<number> {
  const format = SANCTIONS_FORMATS[args.format];
  const aliasesFile = args.format === 'ofac-csv' ? aliasesFileFor(args.file, args.aliases) : undefined;
  const reading = format.read(args.file, { aliasesFile });
  const note = args.format !== 'ofac-csv' ? '' : aliasesFile ? ` with aliases from ${aliasesFile}` : ' without aliases (no alt.csv beside it: name one with --aliases)';
  process.stderr.write(`Loading ${format.describe} from ${args.file}${note} into ${database}\n`);
  try {
    const started = Date.now();
    const summary = await replaceSanctionsList(client, reading, { format: args.format, files: [args.file, aliasesFile].filter((f): f is string => !!f), version: args.version, onProgress: progressPrinter() });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const replaced = summary.replacedVersion === undefined ? 'there was no previous list' : `replacing version ${summary.replacedVersion}`;
    const duplicates = summary.duplicates > 0 ? `; ${summary.duplicates} repeated entries ignored (first kept)` : '';
    process.stdout.write(`Loaded ${summary.source} version ${summary.version}: ${summary.entries} entries, ${summary.names} names in ${seconds} s, ${replaced}${duplicates}.\n`);
    return EXIT_LOADED;
  } catch (error) {
    if (error instanceof SanctionsFileError) {
      process.stderr.write(`sanctions:load refused ${basename(args.file)}: ${error.message}\nNothing was replaced.\n`);
      return EXIT_FILE_REFUSED;
    }
    if ((error as { code?: string }).code === '42P01') throw new CannotRun(`${database} has no sanctions tables: start the service once against it, so that it applies its migrations`);
    throw error;
  }
}

function isArgumentError(error: unknown): error is Error {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

function progressPrinter(): ((entries: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  let last = Date.now();
  return (entries) => {
    if (Date.now() - last < 5000) return;
    last = Date.now();
    process.stderr.write(`… ${entries.toLocaleString('en-GB')} entries read\n`);
  };
}

const crashed = (error: unknown) => {
  process.stderr.write(`sanctions:load cannot run: ${(error as Error)?.message ?? String(error)}\n`);
  process.exit(EXIT_CANNOT_RUN);
};
process.on('uncaughtException', crashed);
process.on('unhandledRejection', crashed);

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
