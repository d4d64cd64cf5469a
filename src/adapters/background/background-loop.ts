// A loop that does work in the background, sleeps when idle, wakes on demand and stops cleanly.
import { Logger } from '@nestjs/common';
import { isContention } from '../errors/database-unavailable';

export interface BackgroundLoopOptions {
  readonly name: string;
  /** Longest sleep between passes; work created elsewhere (another replica) is found by then. */
  readonly pollMs: number;
}

/** How long after a wakeAt() time the loop wakes, for clocks a few milliseconds apart. */
const WAKE_AT_MARGIN_MS = 20;

/**
 * `pass` does one round of work and says whether to run again at once (more may be waiting) or
 * to sleep until `pollMs` passes or `wake()` is called. Errors are logged, at most once a
 * minute per distinct message, and followed by a sleep: a database outage must neither crash
 * the process nor flood the log. Contention (a lock waited for past lock_timeout, a deadlock) is
 * a warning: the next pass gets past it, and an error line would page an operator for nothing.
 */
export class BackgroundLoop {
  private readonly logger: Logger;
  private running = false;
  private woken = false;
  private wakeUp: (() => void) | undefined;
  private done: Promise<void> | undefined;
  private lastError = { message: '', at: 0 };
  /** The earliest wake wakeAt() asked for, if it comes before the next poll would. */
  private alarm: { readonly at: number; readonly timer: NodeJS.Timeout } | undefined;

  constructor(
    private readonly options: BackgroundLoopOptions,
    private readonly pass: () => Promise<'again' | 'sleep'>,
  ) {
    this.logger = new Logger(options.name);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.done = this.run();
  }

  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /**
   * Something becomes due at `at` (a retry): wake then rather than at the next poll, which may be
   * long after (a little late, so that the database's clock, which judges what is due, agrees).
   */
  wakeAt(at: Date): void {
    const when = at.getTime() + WAKE_AT_MARGIN_MS;
    const delay = when - Date.now();
    if (delay <= 0) return this.wake();
    if (delay >= this.options.pollMs || (this.alarm && this.alarm.at <= when)) return;
    if (this.alarm) clearTimeout(this.alarm.timer);
    const timer = setTimeout(() => {
      this.alarm = undefined;
      this.wake();
    }, delay);
    timer.unref();
    this.alarm = { at: when, timer };
  }

  /** Stops after the current pass; resolves when it has finished. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.alarm) clearTimeout(this.alarm.timer);
    this.alarm = undefined;
    this.wake();
    await this.done;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let next: 'again' | 'sleep' = 'sleep';
      try {
        next = await this.pass();
      } catch (error) {
        this.report(error);
      }
      if (next === 'sleep' && this.running) await this.sleep();
    }
  }

  private sleep(): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(finish, this.options.pollMs);
      const self = this;
      function finish() {
        clearTimeout(timer);
        self.wakeUp = undefined;
        self.woken = false;
        resolve();
      }
      this.wakeUp = finish;
    });
  }

  private report(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    const now = Date.now();
    if (message === this.lastError.message && now - this.lastError.at < 60_000) return;
    this.lastError = { message, at: now };
    const line = `pass failed, retrying in ${this.options.pollMs} ms: ${message}`;
    if (isContention(error)) this.logger.warn(line);
    else this.logger.error(line);
  }
}
