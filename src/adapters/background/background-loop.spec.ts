import { Logger } from '@nestjs/common';
import { BackgroundLoop } from './background-loop';

/** Runs one failing pass of a loop and returns what it logged, by level. */
async function logsOfAFailingPass(failure: unknown): Promise<{ warn: string[]; error: string[] }> {
  const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  try {
    let passes = 0;
    let failed!: () => void;
    const hasFailed = new Promise<void>((resolve) => (failed = resolve));
    const loop = new BackgroundLoop({ name: 'spec', pollMs: 10_000 }, async () => {
      passes += 1;
      if (passes === 1) {
        setImmediate(failed);
        throw failure;
      }
      return 'sleep';
    });
    loop.start();
    await hasFailed;
    await loop.stop();
    return { warn: warn.mock.calls.map((call) => String(call[0])), error: error.mock.calls.map((call) => String(call[0])) };
  } finally {
    warn.mockRestore();
    error.mockRestore();
  }
}

const withCode = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('BackgroundLoop', () => {
  it('reports a pass that failed on contention as a warning: a lock waited for past lock_timeout, a deadlock', async () => {
    for (const failure of [withCode('55P03', 'canceling statement due to lock timeout'), withCode('40P01', 'deadlock detected'), { driverError: withCode('40001', 'could not serialize access') }]) {
      const logs = await logsOfAFailingPass(failure);
      expect(logs.error).toEqual([]);
      expect(logs.warn).toHaveLength(1);
      expect(logs.warn[0]).toMatch(/^pass failed, retrying in 10000 ms: /);
    }
  });

  it('reports any other failure as an error', async () => {
    for (const failure of [withCode('57P01', 'terminating connection due to administrator command'), new Error('bug')]) {
      const logs = await logsOfAFailingPass(failure);
      expect(logs.warn).toEqual([]);
      expect(logs.error).toHaveLength(1);
    }
  });
});
