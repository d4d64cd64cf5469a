// A clock of the test's own (jest's fake timers), for specs where a short window is the point.

/**
 * Runs `test` with jest's fake timers, starting at the real now, and puts the real ones back
 * whatever happens: a busy machine pausing inside a few-millisecond window cannot decide the outcome.
 */
export async function onTestClock(test: () => Promise<void>): Promise<void> {
  jest.useFakeTimers({ now: Date.now() });
  try {
    await test();
  } finally {
    jest.useRealTimers();
  }
}
