// Stops the embedded PostgreSQL that globalSetup started, if any.
import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const embedded = globalThis.__EMBEDDED_TEST_DATABASE__;
  if (!embedded) return;
  await new Promise<void>((resolve) => {
    embedded.child.once('exit', () => resolve());
    embedded.child.kill('SIGTERM');
    setTimeout(resolve, 10_000).unref();
  });
  rmSync(embedded.dir, { recursive: true, force: true });
}
