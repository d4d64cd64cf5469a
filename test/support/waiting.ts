// Waiting in tests: for a condition, for a value, and for work spread over a few at a time.

/** Polls `check` until it holds; throws naming `what` after `timeoutMs`. */
export async function eventually(what: string, check: () => Promise<boolean>, timeoutMs: number, pollMs = 25): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolveSleep) => setTimeout(resolveSleep, pollMs));
  }
}

/** Milliseconds until `check` holds, polled as `eventually` polls it: for a time that is itself a target. */
export async function msUntil(what: string, check: () => Promise<boolean>, timeoutMs: number, pollMs = 25): Promise<number> {
  const started = Date.now();
  await eventually(what, check, timeoutMs, pollMs);
  return Date.now() - started;
}

/**
 * Reads until `done` accepts what was read, or `timeoutMs` passes; returns the last read either
 * way, so that the test's own assertion says what was wrong.
 */
export async function readUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000, pollMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolveSleep) => setTimeout(resolveSleep, pollMs));
  }
}

/** Runs `work` over `items`, `limit` at a time. */
export async function inParallel<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index]!, index);
      }
    }),
  );
}
