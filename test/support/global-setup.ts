// Provides one PostgreSQL server for the whole run: DATABASE_URL when given, else an embedded one.
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';

declare global {
  // Shared between globalSetup and globalTeardown, which run in the same process.
  var __EMBEDDED_TEST_DATABASE__: { child: ChildProcess; dir: string } | undefined;
}

export default async function globalSetup(): Promise<void> {
  const configured = process.env.DATABASE_URL;
  if (configured) {
    const client = new Client({ connectionString: configured, connectionTimeoutMillis: 5000 });
    await client.connect().catch((error: Error) => {
      throw new Error(`DATABASE_URL does not answer (${error.message}); unset it to use an embedded PostgreSQL`);
    });
    await client.end();
    process.env.TEST_ADMIN_DATABASE_URL = configured;
    return;
  }
  // No server given: start the service's own embedded PostgreSQL (from the build) in a temp dir.
  const launcher = resolve(__dirname, '../../dist/adapters/persistence/embedded-database.js');
  if (!existsSync(launcher)) throw new Error('run `npm run build` first: the test run starts the embedded PostgreSQL from dist/');
  const dir = mkdtempSync(join(tmpdir(), 'toqio-tm-test-'));
  const child = spawn(
    process.execPath,
    [
      '-e',
      `require(${JSON.stringify(launcher)}).startEmbeddedDatabase(${JSON.stringify(join(dir, 'pg'))}, () => {})
         .then((db) => {
           process.stdout.write(JSON.stringify({ url: db.url }) + '\\n');
           process.on('SIGTERM', () => db.stop().then(() => process.exit(0)));
         })
         .catch((error) => { process.stderr.write(String(error) + '\\n'); process.exit(1); });`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolveUrl, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((candidate) => candidate.startsWith('{'));
      if (line) resolveUrl((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new Error(`embedded PostgreSQL for tests exited with ${code}`)));
  });
  globalThis.__EMBEDDED_TEST_DATABASE__ = { child, dir };
  process.env.TEST_ADMIN_DATABASE_URL = url;
  process.on('exit', () => {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });
}
