// Looks up text from outside (a provider's status word, an event name, a currency) in a table of
// known codes. A plain object also answers for what it inherits: `"toString" in table` is true and
// `table["constructor"]` is a function, so only the table's own entries may count as known.
export function knownCode<T>(table: Readonly<Record<string, T>>, code: string): T | undefined {
  return Object.hasOwn(table, code) ? table[code] : undefined;
}
