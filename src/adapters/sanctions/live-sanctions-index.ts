// The sanctions index a replica screens against: built from PostgreSQL while something on it needs it (the active rule set, a backtest), rebuilt within seconds of a load, dropped when nothing does.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { SanctionsLists } from '../../application/ports/sanctions-lists.port';
import { LoadedList, SanctionsAllowance, SanctionsSource } from '../../domain/sanctions';
import { allowanceKey } from './matching/name-tokens';
import { NameHit, NameQuery, SanctionsIndex, SanctionsIndexBuilder, ScreenedHits } from './matching/sanctions-index';
import { ChangeFollower } from '../background/change-follower';

/** Polling backs up LISTEN/NOTIFY (a dropped listener connection, a load by a tool that does not notify). */
export const SANCTIONS_POLL_MS = 5000;

export interface SanctionsIndexStatus {
  /** Whether anything on this replica needs the index (a sanctions-name rule in the active rule set, a backtest). */
  readonly needed: boolean;
  /** Whether it is built; while it is not, screening throws (validate answers the fallback). */
  readonly built: boolean;
  readonly loaded: boolean;
  readonly lists: readonly LoadedList[];
  readonly names: number;
  readonly allowances: number;
  /** When this replica last built its index, or undefined while it holds none. */
  readonly builtAt?: Date;
}

/** Screening asked of an index this replica does not hold (see LiveSanctionsIndex.need). */
export class SanctionsIndexNotBuiltError extends Error {
  constructor() {
    super('the sanctions index is not built on this replica: no sanctions-name rule of the active rule set needs it, or its build has not finished');
    this.name = 'SanctionsIndexNotBuiltError';
  }
}

interface Log {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export class LiveSanctionsIndex {
  private index = SanctionsIndex.empty();
  private built = false;
  private readonly holders = new Set<string>();
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

  /** Follows changes; the index itself is built once something needs it. */
  async start(): Promise<void> {
    await this.follower.follow((listener) => this.store.onChange(listener));
  }

  /**
   * Says whether `holder` needs the index. It is built while any holder does (at 1 M names about
   * 15 s, and 350 MiB of RSS at its peak, 260 MiB held) and dropped when none does. Resolves once
   * that is done: to true when the index is built, false when nobody needs it or the build failed
   * (logged; the next poll tries again).
   */
  async need(holder: string, needed: boolean): Promise<boolean> {
    const changed = needed ? !this.holders.has(holder) : this.holders.delete(holder);
    if (needed) this.holders.add(holder);
    if (changed || (needed && !this.built)) await this.refresh();
    return needed && this.built;
  }

  stop(): Promise<void> {
    return this.follower.stop();
  }

  /** Rebuilds what changed; calls made meanwhile are folded into one more pass. */
  refresh(): Promise<void> {
    return this.follower.refresh();
  }

  status(): SanctionsIndexStatus {
    return { needed: this.holders.size > 0, built: this.built, loaded: this.index.lists.length > 0, lists: this.index.lists, names: this.index.nameCount, allowances: this.allowanceCount, builtAt: this.builtAt };
  }

  /** The hits for a name, less those an analyst allowed for this customer and name; throws SanctionsIndexNotBuiltError when no index is held. */
  screen(query: NameQuery, customerId: string | undefined): NameHit[] {
    return this.top(query, customerId, Infinity).hits;
  }

  /** The best `limit` of `screen`'s hits, with how many there are in all. */
  top(query: NameQuery, customerId: string | undefined, limit: number): ScreenedHits {
    if (!this.built) throw new SanctionsIndexNotBuiltError();
    if (customerId === undefined || this.allowed.size === 0) return this.index.top(query, limit);
    const name = allowanceKey(query.name);
    return this.index.top(query, limit, (source, entryId) => this.allowed.has(allowedKey(customerId, source, entryId, name)));
  }

  private async update(): Promise<void> {
    if (this.holders.size === 0) return this.drop();
    const [lists, allowances] = (await this.store.version()).split('/');
    if (lists !== this.seenLists) {
      const started = performance.now();
      const builder = new SanctionsIndexBuilder();
      const loaded = await this.store.readEntries(async (source, entries) => {
        for (const entry of entries) builder.add(source, entry);
        await yieldToEventLoop(); // validate keeps its latency while a large list is indexed
      });
      this.index = builder.build(loaded);
      this.seenLists = lists;
      this.builtAt = new Date();
      this.built = true;
      this.logBuilt(performance.now() - started);
    }
    if (allowances !== this.seenAllowances) {
      this.useAllowances(await this.store.allowances());
      this.seenAllowances = allowances;
    }
  }

  /** Nothing needs the index: its memory is given back (the next need builds it again). */
  private drop(): void {
    if (!this.built) return;
    this.index = SanctionsIndex.empty();
    this.built = false;
    this.seenLists = undefined;
    this.builtAt = undefined;
    this.logger.log('sanctions index dropped: nothing on this replica uses sanctions-name rules now');
  }

  private logBuilt(ms: number): void {
    const { loaded, lists, names } = this.status();
    if (loaded) this.logger.log(`sanctions lists: ${lists.map((l) => `${l.source} ${l.version} (${l.entries} entries)`).join(', ')}; ${names} names indexed in ${Math.round(ms)} ms`);
    else this.logger.warn('no sanctions list is loaded: sanctions-name rules do not fire until one is (npm run sanctions:load)');
  }

  private useAllowances(allowances: readonly SanctionsAllowance[]): void {
    this.allowed = new Set(allowances.map((a) => allowedKey(a.customerId, a.source, a.entryId, allowanceKey(a.name))));
    this.allowanceCount = allowances.length;
  }
}

const allowedKey = (customerId: string, source: SanctionsSource, entryId: string, name: string) => `${customerId}\u0000${source}\u0000${entryId}\u0000${name}`;
