// Counts each source account's transactions over sliding windows as stored transactions stream past in order of arrival: the counts validate's claim would have gathered.
import { ScreeningContext } from '../domain/screening-context';

interface Times {
  /** Arrival times in ms, ascending; those before `start` have left every window. */
  readonly at: number[];
  start: number;
}

const NO_ACTIVITY: ScreeningContext = { sourceAccountActivity: new Map() };

export class ActivityCounter {
  private readonly times = new Map<string, Times>();
  private readonly longestMs: number;

  constructor(private readonly windowsSeconds: readonly number[]) {
    this.longestMs = Math.max(0, ...windowsSeconds) * 1000;
  }

  /** The longest window, for how far before a range its counts must start. */
  get longestWindowMs(): number {
    return this.longestMs;
  }

  /** Notes a transaction and returns its account's counts per window, itself included (as a claim counts). */
  record(account: string | undefined, at: Date): ScreeningContext {
    if (account === undefined || this.windowsSeconds.length === 0) return NO_ACTIVITY;
    const now = at.getTime();
    let times = this.times.get(account);
    if (!times) this.times.set(account, (times = { at: [], start: 0 }));
    while (times.start < times.at.length && times.at[times.start]! <= now - this.longestMs) times.start += 1;
    if (times.start > 1024 && times.start * 2 > times.at.length) {
      times.at.splice(0, times.start);
      times.start = 0;
    }
    times.at.push(now);
    const counts = new Map<number, number>();
    for (const window of this.windowsSeconds) counts.set(window, times.at.length - firstAfter(times.at, times.start, now - window * 1000));
    return { sourceAccountActivity: counts };
  }

  /** Forgets accounts with nothing left in any window at `at` (memory stays bounded by the active accounts). */
  sweep(at: Date): void {
    const bound = at.getTime() - this.longestMs;
    for (const [account, times] of this.times) if (times.at[times.at.length - 1]! <= bound) this.times.delete(account);
  }
}

/** The first index at or after `from` whose time is after `bound`. */
function firstAfter(times: readonly number[], from: number, bound: number): number {
  let low = from;
  let high = times.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (times[middle]! > bound) high = middle;
    else low = middle + 1;
  }
  return low;
}
