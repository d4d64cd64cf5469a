// Notes and attachments an analyst adds to a case: what each holds, and what makes one acceptable.
import { InvalidNoteError } from './domain-error';
import { isStorableText } from './storable-text';

export const NOTE_MAX_LENGTH = 10_000;

/** Free text by an analyst, kept for ever in the case's hash chain. */
export interface CaseNote {
  readonly kind: 'NOTE';
  readonly author: string;
  readonly text: string;
  readonly at: Date;
}

/** A file an analyst attached; its bytes are kept apart, its SHA-256 digest is in the chain. */
export interface CaseAttachment {
  readonly kind: 'ATTACHMENT';
  readonly attachmentId: string;
  readonly filename: string;
  readonly contentType: string;
  readonly size: number;
  /** Lowercase hex SHA-256 of the exact bytes. */
  readonly sha256: string;
  readonly author: string;
  readonly at: Date;
}

/** An entry of a case's chain that is not a decision. */
export type CaseRecord = CaseNote | CaseAttachment;

/** The note as it will be stored: trimmed, 1 to NOTE_MAX_LENGTH characters, storable text. */
export function noteText(text: string): string {
  const trimmed = text.trim();
  if (trimmed.length === 0) throw new InvalidNoteError('text must not be empty or only whitespace');
  // Characters as people count them (an emoji is one), as the request's own length check does; not UTF-16 units.
  if (trimmed.length > NOTE_MAX_LENGTH && [...trimmed].length > NOTE_MAX_LENGTH) throw new InvalidNoteError(`text must be at most ${NOTE_MAX_LENGTH} characters`);
  if (!isStorableText(trimmed)) throw new InvalidNoteError('text contains a NUL character or an unpaired UTF-16 surrogate');
  return trimmed;
}
