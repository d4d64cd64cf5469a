// Port to the signed checkpoints of the audit chains: signing the heads that moved, and reading them back.
import { CheckpointView } from '../audit-views';

export type { CheckpointHeadView, CheckpointView } from '../audit-views';

export abstract class CheckpointStore {
  /**
   * Signs and stores checkpoints for every chain whose head moved since it was last signed, at
   * most `maxHeads` heads per checkpoint, until none is left or `maxCheckpoints` were made. Safe
   * with several replicas: while one signs, the others make none. Returns how many it made.
   */
  abstract signPending(maxHeads: number, maxCheckpoints: number): Promise<number>;

  /** Checkpoints numbered above `after`, in order, at most `limit`. */
  abstract list(after: number, limit: number): Promise<readonly CheckpointView[]>;
}
