// PostgreSQL record of case notes and attachments: each appended to its transaction's chain under the row lock.
import { createHash, randomUUID } from 'node:crypto';
import { Pool, PoolClient } from 'pg';
import { AttachmentFile, CaseRecordStore, NewAttachment } from '../../application/ports/case-record-store.port';
import { CaseAttachment, CaseNote, CaseRecord } from '../../domain/case-record';
import { ScreeningInProgressError, TransactionNotFoundError } from '../../domain/domain-error';
import { caseRecordHash, genesisHash } from './decision-chain';
import { inTransaction } from './in-transaction';

const LOCK_TRANSACTION = `SELECT state, amount::text AS amount, currency FROM transactions WHERE id = $1 FOR UPDATE`;
/** The chain's last entry, whichever table holds it; the review store appends decisions under the same lock. */
export const CHAIN_HEAD = `SELECT sequence, hash FROM audit_chain_entries WHERE transaction_id = $1 ORDER BY sequence DESC LIMIT 1`;
const APPEND = `
  INSERT INTO case_entries (transaction_id, sequence, kind, author, at, text, attachment_id, filename, content_type, size, sha256, content, prev_hash, hash)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`;
const FIND_ATTACHMENT = `
  SELECT attachment_id, filename, content_type, size, sha256, author, at, content
    FROM case_entries WHERE transaction_id = $1 AND attachment_id = $2`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class PostgresCaseRecordStore extends CaseRecordStore {
  constructor(private readonly pool: Pool) {
    super();
  }

  async appendNote(transactionId: string, note: CaseNote): Promise<void> {
    await this.append(transactionId, note);
  }

  async appendAttachment(transactionId: string, file: NewAttachment): Promise<CaseAttachment> {
    const content = Buffer.from(file.content.buffer, file.content.byteOffset, file.content.byteLength);
    const attachment: CaseAttachment = {
      kind: 'ATTACHMENT',
      attachmentId: randomUUID(),
      filename: file.filename,
      contentType: file.contentType,
      size: content.byteLength,
      sha256: createHash('sha256').update(content).digest('hex'),
      author: file.author,
      at: file.at,
    };
    await this.append(transactionId, attachment, content);
    return attachment;
  }

  async findAttachment(transactionId: string, attachmentId: string): Promise<AttachmentFile | null> {
    if (!UUID.test(attachmentId)) return null;
    const { rows } = await this.pool.query<AttachmentRow>(FIND_ATTACHMENT, [transactionId, attachmentId]);
    const row = rows[0];
    if (!row) return null;
    return {
      kind: 'ATTACHMENT',
      attachmentId: row.attachment_id,
      filename: row.filename,
      contentType: row.content_type,
      size: row.size,
      sha256: row.sha256,
      author: row.author,
      at: row.at,
      content: row.content,
    };
  }

  private append(transactionId: string, record: CaseRecord, content?: Buffer): Promise<void> {
    return inTransaction(this.pool, (client) => appendCaseRecord(client, transactionId, record, content));
  }
}

/**
 * Appends a note or attachment to the transaction's chain on `client`, inside its caller's database
 * transaction, under the transaction's row lock (taken here if the caller has not).
 */
export async function appendCaseRecord(client: PoolClient, transactionId: string, record: CaseRecord, content?: Buffer): Promise<void> {
  const { prevHash, sequence } = await lockChainHead(client, transactionId);
  const hash = caseRecordHash(prevHash, { ...record, transactionId, sequence });
  const attachment = record.kind === 'ATTACHMENT' ? record : null;
  await client.query(APPEND, [
    transactionId,
    sequence,
    record.kind,
    record.author,
    record.at,
    record.kind === 'NOTE' ? record.text : null,
    attachment?.attachmentId ?? null,
    attachment?.filename ?? null,
    attachment?.contentType ?? null,
    attachment?.size ?? null,
    attachment?.sha256 ?? null,
    content ?? null,
    prevHash,
    hash,
  ]);
}

/** Locks the transaction and returns where its chain goes on; a chain starts with validate's verdict. */
async function lockChainHead(client: PoolClient, transactionId: string): Promise<{ prevHash: string; sequence: number }> {
  const { rows: locked } = await client.query<{ state: string; amount: string; currency: string }>(LOCK_TRANSACTION, [transactionId]);
  const transaction = locked[0];
  if (!transaction) throw new TransactionNotFoundError(transactionId);
  if (transaction.state === 'SCREENING') throw new ScreeningInProgressError(transactionId);
  const { rows } = await client.query<{ sequence: number; hash: string }>(CHAIN_HEAD, [transactionId]);
  const head = rows[0];
  return head
    ? { prevHash: head.hash, sequence: head.sequence + 1 }
    : { prevHash: genesisHash(transactionId, transaction.amount, transaction.currency), sequence: 1 };
}

interface AttachmentRow {
  attachment_id: string;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  author: string;
  at: Date;
  content: Buffer;
}
