// A view as it goes over the wire: the type a DTO declares for a port's view, and the one place that says so.

/** What JSON.stringify makes of a view: dates become ISO-8601 text, everything else keeps its shape. */
export type JsonView<T> = T extends Date
  ? string
  : T extends readonly (infer U)[]
    ? JsonView<U>[]
    : T extends object
      ? { -readonly [K in keyof T]: JsonView<T[K]> }
      : T;

/**
 * A view typed as the JSON it is answered as. The HTTP layer serialises answers with
 * JSON.stringify, which is exactly the mapping JsonView describes; nothing is copied.
 */
export function asJsonView<T>(view: T): JsonView<T> {
  return view as unknown as JsonView<T>;
}
