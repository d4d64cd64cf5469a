// Keeps something held in memory in step with PostgreSQL: told of changes by LISTEN/NOTIFY, polling behind it.

export interface FollowerLog {
  warn(message: string): void;
  error(message: string): void;
}

export interface FollowerOptions {
  /** For log lines: "<subject> not refreshed", "cannot listen for <changes>". */
  readonly subject: string;
  readonly changes: string;
  readonly pollMs: number;
}

/**
 * Runs `update` when told of a change and every `pollMs`; calls made while one runs are folded into
 * one more pass, so a burst of notifications costs at most two. A failed update is logged and the
 * next call tries again.
 */
export class ChangeFollower {
  private running?: Promise<void>;
  private again = false;
  private timer?: NodeJS.Timeout;
  private stopListening?: () => Promise<void>;

  constructor(
    private readonly update: () => Promise<void>,
    private readonly logger: FollowerLog,
    private readonly options: FollowerOptions,
  ) {}

  refresh(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.update().catch((error: unknown) => this.logger.error(`${this.options.subject} not refreshed: ${(error as Error).message}`));
      } while (this.again);
    })().finally(() => (this.running = undefined));
    return this.running;
  }

  /** Listens through `onChange` (polling alone when it cannot) and starts the poll. */
  async follow(onChange: (listener: () => void) => Promise<() => Promise<void>>): Promise<void> {
    this.stopListening = await onChange(() => void this.refresh()).catch((error: unknown) => {
      this.logger.warn(`cannot listen for ${this.options.changes} (${(error as Error).message}); polling every ${this.options.pollMs} ms only`);
      return undefined;
    });
    this.timer = setInterval(() => void this.refresh(), this.options.pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.stopListening?.();
    await this.running?.catch(() => undefined);
  }
}
