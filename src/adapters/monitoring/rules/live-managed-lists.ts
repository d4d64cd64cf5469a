// The managed lists every replica matches against, held in memory: read at start, read again within a second of any change.
import { ListContents, listEntryKey, ManagedListStore } from '../../../application/ports/managed-list-store.port';
import { ListDeclaration, ListType } from '../../../domain/managed-list';
import { ListLookup } from './types/rule-type';
import { ChangeFollower } from '../../background/change-follower';

/** The version poll backs up LISTEN/NOTIFY (a listener reconnecting, a change made by hand in SQL). */
export const LISTS_POLL_MS = 500;

interface Log {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export class LiveManagedLists implements ListLookup {
  private contents: ListContents = { version: '', entries: new Map() };
  private readonly follower: ChangeFollower;
  private readAt?: Date;

  constructor(
    private readonly store: ManagedListStore,
    private readonly logger: Log,
    pollMs = LISTS_POLL_MS,
  ) {
    this.follower = new ChangeFollower(() => this.update(), logger, { subject: 'managed lists', changes: 'list changes', pollMs });
  }

  /** Declares the rule set's lists, reads every entry (the start waits for it), then follows changes. */
  async start(declared: readonly ListDeclaration[]): Promise<void> {
    await this.store.declare(declared);
    await this.reload();
    await this.follower.follow((listener) => this.store.onChange(listener));
  }

  stop(): Promise<void> {
    return this.follower.stop();
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
    return this.follower.refresh();
  }

  private async update(): Promise<void> {
    if ((await this.store.version()) !== this.contents.version) await this.reload();
  }

  private async reload(): Promise<void> {
    this.contents = await this.store.contents();
    this.readAt = new Date();
  }
}
