// Unit spec of screeningRecord: what each screening outcome writes into the history and leaves to do.
import { TransactionStatus } from './transaction-status';
import { Screening, ScreeningOutcome } from './verdict';
import { screeningRecord } from './screening-record';

const at = new Date('2026-11-21T10:00:00.000Z');

function screening(outcome: ScreeningOutcome, status: TransactionStatus): Screening {
  return {
    provider: 'rules',
    outcome,
    status,
    reasons: [`${outcome} ${status}`],
    verdict: outcome === 'DECIDED' ? { status, reasons: [`${outcome} ${status}`] } : undefined,
    durationMs: 12,
  };
}

describe('screeningRecord', () => {
  it.each<[ScreeningOutcome, TransactionStatus, { final: boolean; source: string; opensReview: boolean; retry: boolean }]>([
    ['DECIDED', 'APPROVED', { final: true, source: 'PROVIDER', opensReview: false, retry: false }],
    ['DECIDED', 'REJECTED', { final: true, source: 'PROVIDER', opensReview: false, retry: false }],
    ['DECIDED', 'PENDING_EXTERNAL_APPROVAL', { final: false, source: 'PROVIDER', opensReview: true, retry: false }],
    ['TIMEOUT', 'PENDING_EXTERNAL_APPROVAL', { final: false, source: 'FALLBACK', opensReview: true, retry: true }],
    ['ERROR', 'PENDING_EXTERNAL_APPROVAL', { final: false, source: 'FALLBACK', opensReview: true, retry: true }],
    ['TIMEOUT', 'APPROVED', { final: true, source: 'FALLBACK', opensReview: false, retry: false }],
    // FALLBACK_STATUS=REJECTED: Toqio is told REJECTED, and the transaction is then treated as pending review (the contract).
    ['ERROR', 'REJECTED', { final: false, source: 'FALLBACK', opensReview: true, retry: true }],
    ['TIMEOUT', 'REJECTED', { final: false, source: 'FALLBACK', opensReview: true, retry: true }],
  ])('%s with %s', (outcome, status, expected) => {
    const record = screeningRecord(screening(outcome, status), at);
    expect({ final: record.entry.final, source: record.entry.source, opensReview: record.opensReview, retry: record.retry }).toEqual(expected);
    expect(record.state).toBe(record.opensReview ? 'PENDING_EXTERNAL_APPROVAL' : status);
  });

  it("keeps the screening's status, reasons and provider in the entry, at the time given", () => {
    const { entry } = screeningRecord(screening('DECIDED', 'REJECTED'), at);
    expect(entry).toEqual({ status: 'REJECTED', final: true, source: 'PROVIDER', decidedBy: 'rules', reasons: ['DECIDED REJECTED'], decidedAt: at });
  });
});
