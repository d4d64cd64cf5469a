// Unit spec of the delivery backoff: bounds of each wait, growth, cap, jitter and the maximum age.
import fc from 'fast-check';
import { nextAttempt, NextStep, RetrySchedule } from './retry-schedule';

/** The service's defaults: 1 s base, 5 min cap, 72 h maximum age. */
const DEFAULTS: RetrySchedule = { baseDelayMs: 1_000, maxDelayMs: 300_000, maxAgeMs: 72 * 3_600_000 };
const QUEUED = new Date('2030-01-15T09:00:00.000Z');
const NOW = new Date(QUEUED.getTime() + 10_000);
/** The largest double below 1: what Math.random can return at most. */
const ALMOST_ONE = 1 - Number.EPSILON / 2;

const always = (value: number) => () => value;

function delayOf(step: NextStep, now: Date = NOW): number {
  if (!('retryAt' in step)) throw new Error(`expected a retry, got ${JSON.stringify(step)}`);
  return step.retryAt.getTime() - now.getTime();
}

describe('nextAttempt', () => {
  it('retries the first failure within the base delay, well inside 5 s with the defaults', () => {
    for (const random of [0, 0.5, ALMOST_ONE]) {
      const delay = delayOf(nextAttempt(DEFAULTS, 1, QUEUED, NOW, always(random)));
      expect(delay).toBeGreaterThanOrEqual(500);
      expect(delay).toBeLessThanOrEqual(1_000);
    }
  });

  it('treats a count of zero like the first attempt', () => {
    expect(nextAttempt(DEFAULTS, 0, QUEUED, NOW, always(0))).toEqual(nextAttempt(DEFAULTS, 1, QUEUED, NOW, always(0)));
  });

  it('doubles the wait after each further failure', () => {
    const floors = [1, 2, 3, 4, 5, 6].map((attempts) => delayOf(nextAttempt(DEFAULTS, attempts, QUEUED, NOW, always(0))));
    expect(floors).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000]);
  });

  it('never waits longer than the cap, however many attempts failed', () => {
    // 1 s * 2^9 is the first nominal wait above the 5 min cap.
    expect(delayOf(nextAttempt(DEFAULTS, 9, QUEUED, NOW, always(0)))).toBe(128_000);
    for (const attempts of [10, 11, 20, 40, 41, 1_000, Number.MAX_SAFE_INTEGER]) {
      expect(delayOf(nextAttempt(DEFAULTS, attempts, QUEUED, NOW, always(0)))).toBe(150_000);
      expect(delayOf(nextAttempt(DEFAULTS, attempts, QUEUED, NOW, always(ALMOST_ONE)))).toBe(300_000);
    }
  });

  it('jitters between half the nominal wait (random 0) and all of it (random just below 1)', () => {
    const schedule = { ...DEFAULTS, baseDelayMs: 4_000 };
    expect(delayOf(nextAttempt(schedule, 3, QUEUED, NOW, always(0)))).toBe(8_000);
    expect(delayOf(nextAttempt(schedule, 3, QUEUED, NOW, always(0.5)))).toBe(12_000);
    expect(delayOf(nextAttempt(schedule, 3, QUEUED, NOW, always(ALMOST_ONE)))).toBe(16_000);
  });

  describe('maximum age', () => {
    const schedule: RetrySchedule = { baseDelayMs: 1_000, maxDelayMs: 60_000, maxAgeMs: 3_600_000 };
    const deadline = QUEUED.getTime() + schedule.maxAgeMs;

    it('still retries when the retry lands exactly on the deadline', () => {
      const now = new Date(deadline - 1_000);
      expect(nextAttempt(schedule, 1, QUEUED, now, always(ALMOST_ONE))).toEqual({ retryAt: new Date(deadline) });
    });

    it('gives up when the retry would land after it', () => {
      const now = new Date(deadline - 999);
      expect(nextAttempt(schedule, 1, QUEUED, now, always(ALMOST_ONE))).toEqual({ dead: true });
    });

    it('gives up at once when the notification is already past it', () => {
      expect(nextAttempt(schedule, 1, QUEUED, new Date(deadline + 1), always(0))).toEqual({ dead: true });
    });

    it('counts the age from when it was queued, not from the last attempt', () => {
      const redelivered = new Date(deadline + 3_600_000);
      expect(nextAttempt(schedule, 50, QUEUED, new Date(redelivered.getTime() + 1_000), always(0))).toEqual({ dead: true });
      expect(delayOf(nextAttempt(schedule, 50, redelivered, new Date(redelivered.getTime() + 1_000), always(0)), new Date(redelivered.getTime() + 1_000))).toBe(30_000);
    });
  });

  describe('properties', () => {
    // The ranges configuration accepts.
    const schedules = fc.record({
      baseDelayMs: fc.integer({ min: 10, max: 5_000 }),
      maxDelayMs: fc.integer({ min: 1, max: 86_400 }).map((seconds) => seconds * 1_000),
      maxAgeMs: fc.integer({ min: 1, max: 8_760 }).map((hours) => hours * 3_600_000),
    });
    const randoms = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
    const attempts = fc.integer({ min: 1, max: 200 });
    /** How far past queuedAt the failure happened, as a fraction of the maximum age (beyond 1: overdue). */
    const elapsed = fc.double({ min: 0, max: 1.2, noNaN: true });

    const nominal = (schedule: RetrySchedule, attemptsSoFar: number) =>
      Math.min(schedule.maxDelayMs, schedule.baseDelayMs * 2 ** Math.min(attemptsSoFar - 1, 40));

    it('waits within [nominal / 2, nominal], and never lands beyond the maximum age', () => {
      fc.assert(
        fc.property(schedules, attempts, elapsed, randoms, (schedule, attemptsSoFar, fraction, random) => {
          const now = new Date(QUEUED.getTime() + Math.floor(schedule.maxAgeMs * fraction));
          const step = nextAttempt(schedule, attemptsSoFar, QUEUED, now, () => random);
          if ('dead' in step) return;
          const delay = step.retryAt.getTime() - now.getTime();
          const expected = nominal(schedule, attemptsSoFar);
          expect(delay).toBeGreaterThanOrEqual(expected / 2);
          expect(delay).toBeLessThanOrEqual(expected);
          expect(step.retryAt.getTime()).toBeLessThanOrEqual(QUEUED.getTime() + schedule.maxAgeMs);
        }),
      );
    });

    it('gives up only when a retry could not fit, and always when none could', () => {
      fc.assert(
        fc.property(schedules, attempts, elapsed, randoms, (schedule, attemptsSoFar, fraction, random) => {
          const now = new Date(QUEUED.getTime() + Math.floor(schedule.maxAgeMs * fraction));
          const dead = 'dead' in nextAttempt(schedule, attemptsSoFar, QUEUED, now, () => random);
          const left = QUEUED.getTime() + schedule.maxAgeMs - now.getTime();
          const expected = nominal(schedule, attemptsSoFar);
          if (expected <= left) expect(dead).toBe(false);
          if (Math.ceil(expected / 2) > left) expect(dead).toBe(true);
        }),
      );
    });

    it('waits longer, never shorter, as the random number grows', () => {
      fc.assert(
        fc.property(schedules, attempts, randoms, randoms, (schedule, attemptsSoFar, a, b) => {
          const [low, high] = a <= b ? [a, b] : [b, a];
          const wide = { ...schedule, maxAgeMs: Number.MAX_SAFE_INTEGER / 4 };
          expect(delayOf(nextAttempt(wide, attemptsSoFar, QUEUED, NOW, () => low))).toBeLessThanOrEqual(delayOf(nextAttempt(wide, attemptsSoFar, QUEUED, NOW, () => high)));
        }),
      );
    });
  });

  describe("with the receiver's own wait (Retry-After)", () => {
    it('retries no sooner than asked, and as scheduled when the schedule waits longer', () => {
      expect(delayOf(nextAttempt(DEFAULTS, 1, QUEUED, NOW, always(0), 30_000))).toBe(30_000);
      expect(delayOf(nextAttempt(DEFAULTS, 8, QUEUED, NOW, always(0), 30_000))).toBe(64_000);
      expect(delayOf(nextAttempt(DEFAULTS, 1, QUEUED, NOW, always(0), 0))).toBe(500);
    });

    it('never waits longer than the cap, whatever was asked', () => {
      expect(delayOf(nextAttempt(DEFAULTS, 1, QUEUED, NOW, always(0), 3_600_000))).toBe(300_000);
      expect(delayOf(nextAttempt(DEFAULTS, 1, QUEUED, NOW, always(0), Number.POSITIVE_INFINITY))).toBe(300_000);
    });

    it('gives up when the wait asked for lands after the maximum age', () => {
      const now = new Date(QUEUED.getTime() + DEFAULTS.maxAgeMs - 60_000);
      expect(nextAttempt(DEFAULTS, 1, QUEUED, now, always(0), 120_000)).toEqual({ dead: true });
    });
  });

  describe('with a maximum number of attempts', () => {
    const limited: RetrySchedule = { ...DEFAULTS, maxAttempts: 3 };

    it('retries until that many attempts have failed, then gives up whatever the age', () => {
      expect(nextAttempt(limited, 2, QUEUED, NOW, always(0))).toHaveProperty('retryAt');
      expect(nextAttempt(limited, 3, QUEUED, NOW, always(0))).toEqual({ dead: true });
      expect(nextAttempt(limited, 4, QUEUED, NOW, always(0))).toEqual({ dead: true });
    });

    it('still gives up at the maximum age before the count is reached', () => {
      const old = new Date(QUEUED.getTime() - DEFAULTS.maxAgeMs);
      expect(nextAttempt(limited, 1, old, NOW, always(0))).toEqual({ dead: true });
    });
  });
});
