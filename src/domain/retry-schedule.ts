// When to try delivering a notification again: exponential backoff with jitter, up to a maximum age.

export interface RetrySchedule {
  /** Delay before the first retry; the n-th retry waits about base * 2^(n-1). */
  readonly baseDelayMs: number;
  /** No wait is ever longer than this. */
  readonly maxDelayMs: number;
  /** After this long without a delivery, the notification is dead. */
  readonly maxAgeMs: number;
  /** After this many attempts (since queued) without a delivery, it is dead too; unset: no limit but the age. */
  readonly maxAttempts?: number;
}

export type NextStep = { readonly retryAt: Date } | { readonly dead: true };

/**
 * "Equal jitter": half the exponential delay is fixed, half random, so retries from many
 * notifications spread out while each still waits at least half its nominal delay.
 * `random` returns a number in [0, 1). `atLeastMs` is how long the receiver asked us to wait
 * (Retry-After): the retry is no sooner than that, except that no wait exceeds `maxDelayMs`.
 */
export function nextAttempt(schedule: RetrySchedule, attemptsSoFar: number, queuedAt: Date, now: Date, random: () => number, atLeastMs = 0): NextStep {
  if (schedule.maxAttempts !== undefined && attemptsSoFar >= schedule.maxAttempts) return { dead: true };
  const exponent = Math.min(Math.max(attemptsSoFar - 1, 0), 40);
  const nominal = Math.min(schedule.maxDelayMs, schedule.baseDelayMs * 2 ** exponent);
  const delay = Math.max(nominal / 2 + random() * (nominal / 2), Math.min(atLeastMs, schedule.maxDelayMs));
  const retryAt = new Date(now.getTime() + Math.round(delay));
  if (retryAt.getTime() > queuedAt.getTime() + schedule.maxAgeMs) return { dead: true };
  return { retryAt };
}
