// Analysts' notes and attachments on a case: checked against the domain's rules, then appended to its chain.
import { acceptedContentType, assertContentMatches, safeFilename } from '../domain/attachment-content';
import { CaseAttachment, CaseNote, noteText } from '../domain/case-record';
import { AttachmentNotFoundError } from '../domain/domain-error';
import { AttachmentFile, CaseRecordStore } from './ports/case-record-store.port';

/** A file as an analyst sent it. */
export interface UploadedFile {
  readonly filename: string;
  readonly contentType: string;
  readonly content: Uint8Array;
}

export class CaseRecords {
  private readonly now: () => Date;

  constructor(
    private readonly store: CaseRecordStore,
    now?: () => Date,
  ) {
    this.now = now ?? (() => new Date());
  }

  /** Throws InvalidNoteError, TransactionNotFoundError or ScreeningInProgressError; nothing is kept then. */
  async addNote(transactionId: string, author: string, text: string): Promise<CaseNote> {
    const note: CaseNote = { kind: 'NOTE', author, text: noteText(text), at: this.now() };
    await this.store.appendNote(transactionId, note);
    return note;
  }

  /** Refuses a type outside the allowlist, or bytes that are not what the type says, before storing anything. */
  async addAttachment(transactionId: string, author: string, file: UploadedFile): Promise<CaseAttachment> {
    const contentType = acceptedContentType(file.contentType);
    assertContentMatches(contentType, file.content);
    return this.store.appendAttachment(transactionId, { filename: safeFilename(file.filename, contentType), contentType, content: file.content, author, at: this.now() });
  }

  async attachment(transactionId: string, attachmentId: string): Promise<AttachmentFile> {
    const found = await this.store.findAttachment(transactionId, attachmentId);
    if (!found) throw new AttachmentNotFoundError(transactionId, attachmentId);
    return found;
  }
}
