// A view as it goes over the wire: the type a DTO declares for a port's view, and the one place that says so.
import { randomUUID } from 'node:crypto';

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

/**
 * `view` as JSON with `payloadJson` (JSON text as PostgreSQL holds it) spliced in as its last
 * member `payload`, so that its numbers keep every digit (JSON.parse would round 0.1234567890123456789).
 */
const PAYLOAD_MARK = `"payload-${randomUUID()}"`;
export function withRawPayload(view: object, payloadJson: string): string {
  const text = JSON.stringify({ ...view, payload: PAYLOAD_MARK.slice(1, -1) });
  return text.replace(PAYLOAD_MARK, () => payloadJson);
}
