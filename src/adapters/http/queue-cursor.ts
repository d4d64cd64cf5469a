// The review queue's paging cursor: an opaque token for a queue position, refused unless this service issued it.
import { QueuePosition } from '../../application/review-views';
import { isStorableTimestampText } from '../../domain/storable-instant';
import { isUsableId } from '../../domain/transaction-id';
import { Problem } from './problem-details';

const INVALID_CURSOR = 'cursor is not one this service issued; start again without it';

/** A paging cursor this service did not issue. */
export class InvalidCursorProblem extends Problem {
  constructor() {
    super(400, 'invalid-request', 'Invalid request', INVALID_CURSOR, [{ field: 'cursor', message: INVALID_CURSOR }]);
  }
}

const POSITION_KEY = /^-?\d{1,17}$/;

export function encodeCursor(position: QueuePosition): string {
  return encodeCursorPair(position.openedAt, position.transactionId);
}

/** An opaque token for two values (a position and a key). */
export function encodeCursorPair(first: string, second: string): string {
  return Buffer.from(JSON.stringify([first, second]), 'utf8').toString('base64url');
}

/** PostgreSQL's microsecond UTC timestamps, as the paging queries put them in their cursors. */
const CURSOR_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** A cursor's decoded value is such a timestamp, of a real and storable instant (no 30 February, no year 0). */
export function isCursorInstant(value: unknown): value is string {
  return typeof value === 'string' && CURSOR_INSTANT.test(value) && isStorableTimestampText(value);
}

/** The two values of a token encodeCursorPair made; throws InvalidCursorProblem for anything else. */
export function decodeCursorPair(cursor: string): [unknown, unknown] {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorProblem();
  }
  if (!Array.isArray(value) || value.length !== 2) throw new InvalidCursorProblem();
  return [value[0], value[1]];
}

/** The position a cursor stands for; throws InvalidCursorProblem for anything this service did not issue. */
export function decodeCursor(cursor: string): QueuePosition {
  const [openedAt, transactionId] = decodeCursorPair(cursor);
  // Decoded from client input: held to the id rule like a path id, so nothing unstorable reaches SQL.
  if (typeof openedAt !== 'string' || !POSITION_KEY.test(openedAt) || !isUsableId(transactionId)) {
    throw new InvalidCursorProblem();
  }
  return { openedAt, transactionId };
}
