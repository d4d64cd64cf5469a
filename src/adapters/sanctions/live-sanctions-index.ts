// The sanctions index every replica screens against: built from PostgreSQL at start, rebuilt within seconds of a load.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { SanctionsLists } from '../../application/ports/sanctions-lists.port';
import { LoadedList, SanctionsAllowance, SanctionsSource } from '../../domain/sanctions';
import { allowanceKey } from './matching/name-tokens';
import { NameHit, NameQuery, SanctionsIndex, SanctionsIndexBuilder } from './matching/sanctions-index';
import { ChangeFollower } from '../background/change-follower';

/** Polling backs up LISTEN/NOTIFY (a dropped listener connection, a load by a tool that does not notify). */
export const SANCTIONS_POLL_MS = 5000;

export interface SanctionsIndexStatus {
  readonly loaded: boolean;
  readonly lists: readonly LoadedList[];
  readonly names: number;
  readonly allowances: number;
  /** When this replica last built its index, or undefined before the first build. */
  readonly builtAt?: Date;
}

interface Log {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export class LiveSanctionsIndex {
  private index = SanctionsIndex.empty();
  private allowed = new Set<string>();
  private allowanceCount = 0;
  private builtAt?: Date;
  private seenLists?: string;
  private seenAllowances?: string;
  private readonly follower: ChangeFollower;

  constructor(
    private readonly store: SanctionsLists,
    private readonly logger: Log,
    pollMs = SANCTIONS_POLL_MS,
  ) {
    this.follower = new ChangeFollower(() => this.update(), logger, { subject: 'sanctions index', changes: 'sanctions list changes', pollMs });
  }

  /** Builds the index (the start waits for it), then follows changes. */
  async start(): Promise<void> {
    await this.refresh();
    const status = this.status();
    if (status.loaded) this.logger.log(`sanctions lists: ${status.lists.map((l) => `${l.source} ${l.version} (${l.entries} entries)`).join(', ')}; ${status.names} names indexed`);
    else this.logger.warn('no sanctions list is loaded: sanctions-name rules do not fire until one is (npm run sanctions:load)');
    await this.follower.follow((listener) => this.store.onChange(listener));
  }

  stop(): Promise<void> {
    return this.follower.stop();
  }

  /** Rebuilds what changed; calls made meanwhile are folded into one more pass. */
  refresh(): Promise<void> {
    return this.follower.refresh();
  }

  status(): SanctionsIndexStatus {
    return { loaded: this.index.lists.length > 0, lists: this.index.lists, names: this.index.nameCount, allowances: this.allowanceCount, builtAt: this.builtAt };
  }

  /** The hits for a name, less those an analyst allowed for this customer and name. */
  screen(query: NameQuery, customerId: string | undefined): NameHit[] {
    const hits = this.index.screen(query);
    if (hits.length === 0 || customerId === undefined || this.allowed.size === 0) return hits;
    const name = allowanceKey(query.name);
    return hits.filter((hit) => !this.allowed.has(allowedKey(customerId, hit.source, hit.entryId, name)));
  }

  private async update(): Promise<void> {
    const [lists, allowances] = (await this.store.version()).split('/');
    if (lists !== this.seenLists) {
      const builder = new SanctionsIndexBuilder();
      const loaded = await this.store.readEntries(async (source, entries) => {
        for (const entry of entries) builder.add(source, entry);
        await yieldToEventLoop(); // validate keeps its latency while a large list is indexed
      });
      this.index = builder.build(loaded);
      this.seenLists = lists;
      this.builtAt = new Date();
    }
    if (allowances !== this.seenAllowances) {
      this.useAllowances(await this.store.allowances());
      this.seenAllowances = allowances;
    }
  }

  private useAllowances(allowances: readonly SanctionsAllowance[]): void {
    this.allowed = new Set(allowances.map((a) => allowedKey(a.customerId, a.source, a.entryId, allowanceKey(a.name))));
    this.allowanceCount = allowances.length;
  }
}

const allowedKey = (customerId: string, source: SanctionsSource, entryId: string, name: string) => `${customerId}\u0000${source}\u0000${entryId}\u0000${name}`;
