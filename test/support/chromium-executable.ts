// Finds the Chromium the browser suites drive: CHROMIUM_PATH, else Debian's, else the one inside @sparticuz/chromium.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const DEBIAN_CHROMIUM = '/usr/bin/chromium';

export interface ChromiumExecutable {
  readonly path: string;
  /** Flags this build needs on top of ours. */
  readonly args: readonly string[];
  /** Environment for the browser process. */
  readonly env?: Record<string, string>;
}

export async function chromiumExecutable(): Promise<ChromiumExecutable> {
  if (process.env.CHROMIUM_PATH) return { path: process.env.CHROMIUM_PATH, args: [] };
  if (existsSync(DEBIAN_CHROMIUM)) return { path: DEBIAN_CHROMIUM, args: [] };
  return packagedChromium();
}

/**
 * The package ships Chromium brotli-compressed and unpacks it into os.tmpdir() on first use. Its own
 * unpacking writes straight to /tmp/chromium, which two jest workers can race on and which may hold
 * another version's binary, so each version is unpacked once into its own directory: in a child process
 * whose TMPDIR is a private staging directory, then renamed into place (a rename is atomic; a worker
 * that loses the race drops its copy).
 */
async function packagedChromium(): Promise<ChromiumExecutable> {
  // The package exports no package.json; its entry point is build/cjs/index.cjs.
  const packageJson = join(require.resolve('@sparticuz/chromium'), '..', '..', '..', 'package.json');
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
  const dir = join(tmpdir(), `sparticuz-chromium-${version}`);
  if (!existsSync(join(dir, 'chromium'))) await unpackInto(dir);
  const { args } = require('@sparticuz/chromium') as { args: string[] };
  return { path: join(dir, 'chromium'), args: args.filter(isWanted), env: { FONTCONFIG_PATH: dir } };
}

async function unpackInto(dir: string): Promise<void> {
  const staging = `${dir}.${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const unpack = "require('@sparticuz/chromium').executablePath().then((path) => process.stdout.write(path))";
  try {
    await promisify(execFile)(process.execPath, ['-e', unpack], { env: { ...process.env, TMPDIR: staging } });
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  // The package's fonts.conf names /tmp/fonts; this one names the fonts unpacked next to the binary.
  writeFileSync(
    join(staging, 'fonts.conf'),
    `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <dir>${dir}/fonts</dir>\n  <cachedir>${dir}/fonts-cache</cachedir>\n</fontconfig>\n`,
  );
  try {
    renameSync(staging, dir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(join(dir, 'chromium'))) throw error;
  }
}

/**
 * The package's flags are tuned for AWS Lambda. Kept: the ones this build needs to start without a GPU
 * or a zygote. Dropped: the ones that would weaken what the console suites check (web security, site
 * isolation, mixed content), run everything in one process, or pick a headless mode playwright sets itself.
 */
function isWanted(flag: string): boolean {
  return !/^--(disable-web-security|allow-running-insecure-content|disable-site-isolation-trials|single-process|headless|disable-features=|enable-features=)/.test(flag);
}
