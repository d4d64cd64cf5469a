// Signed checkpoints of the audit chains: made in the background, exported for keeping outside the database.
import { pageOf } from './page';
import { CheckpointStore, CheckpointView } from './ports/checkpoint-store.port';

/** A checkpoint holds at most this many heads; a backlog (the first run on a full database) takes several. */
export const HEADS_PER_CHECKPOINT = 10_000;
/** Checkpoints made in one pass at most, so that a pass stays short; the next pass goes on. */
export const CHECKPOINTS_PER_PASS = 20;

export class AuditCheckpoints {
  constructor(private readonly store: CheckpointStore) {}

  /** Signs what moved since the last checkpoint; true when more may be waiting. */
  async signPending(): Promise<boolean> {
    return (await this.store.signPending(HEADS_PER_CHECKPOINT, CHECKPOINTS_PER_PASS)) === CHECKPOINTS_PER_PASS;
  }

  /** Checkpoints after number `after`, oldest first; `next` is the `after` of the following page, null at the end. */
  async list(after: number, limit: number): Promise<{ items: readonly CheckpointView[]; next: number | null }> {
    const page = pageOf(await this.store.list(after, limit + 1), limit);
    return { items: page.items, next: page.continueAfter?.number ?? null };
  }
}
