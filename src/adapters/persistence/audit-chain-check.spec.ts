// The rules that judge one transaction's chain, on hand-built histories.
import { AuditedTransaction, checkTransaction, StoredEntry } from './audit-chain-check';
import { entryHash, genesisHash } from './decision-chain';

const transaction: AuditedTransaction = { id: 'tx-1', direction: 'OUTBOUND', state: 'APPROVED', amount: '12000.50', currency: 'GBP' };

type Content = Pick<StoredEntry, 'status' | 'final' | 'source' | 'decidedBy'>;

/** A correctly chained history, ids from 100 up, as the stores write it. */
function chain(contents: Content[], tx: AuditedTransaction = transaction): StoredEntry[] {
  let prevHash = genesisHash(tx.id, tx.amount, tx.currency);
  return contents.map((content, index) => {
    const entry = { ...content, sequence: index + 1, reasons: [`reason ${index + 1}`], decidedAt: new Date(Date.UTC(2026, 10, 21, 10, index)) };
    const hash = entryHash(prevHash, { ...entry, transactionId: tx.id });
    const stored: StoredEntry = { ...entry, id: String(100 + index), prevHash, hash };
    prevHash = hash;
    return stored;
  });
}

const held: Content = { status: 'PENDING_EXTERNAL_APPROVAL', final: false, source: 'PROVIDER', decidedBy: 'rules' };
const firstApproval: Content = { status: 'APPROVED', final: false, source: 'ANALYST', decidedBy: 'alice' };
const secondApproval: Content = { status: 'APPROVED', final: true, source: 'ANALYST', decidedBy: 'bob' };

const kinds = (findings: ReturnType<typeof checkTransaction>) => findings.map((f) => [f.kind, f.entryId]);

describe('checkTransaction', () => {
  it('accepts a history chained as the stores write it', () => {
    expect(checkTransaction(transaction, chain([held, firstApproval, secondApproval]))).toEqual([]);
  });

  it('accepts an amount stored with another scale than the one hashed at validate', () => {
    const entries = chain([secondApproval], { ...transaction, amount: '12000.5' });
    expect(checkTransaction({ ...transaction, amount: '12000.500' }, entries)).toEqual([]);
  });

  it('names an entry whose hashed content changed, and only that entry', () => {
    const entries = chain([held, firstApproval, secondApproval]);
    entries[1] = { ...entries[1]!, reasons: ['edited later'] };

    expect(kinds(checkTransaction(transaction, entries))).toEqual([['HASH_MISMATCH', '101']]);
  });

  it('names the entry after a missing one, for the gap and the broken link', () => {
    const entries = chain([held, firstApproval, secondApproval]);

    const findings = checkTransaction(transaction, [entries[0]!, entries[2]!]);

    expect(kinds(findings)).toEqual([
      ['SEQUENCE_GAP', '102'],
      ['PREV_HASH_MISMATCH', '102'],
    ]);
    expect(findings[0]!.message).toBe('sequence 3 follows 1: entry 2 is missing');
  });

  it('requires the first entry to be sequence 1 and to start from the genesis hash', () => {
    const entries = chain([held, secondApproval]);

    expect(kinds(checkTransaction(transaction, [entries[1]!]))).toEqual([
      ['SEQUENCE_GAP', '101'],
      ['PREV_HASH_MISMATCH', '101'],
    ]);
    expect(kinds(checkTransaction({ ...transaction, amount: '1.00' }, entries))).toEqual([['PREV_HASH_MISMATCH', '100']]);
  });

  it('reports a repeated sequence', () => {
    const entries = chain([held, secondApproval]);
    const copy = { ...entries[1]!, id: '105' };

    expect(kinds(checkTransaction(transaction, [...entries, copy]))).toEqual([
      ['SEQUENCE_REPEAT', '105'],
      ['PREV_HASH_MISMATCH', '105'],
    ]);
  });

  it('requires the state of the last final entry, or pending when none is final', () => {
    const decided = chain([held, secondApproval]);
    expect(kinds(checkTransaction({ ...transaction, state: 'REJECTED' }, decided))).toEqual([['STATE_MISMATCH', null]]);

    const waiting = chain([held, firstApproval]);
    expect(checkTransaction({ ...transaction, state: 'PENDING_EXTERNAL_APPROVAL' }, waiting)).toEqual([]);
    expect(checkTransaction({ ...transaction, state: 'APPROVED' }, waiting)[0]).toMatchObject({
      kind: 'STATE_MISMATCH',
      message: 'state is APPROVED but no entry is final, so it should be PENDING_EXTERNAL_APPROVAL',
    });
  });

  it('requires a history of every transaction that left SCREENING, and none of one still in it', () => {
    expect(checkTransaction({ ...transaction, state: 'SCREENING' }, [])).toEqual([]);
    expect(kinds(checkTransaction(transaction, []))).toEqual([['MISSING_HISTORY', null]]);
    expect(kinds(checkTransaction({ ...transaction, state: 'SCREENING' }, chain([secondApproval])))).toEqual([['STATE_MISMATCH', null]]);
  });

  it('reports an amount the service could not have accepted as a broken genesis, not a crash', () => {
    const entries = chain([secondApproval]);
    expect(kinds(checkTransaction({ ...transaction, amount: 'NaN' }, entries))).toEqual([['PREV_HASH_MISMATCH', '100']]);
  });
});
