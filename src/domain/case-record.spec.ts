import { InvalidNoteError } from './domain-error';
import { NOTE_MAX_LENGTH, noteText } from './case-record';

describe('noteText', () => {
  it('takes up to NOTE_MAX_LENGTH characters, counting an emoji as one, and trims', () => {
    expect(noteText(`  ${'😀'.repeat(NOTE_MAX_LENGTH)}  `)).toBe('😀'.repeat(NOTE_MAX_LENGTH));
    expect(() => noteText('😀'.repeat(NOTE_MAX_LENGTH + 1))).toThrow(InvalidNoteError);
    expect(() => noteText('x'.repeat(NOTE_MAX_LENGTH + 1))).toThrow(`text must be at most ${NOTE_MAX_LENGTH} characters`);
  });

  it('refuses a blank note and text PostgreSQL cannot store', () => {
    expect(() => noteText(' \n ')).toThrow('must not be empty');
    expect(() => noteText('a\u0000b')).toThrow('NUL');
  });
});
