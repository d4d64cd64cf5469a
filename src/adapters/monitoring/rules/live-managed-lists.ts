// The managed lists every replica matches against, held in memory: read at start, read again within a second of any change.
import { ListContents, listEntryKey, ManagedListStore } from '../../../application/ports/managed-list-store.port';
import { ListDeclaration, ListType } from '../../../domain/managed-list';
import { ListLookup } from './types/rule-type';

/** The version poll backs up LISTEN/NOTIFY (a listener reconnecting, a change made by hand in SQL). */
export const LISTS_POLL_MS = 500;

interface Log {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export class LiveManagedLists implements ListLookup {
  private contents: ListContents = { version: '', entries: new Map() };
  private running?: Promise<void>;
  private again = false;
  private timer?: NodeJS.Timeout;
  private stopListening?: () => Promise<void>;
  private readAt?: Date;

  constructor(
    private readonly store: ManagedListStore,
    private readonly logger: Log,
    private readonly pollMs = LISTS_POLL_MS,
  ) {}

  /** Declares the rule set's lists, reads every entry (the start waits for it), then follows changes. */
  async start(declared: readonly ListDeclaration[]): Promise<void> {
    await this.store.declare(declared);
    await this.reload();
    this.stopListening = await this.store.onChange(() => void this.refresh()).catch((error: unknown) => {
      this.logger.warn(`cannot listen for list changes (${(error as Error).message}); polling every ${this.pollMs} ms only`);
      return undefined;
    });
    this.timer = setInterval(() => void this.refresh(), this.pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.stopListening?.();
    await this.running?.catch(() => undefined);
  }

  has(list: string, type: ListType, value: string): boolean {
    return this.contents.entries.get(list)?.has(listEntryKey(type, value)) ?? false;
  }

  status(): { version: string; lists: number; entries: number; readAt?: Date } {
    let entries = 0;
    for (const set of this.contents.entries.values()) entries += set.size;
    return { version: this.contents.version, lists: this.contents.entries.size, entries, readAt: this.readAt };
  }

  /** Reads the lists again when their version moved; calls made meanwhile are folded into one more pass. */
  refresh(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.update().catch((error: unknown) => this.logger.error(`managed lists not refreshed: ${(error as Error).message}`));
      } while (this.again);
    })().finally(() => (this.running = undefined));
    return this.running;
  }

  private async update(): Promise<void> {
    if ((await this.store.version()) !== this.contents.version) await this.reload();
  }

  private async reload(): Promise<void> {
    this.contents = await this.store.contents();
    this.readAt = new Date();
  }
}
