// What the service knows around a transaction when it asks a provider, gathered with its claim.
import { Decimal } from './decimal';

export interface ScreeningContext {
  /**
   * The aggregates the provider asked for (see domain/aggregate.ts), keyed by aggregateKey: counted
   * over stored history with the transaction being screened included. An aggregate grouped by a
   * field the transaction does not have (no customer id, no beneficiary IBAN) is absent.
   */
  readonly aggregates: ReadonlyMap<string, Decimal>;
}

/** A context with no history: for providers that asked for none. */
export const NO_HISTORY: ScreeningContext = { aggregates: new Map() };
