// Runs the built service (dist/main.js) as a child process, as an operator would, and reads its output.
import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const MAIN = resolve(__dirname, '../../dist/main.js');

/** The words of `npm start` (package.json), e.g. ['node', '--max-semi-space-size=32', 'dist/main.js']. */
export function startCommand(): string[] {
  const { scripts } = JSON.parse(readFileSync(resolve(__dirname, '../../package.json'), 'utf8')) as { scripts: { start: string } };
  return scripts.start.trim().split(/\s+/);
}

/** The Node flags npm start gives the service: the processes tests start run as operators' do. */
export const SERVICE_NODE_FLAGS = startCommand().slice(1, -1);

export interface ServiceProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  readonly baseUrl: string;
  /** Everything written to stdout so far. */
  stdout(): string;
  /** stdout and stderr, interleaved. */
  output(): string;
  /** SIGKILL unless it has exited already. */
  kill(): Promise<void>;
}

/**
 * Starts dist/main.js on a free port and resolves once it listens (the "listening on" line).
 * `watch`, if given, sees stdout and stderr so far after every chunk, before the start too.
 */
export function startService(env: Record<string, string>, timeoutMs = 30_000, watch?: (output: string) => void): Promise<ServiceProcess> {
  const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, MAIN], { env: { ...process.env, NO_COLOR: '1', PORT: '0', LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  let stdout = '';
  let output = '';
  return new Promise((resolveStart, reject) => {
    let started = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no start within ${timeoutMs} ms (the "listening on" line is logged at info level):\n${output}`));
    }, timeoutMs);
    const onData = (isStdout: boolean) => (chunk: Buffer) => {
      const text = chunk.toString();
      if (isStdout) stdout += text;
      output += text;
      watch?.(output);
      const listening = /listening on http:\/\/localhost:(\d+)/.exec(output);
      if (!started && listening) {
        started = true;
        clearTimeout(timer);
        resolveStart({
          child,
          exited,
          baseUrl: `http://127.0.0.1:${listening[1]}`,
          stdout: () => stdout,
          output: () => output,
          kill: async () => {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
            await exited;
          },
        });
      }
    };
    child.stdout!.on('data', onData(true));
    child.stderr!.on('data', onData(false));
    void exited.then((code) => {
      clearTimeout(timer);
      if (!started) reject(new Error(`exited with ${code} before listening:\n${output}`));
    });
  });
}
