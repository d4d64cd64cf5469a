// Notes and attachments reach the store only once the domain accepts them.
import { AttachmentFile, CaseRecordStore, NewAttachment } from './ports/case-record-store.port';
import { CaseRecords } from './case-records.use-case';
import { CaseAttachment, CaseNote } from '../domain/case-record';
import { AttachmentNotFoundError, AttachmentRefusedError, InvalidNoteError } from '../domain/domain-error';

class RecordingCaseRecordStore extends CaseRecordStore {
  readonly notes: [string, CaseNote][] = [];
  readonly files: [string, NewAttachment][] = [];

  async appendNote(transactionId: string, note: CaseNote): Promise<void> {
    this.notes.push([transactionId, note]);
  }

  async appendAttachment(transactionId: string, file: NewAttachment): Promise<CaseAttachment> {
    this.files.push([transactionId, file]);
    return { kind: 'ATTACHMENT', attachmentId: 'a-1', filename: file.filename, contentType: file.contentType, size: file.content.length, sha256: 'f'.repeat(64), author: file.author, at: file.at };
  }

  async findAttachment(): Promise<AttachmentFile | null> {
    return null;
  }
}

const NOW = new Date('2026-11-30T12:00:00Z');

describe('CaseRecords', () => {
  let store: RecordingCaseRecordStore;
  let records: CaseRecords;
  beforeEach(() => {
    store = new RecordingCaseRecordStore();
    records = new CaseRecords(store, () => NOW);
  });

  it('stores a note trimmed, by its author, at the time it was written', async () => {
    await expect(records.addNote('tx-1', 'alice', '  checked  ')).resolves.toEqual({ kind: 'NOTE', author: 'alice', text: 'checked', at: NOW });
    expect(store.notes).toEqual([['tx-1', { kind: 'NOTE', author: 'alice', text: 'checked', at: NOW }]]);
  });

  it('stores nothing for a blank or too long note', async () => {
    await expect(records.addNote('tx-1', 'alice', ' \n ')).rejects.toBeInstanceOf(InvalidNoteError);
    await expect(records.addNote('tx-1', 'alice', 'x'.repeat(10_001))).rejects.toBeInstanceOf(InvalidNoteError);
    expect(store.notes).toEqual([]);
  });

  it('stores a file under its base content type and a safe name', async () => {
    await records.addAttachment('tx-1', 'bob', { filename: '../secret/invoice.pdf', contentType: 'Application/PDF', content: Buffer.from('%PDF-1.7') });
    expect(store.files[0]![1]).toMatchObject({ filename: 'invoice.pdf', contentType: 'application/pdf', author: 'bob', at: NOW });
  });

  it('stores nothing for a file of another type, or not what its type says', async () => {
    await expect(records.addAttachment('tx-1', 'bob', { filename: 'a.html', contentType: 'text/html', content: Buffer.from('<p>') })).rejects.toBeInstanceOf(AttachmentRefusedError);
    await expect(records.addAttachment('tx-1', 'bob', { filename: 'a.png', contentType: 'image/png', content: Buffer.from('%PDF-') })).rejects.toBeInstanceOf(AttachmentRefusedError);
    expect(store.files).toEqual([]);
  });

  it('says which attachment is unknown', async () => {
    await expect(records.attachment('tx-1', 'nope')).rejects.toBeInstanceOf(AttachmentNotFoundError);
  });
});
