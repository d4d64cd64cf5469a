// A page read as one row more than it shows: the extra row only says whether another page follows.

export interface Page<T> {
  readonly items: T[];
  /** The last row shown when another page follows (its cursor starts the next page); undefined on the last page. */
  readonly continueAfter: T | undefined;
}

/** `rows` as read with a limit of `limit + 1`. */
export function pageOf<T>(rows: readonly T[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  return { items, continueAfter: rows.length > limit ? items[items.length - 1] : undefined };
}
