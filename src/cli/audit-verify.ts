// `npm run audit:verify`: says whether the decision history's hash chains, and the notifications to Toqio built from them, are intact; exit 0 intact, 1 broken, 2 cannot run.
import { createPublicKey, KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AuditReport, AuditUnavailableError, verifyAuditTrail } from '../adapters/persistence/audit-verifier';
import { connectTo, DatabaseTargetError, Target, databaseTarget } from './database-target';

const EXIT_INTACT = 0;
const EXIT_BROKEN = 1;
const EXIT_CANNOT_RUN = 2;

const USAGE = `Usage: npm run -s audit:verify -- [--json] [--batch-size N] [--public-key FILE ...]
       node dist/cli/audit-verify.js [--json] [--batch-size N] [--public-key FILE ...]

Checks every transaction's hash chain (decisions, notes, attachments), that every notification to
Toqio sends what its decision says, and the append-only triggers.
  --json              one JSON document on stdout instead of the report
  --batch-size N      transactions read per query (default 1000)
  --public-key FILE   the Ed25519 public key (PEM) of AUDIT_SIGNING_KEY: also checks every signed
                      checkpoint's signature, and that today's chains still hold each signed head.
                      Repeat it for keys used before a rotation.

Database: DATABASE_URL (postgres://...). Without it, the embedded PostgreSQL a running service
started in EMBEDDED_DATABASE_DIR (default .data/postgres) is used, if it is running.
Exit status: 0 intact, 1 broken, 2 could not run.`;

/** Thrown for anything that stops the check before it can say intact or broken. */
class CannotRun extends Error {}

async function main(argv: string[]): Promise<number> {
  let json = false;
  try {
    const { values } = parseArgs({
      args: argv,
      options: { json: { type: 'boolean' }, 'batch-size': { type: 'string' }, 'public-key': { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    });
    json = values.json === true;
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return EXIT_INTACT;
    }
    const batchSize = values['batch-size'] === undefined ? 1000 : Number(values['batch-size']);
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100_000) throw new CannotRun('--batch-size must be a whole number from 1 to 100000');

    const publicKeys = values['public-key']?.map(readPublicKey);
    const target = databaseTarget(process.env);
    const client = await connectTo(target, 'audit-verify');
    try {
      const report = await verifyAuditTrail(client, { batchSize, onProgress: progressPrinter(), publicKeys });
      process.stdout.write(json ? `${JSON.stringify({ database: target.label, ...report }, null, 2)}\n` : humanReport(target, report));
      return report.intact ? EXIT_INTACT : EXIT_BROKEN;
    } finally {
      await client.end().catch(() => undefined);
    }
  } catch (error) {
    const message = error instanceof CannotRun || error instanceof DatabaseTargetError || error instanceof AuditUnavailableError || isArgumentError(error) ? error.message : `the check failed: ${(error as Error).message}`;
    process.stderr.write(`audit:verify cannot run: ${message}\n${isArgumentError(error) ? `\n${USAGE}\n` : ''}`);
    if (json) process.stdout.write(`${JSON.stringify({ intact: null, error: message })}\n`);
    return EXIT_CANNOT_RUN;
  }
}

/** An Ed25519 public key from a PEM file (a private key's file is accepted too: its public half is used). */
function readPublicKey(file: string): KeyObject {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CannotRun(`cannot read the public key ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new CannotRun(`${file} is not a PEM public key (make it with: openssl pkey -in audit-signing.pem -pubout)`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new CannotRun(`${file} is an ${key.asymmetricKeyType ?? 'unknown'} key, not Ed25519`);
  return key;
}

function isArgumentError(error: unknown): error is Error {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

/** Progress on a terminal every few seconds, so that a long run is visibly alive. */
function progressPrinter(): ((progress: { entriesChecked: number; transactionsChecked: number }) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  let last = Date.now();
  return ({ entriesChecked, transactionsChecked }) => {
    if (Date.now() - last < 5000) return;
    last = Date.now();
    process.stderr.write(`… ${count(entriesChecked)} entries of ${count(transactionsChecked)} transactions checked\n`);
  };
}

function humanReport(target: Target, report: AuditReport): string {
  const seconds = report.durationMs / 1000;
  const rate = seconds > 0 ? Math.round(report.entriesChecked / seconds) : report.entriesChecked;
  const lines = [
    `Decision history audit of ${target.label}`,
    `  checked ${count(report.entriesChecked)} entries of ${count(report.transactionsChecked)} transactions in ${seconds.toFixed(2)} s (${count(rate)} entries/s)`,
    `  checked ${count(report.notificationsChecked)} notification${report.notificationsChecked === 1 ? '' : 's'} to Toqio against their decisions`,
    ...report.triggers.map((t) => `  trigger ${t.trigger} on ${t.table}: ${t.state.toLowerCase().replace('_', ' ')}`),
    ...checkpointLines(report),
  ];
  if (report.intact) {
    lines.push('INTACT: every chain verifies, every state agrees with its history, every notification to Toqio with its decision, and every append-only trigger is enabled.');
    return `${lines.join('\n')}\n`;
  }
  lines.push(`BROKEN: ${count(report.problemCount)} problem${report.problemCount === 1 ? '' : 's'} found.`);
  const first = report.firstBroken;
  let shown = 0;
  if (first) {
    lines.push(
      first.entryId !== null
        ? `First broken entry: id ${first.entryId} (transaction ${JSON.stringify(first.transactionId)}, sequence ${first.sequence})`
        : `First broken transaction: ${JSON.stringify(first.transactionId)}`,
    );
    for (const problem of first.problems) lines.push(`  - ${problem.kind}: ${problem.message}`);
    shown = first.problems.length;
  }
  const badTriggers = report.triggers.filter((t) => t.state !== 'ENABLED');
  for (const t of badTriggers) {
    lines.push(`Trigger ${t.trigger} on ${t.table} is ${t.state.toLowerCase().replace('_', ' ')}: rows of ${t.table} can be changed or deleted.`);
    shown += 1;
  }
  const further = report.problemCount - shown;
  if (further > 0) {
    const kinds = Object.entries(report.problemsByKind)
      .map(([kind, n]) => `${kind} ${count(n!)}`)
      .join(', ');
    lines.push(`${count(further)} further problem${further === 1 ? '' : 's'} (all problems by kind: ${kinds}).`);
  }
  return `${lines.join('\n')}\n`;
}

function checkpointLines(report: AuditReport): string[] {
  const checked = report.checkpoints;
  if (checked === null) return ['  signed checkpoints: not checked (give --public-key FILE)'];
  if (checked.checkpointsChecked === 0) return ['  signed checkpoints: none stored (is AUDIT_SIGNING_KEY set on the service?)'];
  return [`  signed checkpoints: ${count(checked.checkpointsChecked)} checked, holding ${count(checked.headsChecked)} signed heads`];
}

function count(n: number): string {
  return n.toLocaleString('en-GB');
}

// Node's own exit code for a crash is 1, which would read as "broken": a crash cannot say that.
const crashed = (error: unknown) => {
  process.stderr.write(`audit:verify cannot run: ${(error as Error)?.message ?? String(error)}\n`);
  process.exit(EXIT_CANNOT_RUN);
};
process.on('uncaughtException', crashed);
process.on('unhandledRejection', crashed);

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
