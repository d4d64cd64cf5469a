// Instants from outside (webhooks, cursors) as PostgreSQL can store them. JavaScript's Date runs
// from 271821 BC to 275760 AD and reads a 30 February as 1 March; timestamptz starts at 4713 BC
// and refuses both year 0 and an impossible day. Years 1 to 9999 are written alike by both
// (toISOString gives four digits), so that is the range a stored instant keeps to.

const EARLIEST = Date.parse('0001-01-01T00:00:00.000Z');
const LATEST = Date.parse('9999-12-31T23:59:59.999Z');

/** True for a valid Date in the years 1 to 9999. */
export function isStorableInstant(date: Date): boolean {
  const time = date.getTime();
  return time >= EARLIEST && time <= LATEST;
}

/**
 * True when `text`, an ISO 8601 UTC date-time starting `YYYY-MM-DDTHH:MM:SS`, names a storable
 * instant exactly as written: no 30 February or 24:00 rolled over into the next day or month, no
 * year 0.
 */
export function isStorableTimestampText(text: string): boolean {
  const time = Date.parse(text);
  if (Number.isNaN(time)) return false;
  const date = new Date(time);
  return isStorableInstant(date) && date.toISOString().slice(0, 19) === text.slice(0, 19);
}
