// Runs the built `audit:verify` command as an operator would, with only the environment given.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const CLI = resolve(__dirname, '../../dist/cli/audit-verify.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function runAuditCli(args: string[], env: Record<string, string>): Promise<CliRun> {
  if (!existsSync(CLI)) throw new Error('run `npm run build` first: this suite runs dist/cli/audit-verify.js');
  return new Promise((resolveRun) => {
    execFile(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolveRun({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}
