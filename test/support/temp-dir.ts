// Directories for a spec's own files (rule sets, platform files, keys, sanctions lists), gone once the spec file has run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];

// Registered as this module is imported, at the top of a spec file: a hook cannot be added from
// inside another (most directories are made in a beforeAll). Root hooks run after the describe
// blocks' own, so the apps reading these files are closed before they go.
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A new directory under the OS temporary directory, removed after the spec file's last test. */
export function temporaryDirectory(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  made.push(dir);
  return dir;
}
