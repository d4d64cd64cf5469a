// Unit spec of what a provider's decision after the final one leaves: a note in the chain, and an event only when it disagrees.
import { NOTE_MAX_LENGTH } from './case-record';
import { decisionContradicted, FinalOnRecord, lateDecisionNote } from './late-provider-decision';

const approved: FinalOnRecord = { transactionId: 'tx-1', direction: 'OUTBOUND', status: 'APPROVED', amount: '12000.50', currency: 'GBP' };
const at = new Date('2030-01-15T10:11:12.345Z');

describe('lateDecisionNote', () => {
  it("says who decided what, against or agreeing with the final status, that it changes nothing, and the provider's reasons", () => {
    expect(lateDecisionNote(approved, { provider: 'flagright', status: 'REJECTED', reasons: ['Sanctions hit', 'confirmed'], at })).toEqual({
      kind: 'NOTE',
      author: 'provider flagright',
      text: 'Provider flagright decided REJECTED after the transaction was final, against its APPROVED. It changes nothing: the transaction stays APPROVED. Its reasons: Sanctions hit; confirmed',
      at,
    });
    expect(lateDecisionNote(approved, { provider: 'flagright', status: 'APPROVED', reasons: [], at }).text).toBe(
      'Provider flagright decided APPROVED after the transaction was final, agreeing with its APPROVED. It changes nothing: the transaction stays APPROVED.',
    );
  });

  it("keeps a note the chain can store: the provider's text cut to the note's limit, NULs dropped and lone surrogates replaced", () => {
    const long = lateDecisionNote(approved, { provider: 'vendor', status: 'REJECTED', reasons: ['x'.repeat(2 * NOTE_MAX_LENGTH)], at });
    expect(long.text).toHaveLength(NOTE_MAX_LENGTH);
    const odd = lateDecisionNote(approved, { provider: 'vendor', status: 'REJECTED', reasons: ['a\u0000b', 'c\uD800d'], at });
    expect(odd.text).toMatch(/Its reasons: ab; c\uFFFDd$/);
  });
});

describe('decisionContradicted', () => {
  it('is raised for a verdict other than the final one, keyed by transaction, provider and verdict', () => {
    const event = decisionContradicted(approved, { provider: 'flagright', status: 'REJECTED', reasons: ['Sanctions hit'], at });
    expect(event).toEqual({
      type: 'decision.contradicted',
      dedupeKey: 'tx-1:flagright:REJECTED',
      occurredAt: at,
      data: {
        transactionId: 'tx-1',
        direction: 'OUTBOUND',
        status: 'APPROVED',
        amount: '12000.50',
        currency: 'GBP',
        provider: 'flagright',
        providerStatus: 'REJECTED',
        providerReasons: ['Sanctions hit'],
        receivedAt: '2030-01-15T10:11:12.345Z',
        consolePath: '/console/#/transactions/tx-1',
      },
    });
  });

  it('is not raised for a verdict that agrees', () => {
    expect(decisionContradicted(approved, { provider: 'flagright', status: 'APPROVED', reasons: [], at })).toBeNull();
    expect(decisionContradicted({ ...approved, status: 'REJECTED' }, { provider: 'marble', status: 'REJECTED', reasons: [], at })).toBeNull();
  });
});
