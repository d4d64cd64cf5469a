// The rule that holds a notification's body against its decision, on bodies decide() built and bodies edited after.
import { at, ReviewMother } from '../../../test/mothers/review.mother';
import { Decimal } from '../../domain/decimal';
import { decide, DecisionEntry, DecisionRequest, FourEyesPolicy, noticeBody } from '../../domain/decision';
import { AuditedTransaction, ChainEntry, StoredEntry } from './audit-chain-check';
import { checkNotifications, StoredNotification } from './audit-notification-check';

const transaction: AuditedTransaction = { id: 'tx-1', direction: 'OUTBOUND', state: 'APPROVED', amount: '75000', currency: 'GBP' };
const fourEyes: FourEyesPolicy = { threshold: Decimal.parse('50000') };

/** Entries as stored, ids from 100 up (hashes play no part in this rule). */
function stored(history: readonly DecisionEntry[]): StoredEntry[] {
  return history.map((entry, index) => ({ ...entry, id: String(100 + index), sequence: index + 1, prevHash: `prev-${index}`, hash: `hash-${index}` }));
}

/** The history after `request`, and the notification the review store queues for it, as the service builds them. */
function decided(history: readonly DecisionEntry[], request: DecisionRequest, policy = fourEyes): { entries: StoredEntry[]; notification: StoredNotification } {
  const review = ReviewMother.pending({ transactionId: transaction.id, amount: transaction.amount, history });
  const outcome = decide(review, request, policy);
  if (outcome.kind !== 'FINAL' || !outcome.notice) throw new Error('expected a final decision with a notice');
  const entries = stored([...history, outcome.entry]);
  return { entries, notification: { id: 'n-1', decisionId: entries[entries.length - 1]!.id, body: noticeBody(outcome.notice) } };
}

const fourEyesApproval = () => decided([ReviewMother.held(), ReviewMother.firstApproval('alice')], ReviewMother.byAnalyst('bob', 'APPROVED', { reasons: ['Second check done'] }));
const providerRejection = () => decided([ReviewMother.held()], ReviewMother.byProvider('flagright', 'REJECTED', { reasons: ['Sanctions hit', 'confirmed'] }));

/** The body with some fields changed, its keys kept in place. */
function edited(body: string, changes: Record<string, string>): string {
  return JSON.stringify({ ...JSON.parse(body), ...changes });
}

describe('checkNotifications', () => {
  it('accepts the body the service built, for an analyst, four eyes and a provider', () => {
    const single = decided([ReviewMother.held()], ReviewMother.byAnalyst('carol', 'APPROVED'), {});
    for (const { entries, notification } of [single, fourEyesApproval(), providerRejection()]) {
      expect(checkNotifications(transaction, entries, [notification], [])).toEqual([]);
    }
  });

  it('accepts a body naming only the second analyst after a first approval, as the service builds it once the threshold no longer applies', () => {
    const { entries, notification } = decided([ReviewMother.held(), ReviewMother.firstApproval('alice')], ReviewMother.byAnalyst('bob', 'APPROVED'), {});
    expect(JSON.parse(notification.body)).toMatchObject({ decidedBy: 'bob' });

    expect(checkNotifications(transaction, entries, [notification], [])).toEqual([]);
  });

  it('names a rejection turned into an approval, with the notification and the transaction', () => {
    const { entries, notification } = providerRejection();

    const findings = checkNotifications(transaction, entries, [{ ...notification, body: edited(notification.body, { status: 'APPROVED' }) }], []);

    expect(findings).toEqual([
      {
        kind: 'NOTIFICATION_MISMATCH',
        message: 'notification n-1 to Toqio does not send what its decision, entry 101 (sequence 2), says: status "APPROVED" where the entry gives "REJECTED"',
        transactionId: 'tx-1',
        entryId: null,
        sequence: null,
      },
    ]);
  });

  it('names another decidedBy (a stranger, or the first approver without the second), and a reason changed without repeating it', () => {
    const { entries, notification } = fourEyesApproval();
    const check = (changes: Record<string, string>) => checkNotifications(transaction, entries, [{ ...notification, body: edited(notification.body, changes) }], []).map((f) => f.message);

    expect(check({ decidedBy: 'mallory' })).toEqual([expect.stringMatching(/: decidedBy "mallory" where the entry gives "alice, bob"$/)]);
    expect(check({ decidedBy: 'alice' })).toEqual([expect.stringMatching(/: decidedBy "alice" where the entry gives "alice, bob"$/)]);
    expect(check({ reason: 'All fine', decidedAt: at(1).toISOString() })).toEqual([
      expect.stringMatching(/: reason is not the entry's reasons; decidedAt "2030-01-15T09:00:00.001Z" where the entry gives "2030-01-15T09:02:00.000Z"$/),
    ]);
    expect(check({ transactionId: 'tx-2' })).toEqual([expect.stringMatching(/: transactionId "tx-2" where the entry gives "tx-1"$/)]);
  });

  it('names a body whose fields agree but whose bytes do not, and one that is not JSON', () => {
    const { entries, notification } = providerRejection();
    const check = (body: string) => checkNotifications(transaction, entries, [{ ...notification, body }], []).map((f) => [f.kind, f.message.split(' says: ')[1]]);

    expect(check(JSON.stringify(JSON.parse(notification.body), null, 1))).toEqual([['NOTIFICATION_MISMATCH', 'its bytes are not those the service builds (keys, their order or spacing differ)']]);
    expect(check(edited(notification.body, { approvedBy: 'mallory' }))).toEqual([['NOTIFICATION_MISMATCH', 'its bytes are not those the service builds (keys, their order or spacing differ)']]);
    expect(check('{"status":')).toEqual([['NOTIFICATION_MISMATCH', 'its body is not JSON']]);
    expect(check('["REJECTED"]')).toEqual([['NOTIFICATION_MISMATCH', 'its body is not a JSON object']]);
  });

  it('names a notification that carries no final decision of its chain', () => {
    const { entries, notification } = providerRejection();
    const note: ChainEntry = { kind: 'NOTE', id: '101', sequence: 3, prevHash: 'p', hash: 'h', author: 'alice', at: at(0), text: 'a note with the id of a decision' };
    const check = (decisionId: string, chain: readonly ChainEntry[] = entries) => checkNotifications(transaction, chain, [{ ...notification, decisionId }], []).map((f) => [f.kind, f.message]);

    // Moved off its decision, it also leaves that decision without a notification.
    const missing = ['NOTIFICATION_MISSING', 'entry 101 (sequence 2), a final REJECTED by provider flagright, has no notification to Toqio (deleted, or never written): Toqio may never have been told'];
    expect(check('100')).toEqual([['NOTIFICATION_WITHOUT_DECISION', 'notification n-1 to Toqio carries entry 100 (sequence 1), which is no final decision of an analyst or a provider'], missing]);
    expect(check('999')).toEqual([['NOTIFICATION_WITHOUT_DECISION', "notification n-1 to Toqio carries decision entry 999, which is not an entry of this transaction's chain"], missing]);
    expect(check('101', [entries[0]!, note])).toEqual([['NOTIFICATION_WITHOUT_DECISION', "notification n-1 to Toqio carries decision entry 101, which is not an entry of this transaction's chain"]]);
  });

  describe('a final decision without its notification', () => {
    const kinds = (findings: readonly { kind: string }[]) => findings.map((finding) => finding.kind);

    it('is named for an analyst and a provider, at the entry, with its transaction', () => {
      for (const { entries } of [fourEyesApproval(), providerRejection()]) {
        const final = entries[entries.length - 1]!;
        expect(checkNotifications(transaction, entries, [], [])).toEqual([
          { kind: 'NOTIFICATION_MISSING', message: expect.stringContaining(`entry ${final.id} (sequence ${final.sequence}), a final`), transactionId: 'tx-1', entryId: final.id, sequence: final.sequence },
        ]);
      }
    });

    it('is not asked of an inbound alert, a decision at validate, or entries that decide nothing', () => {
      const { entries } = providerRejection();
      expect(checkNotifications({ ...transaction, direction: 'INBOUND' }, entries, [], [])).toEqual([]);
      const atValidate = stored([{ status: 'APPROVED', final: true, source: 'PROVIDER', decidedBy: 'rules', reasons: [], decidedAt: at(0) }]);
      expect(checkNotifications(transaction, atValidate, [], [])).toEqual([]);
      const stillHeld = stored([ReviewMother.held(), ReviewMother.firstApproval('alice'), { ...ReviewMother.held(), decidedBy: 'flagright' }]);
      expect(checkNotifications({ ...transaction, state: 'PENDING_EXTERNAL_APPROVAL' }, stillHeld, [], [])).toEqual([]);
    });

    it('is not judged in a chain broken at or before the decision: the chain is named already', () => {
      const { entries } = providerRejection();
      const brokenAt = (sequence: number) => [{ kind: 'HASH_MISMATCH' as const, message: 'edited', transactionId: 'tx-1', entryId: String(99 + sequence), sequence }];
      expect(kinds(checkNotifications(transaction, entries, [], brokenAt(2)))).toEqual([]);
      expect(kinds(checkNotifications(transaction, entries, [], brokenAt(3)))).toEqual(['NOTIFICATION_MISSING']);
    });
  });

  it('holds no body against a chain broken at or before the entry it carries: the chain is named already', () => {
    const { entries, notification } = fourEyesApproval();
    const tampered = [{ ...notification, body: edited(notification.body, { status: 'REJECTED' }) }];
    const brokenAt = (sequence: number) => [{ kind: 'HASH_MISMATCH' as const, message: 'edited', transactionId: 'tx-1', entryId: String(99 + sequence), sequence }];

    expect(checkNotifications(transaction, entries, tampered, brokenAt(2))).toEqual([]);
    expect(checkNotifications(transaction, entries, tampered, brokenAt(3))).toEqual([]);
    expect(checkNotifications(transaction, entries, tampered, brokenAt(4)).map((f) => f.kind)).toEqual(['NOTIFICATION_MISMATCH']);
    const stateOnly = [{ kind: 'STATE_MISMATCH' as const, message: 'state', transactionId: 'tx-1', entryId: null, sequence: null }];
    expect(checkNotifications(transaction, entries, tampered, stateOnly).map((f) => f.kind)).toEqual(['NOTIFICATION_MISMATCH']);
  });

  it('cuts a long value it quotes', () => {
    const { entries, notification } = providerRejection();
    const [finding] = checkNotifications(transaction, entries, [{ ...notification, body: edited(notification.body, { decidedBy: 'x'.repeat(500) }) }], []);
    expect(finding!.message).toContain(`decidedBy "${'x'.repeat(78)}… where`);
  });
});
