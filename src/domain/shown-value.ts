// A value from outside, as a problem message may quote it: String() of an object calls its own
// toString and valueOf, which JSON and YAML can set to anything (`{"toString": 1}` makes it throw).

/** Text for `value` that never runs code of the value's: scalars as they are, containers by kind. */
export function shownValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  return Array.isArray(value) ? 'a list' : 'a mapping';
}
