// The rule that holds each notification to Toqio against the chained decision it carries, without a database.
import { DecisionNotice, isNotifiedDecision, noticeBody, possibleNotices } from '../../domain/decision';
import { AuditedTransaction, ChainEntry, Finding, isCaseRecord, StoredEntry } from './audit-chain-check';

/*
 * A notification's body is written once, beside the final entry it carries, and every delivery
 * attempt sends it as stored: it is not part of the chain. So it is rebuilt here from that entry
 * and the entries before it by the domain's own possibleNotices, and must be one of those bodies
 * byte for byte. A body rewritten in the database (a rejection turned into an approval, another
 * name as decidedBy) is named whether it is still queued, dead or delivered. A body is held only
 * against entries that verify: when the chain is broken at or before the entry it carries, the
 * chain's finding already names the transaction, and which of the two was changed is unknowable.
 *
 * The other way round, a payment's final decision after it was held (an analyst's, a provider's
 * callback or late verdict) is recorded in the same database transaction as its one notification:
 * a decision that no notification carries had it deleted, and Toqio may never hear of it. The
 * screening entry needs none (validate's own answer told Toqio), nor does an inbound alert.
 */

/** A notification to Toqio as stored: the decision entry it names and the exact body it sends. */
export interface StoredNotification {
  readonly id: string;
  readonly decisionId: string;
  readonly body: string;
}

/**
 * Every problem of one transaction's notifications; `entries` as checkTransaction takes them, and
 * `chainFindings` what checkTransaction found in them.
 */
export function checkNotifications(
  transaction: AuditedTransaction,
  entries: readonly ChainEntry[],
  notifications: readonly StoredNotification[],
  chainFindings: readonly Finding[],
): Finding[] {
  const decisions = entries.filter((entry): entry is StoredEntry => !isCaseRecord(entry));
  const brokenFrom = Math.min(...chainFindings.map((finding) => finding.sequence ?? Infinity));
  const findings: Finding[] = [];
  for (const notification of notifications) {
    const problem = problemOf(transaction, decisions, notification, brokenFrom);
    if (problem) findings.push({ ...problem, transactionId: transaction.id, entryId: null, sequence: null });
  }
  findings.push(...missingNotifications(transaction, decisions, notifications, brokenFrom));
  return findings;
}

/** The final decisions after screening, in a chain that verifies, that no notification carries. */
function missingNotifications(transaction: AuditedTransaction, decisions: readonly StoredEntry[], notifications: readonly StoredNotification[], brokenFrom: number): Finding[] {
  if (transaction.direction !== 'OUTBOUND') return [];
  const carried = new Set(notifications.map((notification) => notification.decisionId));
  return decisions.flatMap((entry, at): Finding[] => {
    if (at === 0 || entry.sequence >= brokenFrom || carried.has(entry.id) || !isNotifiedDecision(entry)) return [];
    const message = `entry ${entry.id} (sequence ${entry.sequence}), a final ${entry.status} by ${entry.source.toLowerCase()} ${entry.decidedBy}, has no notification to Toqio (deleted, or never written): Toqio may never have been told`;
    return [{ kind: 'NOTIFICATION_MISSING', message, transactionId: transaction.id, entryId: entry.id, sequence: entry.sequence }];
  });
}

function problemOf(transaction: AuditedTransaction, decisions: readonly StoredEntry[], notification: StoredNotification, brokenFrom: number): Omit<Finding, 'transactionId' | 'entryId' | 'sequence'> | null {
  const at = decisions.findIndex((entry) => entry.id === notification.decisionId);
  const entry = decisions[at];
  if (!entry) {
    return { kind: 'NOTIFICATION_WITHOUT_DECISION', message: `notification ${notification.id} to Toqio carries decision entry ${notification.decisionId}, which is not an entry of this transaction's chain` };
  }
  if (entry.sequence >= brokenFrom) return null;
  const notices = possibleNotices(transaction.id, decisions.slice(0, at), entry);
  const place = `entry ${entry.id} (sequence ${entry.sequence})`;
  if (notices.length === 0) {
    return { kind: 'NOTIFICATION_WITHOUT_DECISION', message: `notification ${notification.id} to Toqio carries ${place}, which is no final decision of an analyst or a provider` };
  }
  if (notices.some((notice) => noticeBody(notice) === notification.body)) return null;
  return { kind: 'NOTIFICATION_MISMATCH', message: `notification ${notification.id} to Toqio does not send what its decision, ${place}, says: ${differences(notification.body, notices[0]!)}` };
}

const FIELDS = ['transactionId', 'status', 'reason', 'decidedBy', 'decidedAt'] as const;

/** What differs, field by field; a reason's text is not repeated (it is free text, and can be long). */
function differences(body: string, expected: DecisionNotice): string {
  let sent: unknown;
  try {
    sent = JSON.parse(body);
  } catch {
    return 'its body is not JSON';
  }
  if (typeof sent !== 'object' || sent === null || Array.isArray(sent)) return 'its body is not a JSON object';
  const fields = sent as Record<string, unknown>;
  const changed = FIELDS.filter((field) => fields[field] !== expected[field]).map((field) =>
    field === 'reason' ? 'reason is not the entry\'s reasons' : `${field} ${shown(fields[field])} where the entry gives ${shown(expected[field])}`,
  );
  return changed.length > 0 ? changed.join('; ') : 'its bytes are not those the service builds (keys, their order or spacing differ)';
}

function shown(value: unknown): string {
  if (value === undefined) return 'missing';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}
