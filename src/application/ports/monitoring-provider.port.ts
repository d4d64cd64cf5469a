// Port to whatever decides on a transaction: the embedded rules engine or a vendor's API.
import { ScreeningContext } from '../../domain/screening-context';
import { Transaction } from '../../domain/transaction';
import { Verdict } from '../../domain/verdict';

export abstract class MonitoringProvider {
  /** Stable name recorded with every verdict ("rules", "flagright", ...). */
  abstract readonly name: string;

  /**
   * Windows (seconds) over which the provider wants the source account's activity counted.
   * The store counts them in the same round trip that claims the transaction.
   */
  readonly activityWindowsSeconds: readonly number[] = [];

  /**
   * Screens one transaction. The caller stops waiting after its time budget and then aborts
   * `signal`; implementations should pass it to their I/O so abandoned work stops early.
   */
  abstract screen(transaction: Transaction, context: ScreeningContext, signal: AbortSignal): Promise<Verdict>;
}
