// Port to a case's notes and attachments: appended to the transaction's hash chain, files kept whole.
import { CaseAttachment, CaseNote } from '../../domain/case-record';

/** A file accepted for a case, before it has an id and a digest. */
export interface NewAttachment {
  readonly filename: string;
  readonly contentType: string;
  readonly content: Uint8Array;
  readonly author: string;
  readonly at: Date;
}

/** An attachment with its bytes, as it was stored. */
export interface AttachmentFile extends CaseAttachment {
  readonly content: Uint8Array;
}

export abstract class CaseRecordStore {
  /**
   * Appends the note to the transaction's chain under the transaction's row lock, durably before
   * it returns. Throws TransactionNotFoundError for an unknown id, ScreeningInProgressError while
   * the transaction is still being screened (its chain has not started).
   */
  abstract appendNote(transactionId: string, note: CaseNote): Promise<void>;

  /** Likewise for a file: stores its bytes, and its id and SHA-256 digest in the chain. */
  abstract appendAttachment(transactionId: string, file: NewAttachment): Promise<CaseAttachment>;

  /** The attachment of that transaction with that id, or null. */
  abstract findAttachment(transactionId: string, attachmentId: string): Promise<AttachmentFile | null>;
}
