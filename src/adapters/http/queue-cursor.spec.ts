// Unit spec of the queue cursor: a position survives the round trip, and anything forged is refused.
import { decodeCursor, encodeCursor, InvalidCursorProblem } from './queue-cursor';

const encode = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8').toString('base64url');

describe('queue cursor', () => {
  it('is URL-safe text that gives back exactly the position it was made from', () => {
    const position = { openedAt: '1763719200000123', transactionId: 'tx-ü/1' };
    const cursor = encodeCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(position);
  });

  it.each([
    ['not base64 JSON', 'definitely-not-a-cursor'],
    ['empty', ''],
    ['an object', encode({ openedAt: '1', transactionId: 'tx' })],
    ['too few parts', encode(['1'])],
    ['too many parts', encode(['1', 'tx', 'x'])],
    ['a numeric position', encode([1, 'tx'])],
    ['a position in exponent notation', encode(['1e3', 'tx'])],
    ['a position too long for a bigint', encode(['123456789012345678', 'tx'])],
    ['a position with SQL in it', encode(["1'; DROP TABLE review_cases; --", 'tx'])],
    ['an id that is not text', encode(['1', 42])],
    ['an id longer than any transaction id', encode(['1', 'x'.repeat(129)])],
    ['truncated JSON', encode('["1","tx"')],
  ])('refuses a forged cursor (%s) as a 400 naming the cursor field', (_label, cursor) => {
    let thrown: unknown;
    try {
      decodeCursor(cursor);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidCursorProblem);
    expect(thrown).toMatchObject({ status: 400, slug: 'invalid-request', errors: [{ field: 'cursor' }] });
  });
});
