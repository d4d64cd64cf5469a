import { DatabaseSaturatedError } from '../errors/database-unavailable';
import { isolatingFailures, MicroBatcher, MicroBatcherOptions } from './micro-batcher';

/** A fake round trip that records each batch and settles when the test says so. */
function recordingRun() {
  const batches: number[][] = [];
  const releases: (() => void)[] = [];
  const run = (items: number[]) => {
    batches.push(items);
    return new Promise<PromiseSettledResult<string>[]>((resolve) =>
      releases.push(() =>
        resolve(items.map((item) => (item < 0 ? { status: 'rejected', reason: new Error(`bad ${item}`) } : { status: 'fulfilled', value: `#${item}` }))),
      ),
    );
  };
  const releaseAll = () => releases.splice(0).forEach((release) => release());
  return { batches, run, releaseAll };
}

/** Lets pending callbacks, promise reactions and the batcher's setImmediate all run. */
const tick = async () => {
  for (let i = 0; i < 3; i += 1) await new Promise((resolve) => setImmediate(resolve));
};

/** A batcher with call 1 in flight, and calls 2 and 3 made after it. */
async function oneInFlightTwoWaiting(options: MicroBatcherOptions) {
  const recording = recordingRun();
  const batcher = new MicroBatcher(recording.run, options);
  const first = batcher.submit(1);
  await tick();
  const calls = [first, ...[2, 3].map((item) => batcher.submit(item))];
  return { ...recording, batcher, calls };
}

describe('MicroBatcher', () => {
  it('sends a lone call on its own, within one turn of the event loop', async () => {
    const { batches, run, releaseAll } = recordingRun();
    const batcher = new MicroBatcher(run, { maxBatch: 10, maxConcurrent: 1 });

    const result = batcher.submit(1);
    await tick();
    expect(batches).toEqual([[1]]);
    releaseAll();
    await expect(result).resolves.toBe('#1');
  });

  it('coalesces calls made while a batch is in flight into the next one', async () => {
    const { batches, run, releaseAll } = recordingRun();
    const batcher = new MicroBatcher(run, { maxBatch: 10, maxConcurrent: 1 });

    const first = batcher.submit(1);
    await tick();
    const later = [2, 3, 4].map((item) => batcher.submit(item));
    await tick();
    expect(batches).toEqual([[1]]);

    releaseAll();
    await first;
    await tick();
    expect(batches).toEqual([[1], [2, 3, 4]]);
    releaseAll();
    await expect(Promise.all(later)).resolves.toEqual(['#2', '#3', '#4']);
  });

  it('keeps batches within maxBatch and concurrency within maxConcurrent', async () => {
    const { batches, run, releaseAll } = recordingRun();
    const batcher = new MicroBatcher(run, { maxBatch: 2, maxConcurrent: 2, patienceMs: 60_000 });

    const all = [1, 2, 3, 4, 5, 6, 7].map((item) => batcher.submit(item));
    await tick();
    expect(batches).toEqual([[1, 2], [3, 4]]);
    releaseAll();
    await tick();
    // 7 alone is not a full batch: it waits for [5, 6] rather than take a second round trip.
    expect(batches).toEqual([[1, 2], [3, 4], [5, 6]]);
    releaseAll();
    await tick();
    expect(batches).toEqual([[1, 2], [3, 4], [5, 6], [7]]);
    releaseAll();
    await expect(Promise.all(all)).resolves.toHaveLength(7);
  });

  it('starts a second round trip while one is in flight only for a full batch', async () => {
    const { batches, batcher, calls, releaseAll } = await oneInFlightTwoWaiting({ maxBatch: 3, maxConcurrent: 4, patienceMs: 60_000 });
    // Two calls are fewer than a batch: they wait for the one in flight, though three more could go.
    await tick();
    expect(batches).toEqual([[1]]);
    // A third makes a full batch, which need not wait.
    calls.push(batcher.submit(4));
    await tick();
    expect(batches).toEqual([[1], [2, 3, 4]]);

    releaseAll();
    await expect(Promise.all(calls)).resolves.toEqual(['#1', '#2', '#3', '#4']);
  });

  describe('with a slow round trip in flight', () => {
    // Timers and the clock are the test's: a loaded machine's stalls cannot move the moments compared.
    beforeEach(() => jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] }));
    afterEach(() => jest.useRealTimers());
    /** Moves the test's clock on by `ms`, then lets what came due run. */
    const after = async (ms: number) => {
      jest.advanceTimersByTime(ms);
      await tick();
    };

    it('starts another round trip without a full batch once the one in flight has run for patienceMs', async () => {
      const { batches, batcher, calls, releaseAll } = await oneInFlightTwoWaiting({ maxBatch: 10, maxConcurrent: 3, patienceMs: 400 });
      await after(399);
      expect(batches).toEqual([[1]]);
      // [1] is slow: its followers stop waiting for it, and the next ones wait for theirs in turn.
      await after(1);
      expect(batches).toEqual([[1], [2, 3]]);
      jest.advanceTimersByTime(200);
      calls.push(batcher.submit(4));
      await after(199);
      expect(batches).toEqual([[1], [2, 3]]);
      await after(1);
      expect(batches).toEqual([[1], [2, 3], [4]]);

      releaseAll();
      await expect(Promise.all(calls)).resolves.toEqual(['#1', '#2', '#3', '#4']);
    });

    it('waits 5 ms by default', async () => {
      const { batches, calls, releaseAll } = await oneInFlightTwoWaiting({ maxBatch: 10, maxConcurrent: 2 });
      await after(4);
      expect(batches).toEqual([[1]]);
      await after(1);
      expect(batches).toEqual([[1], [2, 3]]);
      releaseAll();
      await expect(Promise.all(calls)).resolves.toEqual(['#1', '#2', '#3']);
    });
  });

  it("fails only the item whose outcome failed, and every item when the round trip fails", async () => {
    const { run, releaseAll } = recordingRun();
    const batcher = new MicroBatcher(run, { maxBatch: 10, maxConcurrent: 1 });
    const results = Promise.allSettled([1, -2, 3].map((item) => batcher.submit(item)));
    await tick();
    releaseAll();
    await expect(results).resolves.toEqual([
      { status: 'fulfilled', value: '#1' },
      { status: 'rejected', reason: new Error('bad -2') },
      { status: 'fulfilled', value: '#3' },
    ]);

    const broken = new MicroBatcher<number, string>(async () => {
      throw new Error('connection lost');
    }, { maxBatch: 10, maxConcurrent: 1 });
    await expect(Promise.allSettled([broken.submit(1), broken.submit(2)])).resolves.toEqual([
      { status: 'rejected', reason: new Error('connection lost') },
      { status: 'rejected', reason: new Error('connection lost') },
    ]);
  });

  it('refuses a call at once, without a round trip, when its queue is full, and accepts again once it drains', async () => {
    const { batches, run, releaseAll } = recordingRun();
    const batcher = new MicroBatcher(run, { maxBatch: 1, maxConcurrent: 1, maxQueued: 2, name: 'claims' });
    const accepted = [batcher.submit(1)];
    await tick();
    accepted.push(batcher.submit(2), batcher.submit(3));
    // 1 is in flight, 2 and 3 wait: the queue is full.
    await expect(batcher.submit(4)).rejects.toThrow(DatabaseSaturatedError);
    await expect(batcher.submit(4)).rejects.toThrow(/claims/);
    expect(batches).toEqual([[1]]);

    releaseAll();
    await tick();
    const later = batcher.submit(5);
    for (let i = 0; i < 4; i += 1) {
      releaseAll();
      await tick();
    }
    await expect(Promise.all([...accepted, later])).resolves.toEqual(['#1', '#2', '#3', '#5']);
  });

  it('does not retry items one by one when the database cannot serve', async () => {
    const calls: number[][] = [];
    const run = isolatingFailures(async (items: number[]) => {
      calls.push(items);
      throw Object.assign(new Error('canceling statement due to lock timeout'), { code: '55P03' });
    });
    await expect(run([1, 2, 3])).rejects.toMatchObject({ code: '55P03' });
    expect(calls).toEqual([[1, 2, 3]]);
  });
});
