// What the service knows around a transaction when it asks a provider, gathered with its claim.

export interface ScreeningContext {
  /**
   * Transactions received from the transaction's source account within each window, keyed by
   * the window's length in seconds; the transaction being screened counts. Only the windows a
   * provider asked for are present, and none when the transaction names no source account.
   */
  readonly sourceAccountActivity: ReadonlyMap<number, number>;
}
