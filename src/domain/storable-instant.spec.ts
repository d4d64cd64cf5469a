import { isStorableInstant, isStorableTimestampText } from './storable-instant';

describe('storable instants', () => {
  it('keeps to the years 1 to 9999', () => {
    expect(isStorableInstant(new Date('0001-01-01T00:00:00Z'))).toBe(true);
    expect(isStorableInstant(new Date('9999-12-31T23:59:59.999Z'))).toBe(true);
    expect(isStorableInstant(new Date('0000-12-31T23:59:59.999Z'))).toBe(false);
    expect(isStorableInstant(new Date('-000001-01-01T00:00:00Z'))).toBe(false);
    expect(isStorableInstant(new Date('+010000-01-01T00:00:00Z'))).toBe(false);
    expect(isStorableInstant(new Date('+275760-09-13T00:00:00Z'))).toBe(false);
    expect(isStorableInstant(new Date('not a date'))).toBe(false);
  });

  it('takes a date-time text only when it names the instant it reads as', () => {
    expect(isStorableTimestampText('2024-02-29T23:59:59.123456Z')).toBe(true);
    expect(isStorableTimestampText('2026-12-03T08:00:00Z')).toBe(true);
    // JavaScript reads these as 1 March, 1 May and the next day; PostgreSQL refuses them.
    expect(isStorableTimestampText('2024-02-30T00:00:00.000000Z')).toBe(false);
    expect(isStorableTimestampText('2023-02-29T00:00:00.000000Z')).toBe(false);
    expect(isStorableTimestampText('2024-04-31T00:00:00.000000Z')).toBe(false);
    expect(isStorableTimestampText('0000-01-01T00:00:00.000000Z')).toBe(false);
    expect(isStorableTimestampText('garbage')).toBe(false);
  });
});
