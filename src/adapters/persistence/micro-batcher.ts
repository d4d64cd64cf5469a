// Coalesces concurrent calls into shared database round trips, the way group commit shares an fsync.
import { DatabaseSaturatedError, isDatabaseUnavailable } from '../errors/database-unavailable';

export interface MicroBatcherOptions {
  /** Most items in one round trip. */
  readonly maxBatch: number;
  /** Most round trips in flight at once; beyond that, calls queue and join the next batch. */
  readonly maxConcurrent: number;
  /**
   * Most calls waiting for a round trip; one more is refused at once with DatabaseSaturatedError
   * rather than queued behind a database that is not keeping up. Unset: unbounded.
   */
  readonly maxQueued?: number;
  /** Named in the saturation error. */
  readonly name?: string;
}

interface Pending<I, O> {
  readonly item: I;
  readonly resolve: (output: O) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Each call waits at most one event-loop turn before its batch leaves. Under low load a batch is
 * a single call; under load, calls that arrive while `maxConcurrent` batches are in flight share
 * the next one. `run` receives the items in arrival order and settles each one, in the same
 * order, so that one item's failure need not fail its neighbours.
 */
export class MicroBatcher<I, O> {
  private queue: Pending<I, O>[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly run: (items: I[]) => Promise<PromiseSettledResult<O>[]>,
    private readonly options: MicroBatcherOptions,
  ) {}

  submit(item: I): Promise<O> {
    if (this.options.maxQueued !== undefined && this.queue.length >= this.options.maxQueued) {
      return Promise.reject(new DatabaseSaturatedError(this.options.name ?? 'batch'));
    }
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.queue.length === 0 || this.inFlight >= this.options.maxConcurrent) return;
    this.scheduled = true;
    // Let the calls made in this turn of the event loop join the batch.
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.queue.length > 0 && this.inFlight < this.options.maxConcurrent) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.inFlight += 1;
      this.run(batch.map((pending) => pending.item))
        .then(
          (outcomes) =>
            batch.forEach((pending, index) => {
              const outcome = outcomes[index];
              if (outcome?.status === 'fulfilled') pending.resolve(outcome.value);
              else pending.reject(outcome ? outcome.reason : new Error('batch answered fewer items than it was given'));
            }),
          (error: unknown) => batch.forEach((pending) => pending.reject(error)),
        )
        .finally(() => {
          this.inFlight -= 1;
          this.schedule();
        });
    }
  }
}

/**
 * A batch is one statement, so one failing item (or a deadlock between replicas) fails all of
 * them; retrying each alone confines the failure to the item that caused it. Errors that mean
 * the database cannot serve (unreachable, refusing, timed out) are not retried: they would fail
 * every item again, only later.
 */
export function isolatingFailures<I, O>(run: (items: I[]) => Promise<O[]>): (items: I[]) => Promise<PromiseSettledResult<O>[]> {
  const fulfilled = (value: O): PromiseSettledResult<O> => ({ status: 'fulfilled', value });
  return async (items) => {
    try {
      return (await run(items)).map(fulfilled);
    } catch (error) {
      if (items.length === 1 || isDatabaseUnavailable(error)) throw error;
      return Promise.allSettled(items.map(async (item) => (await run([item]))[0]!));
    }
  };
}
