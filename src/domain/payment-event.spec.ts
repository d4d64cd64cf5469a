// Unit spec of the forward-only rules for payments and mandates, out-of-order deliveries included.
import fc from 'fast-check';
import { changesState, MandateState, MandateStatus, mandateAdvances, needsFollowUp, outcomeWithoutState, PaymentEffect, PaymentEvent, PaymentProgress, PaymentState, paymentAdvances, stateOutcome } from './payment-event';
import { Money } from './money';

const payment = (progress: PaymentProgress, providerStatus: string = progress.toLowerCase()): PaymentState => ({ progress, providerStatus });
const T = new Date('2026-03-02T09:00:00.000Z');
const mandate = (status: MandateStatus, msAfterT = 0): MandateState => ({ status, at: new Date(T.getTime() + msAfterT) });

const PROGRESSES: readonly PaymentProgress[] = ['PENDING', 'IN_PROGRESS', 'SETTLED', 'FAILED', 'REVERSED'];

describe('paymentAdvances', () => {
  it.each(PROGRESSES)('takes any first state (%s)', (progress) => {
    expect(paymentAdvances(null, payment(progress))).toBe(true);
  });

  // Rows: current; columns: next. Written out by hand rather than derived from a rank.
  const table: Record<PaymentProgress, Record<PaymentProgress, boolean>> = {
    PENDING: { PENDING: false, IN_PROGRESS: true, SETTLED: true, FAILED: true, REVERSED: true },
    IN_PROGRESS: { PENDING: false, IN_PROGRESS: false, SETTLED: true, FAILED: true, REVERSED: true },
    SETTLED: { PENDING: false, IN_PROGRESS: false, SETTLED: false, FAILED: false, REVERSED: true },
    FAILED: { PENDING: false, IN_PROGRESS: false, SETTLED: false, FAILED: false, REVERSED: true },
    REVERSED: { PENDING: false, IN_PROGRESS: false, SETTLED: false, FAILED: false, REVERSED: false },
  };
  const cases = PROGRESSES.flatMap((current) => PROGRESSES.map((next) => [current, next, table[current][next]] as const));

  it.each(cases)('from %s to %s: %s', (current, next, expected) => {
    expect(paymentAdvances(payment(current), payment(next))).toBe(expected);
  });

  it("ignores the provider's own status word: only the progress orders states", () => {
    expect(paymentAdvances(payment('IN_PROGRESS', 'ACSP'), payment('IN_PROGRESS', 'something-else'))).toBe(false);
    expect(paymentAdvances(payment('PENDING', 'zzz'), payment('IN_PROGRESS', 'aaa'))).toBe(true);
  });

  // An independent oracle: the order the issue describes.
  const rank = (progress: PaymentProgress): number => ({ PENDING: 0, IN_PROGRESS: 1, SETTLED: 2, FAILED: 2, REVERSED: 3 })[progress];

  it('never moves backwards whatever order events arrive in; the first of the highest rank stands (property)', () => {
    const events = fc.array(fc.constantFrom(...PROGRESSES), { minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(events, (sequence) => {
        let state: PaymentState | null = null;
        for (const progress of sequence) {
          const next = payment(progress);
          const before: PaymentState | null = state;
          if (paymentAdvances(state, next)) state = next;
          if (before !== null) expect(rank(state!.progress)).toBeGreaterThanOrEqual(rank(before.progress));
        }
        const highest = Math.max(...sequence.map(rank));
        expect(rank(state!.progress)).toBe(highest);
        // SETTLED and FAILED rank alike: whichever of the highest rank came first is kept.
        expect(state!.progress).toBe(sequence.find((progress) => rank(progress) === highest));
      }),
    );
  });

  it('keeps a settlement when a failure of the same payment arrives after it, and the reverse', () => {
    const settledFirst = [payment('SETTLED'), payment('FAILED')].reduce<PaymentState | null>((s, e) => (paymentAdvances(s, e) ? e : s), null);
    const failedFirst = [payment('FAILED'), payment('SETTLED')].reduce<PaymentState | null>((s, e) => (paymentAdvances(s, e) ? e : s), null);
    expect(settledFirst?.progress).toBe('SETTLED');
    expect(failedFirst?.progress).toBe('FAILED');
  });
});

describe('mandateAdvances', () => {
  it.each(['CRTD', 'ACTV', 'SUSD', 'CNCD'] as const)('takes any first state (%s)', (status) => {
    expect(mandateAdvances(null, mandate(status))).toBe(true);
  });

  it.each([
    // current, next, next's time relative to current's, expected
    ['CRTD', 'CRTD', +1000, false],
    ['CRTD', 'ACTV', +1000, true],
    ['CRTD', 'ACTV', -1000, true], // created is only ever first: an older activation still moves it on
    ['CRTD', 'SUSD', -1000, true],
    ['CRTD', 'CNCD', -1000, true],
    ['ACTV', 'CRTD', +1000, false],
    ['ACTV', 'SUSD', +1000, true],
    ['ACTV', 'SUSD', 0, false],
    ['ACTV', 'SUSD', -1000, false],
    ['ACTV', 'ACTV', +1000, true],
    ['ACTV', 'ACTV', 0, false],
    ['ACTV', 'CNCD', -1000, true], // cancelled is final whenever it was sent
    ['SUSD', 'ACTV', +1, true],
    ['SUSD', 'ACTV', 0, false],
    ['SUSD', 'ACTV', -1, false],
    ['SUSD', 'CRTD', +1000, false],
    ['SUSD', 'CNCD', -1000, true],
    ['CNCD', 'CRTD', +1000, false],
    ['CNCD', 'ACTV', +1000, false],
    ['CNCD', 'SUSD', +1000, false],
    ['CNCD', 'CNCD', +1000, false],
  ] as const)('from %s to %s (%i ms later): %s', (current, next, delta, expected) => {
    expect(mandateAdvances(mandate(current, 0), mandate(next, delta))).toBe(expected);
  });

  it('never moves backwards whatever order events arrive in, and ends on the first cancellation or the latest change (property)', () => {
    const event = fc.record({ status: fc.constantFrom<MandateStatus>('CRTD', 'ACTV', 'SUSD', 'CNCD'), at: fc.integer({ min: 0, max: 20 }) });
    const events = fc.array(event, { minLength: 1, maxLength: 10 });
    fc.assert(
      fc.property(events, (sequence) => {
        let state: MandateState | null = null;
        for (const e of sequence) {
          const next = mandate(e.status, e.at * 1000);
          const before: MandateState | null = state;
          if (mandateAdvances(state, next)) state = next;
          if (before === null) continue;
          const after = state!;
          if (before.status === 'CNCD') expect(after).toBe(before);
          if (before.status !== 'CRTD') expect(after.status).not.toBe('CRTD');
          if ((before.status === 'ACTV' || before.status === 'SUSD') && (after.status === 'ACTV' || after.status === 'SUSD')) {
            expect(after.at.getTime()).toBeGreaterThanOrEqual(before.at.getTime());
          }
        }
        const final = state!;
        const cancelled = sequence.find((e) => e.status === 'CNCD');
        const live = sequence.filter((e) => e.status === 'ACTV' || e.status === 'SUSD');
        if (cancelled) {
          // The first cancellation delivered stands.
          expect(final.status).toBe('CNCD');
          expect(final.at.getTime()).toBe(cancelled.at * 1000 + T.getTime());
        } else if (live.length > 0) {
          const latest = Math.max(...live.map((e) => e.at));
          const winner = live.find((e) => e.at === latest)!;
          expect(final.status).toBe(winner.status);
          expect(final.at.getTime()).toBe(T.getTime() + latest * 1000);
        } else {
          expect(final.status).toBe('CRTD');
        }
      }),
    );
  });

  it('settles an ACTV ⇄ SUSD history delivered backwards on the last change', () => {
    const history = [mandate('CRTD', 0), mandate('ACTV', 1000), mandate('SUSD', 2000), mandate('ACTV', 3000), mandate('SUSD', 4000)];
    const final = [...history].reverse().reduce<MandateState | null>((s, e) => (mandateAdvances(s, e) ? e : s), null);
    expect(final).toEqual(mandate('SUSD', 4000));
  });
});

describe('needsFollowUp', () => {
  const money = Money.of('10', 'AUD');
  it('is true only for money received and alerts', () => {
    expect(needsFollowUp({ kind: 'INBOUND_PAYMENT', transactionId: 't', money, attributes: {} })).toBe(true);
    expect(needsFollowUp({ kind: 'ALERT', transactionId: 't', money, reason: 'r', attributes: {} })).toBe(true);
    expect(needsFollowUp({ kind: 'PAYMENT_PROGRESS', paymentKey: 'k', state: payment('SETTLED') })).toBe(false);
    expect(needsFollowUp({ kind: 'MANDATE_STATUS', mandateId: 'm', state: mandate('ACTV') })).toBe(false);
    expect(needsFollowUp({ kind: 'REFUNDED' })).toBe(false);
    expect(needsFollowUp({ kind: 'NONE' })).toBe(false);
  });
});

describe('the outcome of recording an event', () => {
  const money = Money.of('10', 'AUD');
  const progress = (state: PaymentState): PaymentEffect => ({ kind: 'PAYMENT_PROGRESS', paymentKey: 'k', state });
  const status = (state: MandateState): PaymentEffect => ({ kind: 'MANDATE_STATUS', mandateId: 'm', state });
  const event = (effect: PaymentEffect): PaymentEvent => ({ provider: 'p', eventType: 't', dedupeKey: 'd', transactionIds: [], summary: 's', payloadJson: '{}', effect });

  it('changes state only for payment progress and mandate status', () => {
    expect(changesState(event(progress(payment('SETTLED'))))).toBe(true);
    expect(changesState(event(status(mandate('ACTV'))))).toBe(true);
    expect(changesState(event({ kind: 'INBOUND_PAYMENT', transactionId: 't', money, attributes: {} }))).toBe(false);
    expect(changesState(event({ kind: 'REFUNDED' }))).toBe(false);
    expect(changesState(event({ kind: 'NONE' }))).toBe(false);
  });

  it('queues a follow-up for money received and alerts, and only records anything else that moves no state', () => {
    expect(outcomeWithoutState({ kind: 'INBOUND_PAYMENT', transactionId: 't', money, attributes: {} })).toBe('FOLLOW_UP');
    expect(outcomeWithoutState({ kind: 'ALERT', transactionId: 't', money, reason: 'r', attributes: {} })).toBe('FOLLOW_UP');
    expect(outcomeWithoutState({ kind: 'REFUNDED' })).toBe('RECORDED');
    expect(outcomeWithoutState({ kind: 'NONE' })).toBe('RECORDED');
  });

  it('applies a payment event that moves it forward, and keeps a late one as STALE', () => {
    expect(stateOutcome({ kind: 'PAYMENT_PROGRESS', paymentKey: 'k', state: payment('SETTLED') }, null)).toBe('APPLIED');
    expect(stateOutcome({ kind: 'PAYMENT_PROGRESS', paymentKey: 'k', state: payment('SETTLED') }, payment('IN_PROGRESS'))).toBe('APPLIED');
    expect(stateOutcome({ kind: 'PAYMENT_PROGRESS', paymentKey: 'k', state: payment('IN_PROGRESS') }, payment('SETTLED'))).toBe('STALE');
  });

  it('applies a mandate event by the mandate rules', () => {
    expect(stateOutcome({ kind: 'MANDATE_STATUS', mandateId: 'm', state: mandate('ACTV', 1) }, mandate('CRTD'))).toBe('APPLIED');
    expect(stateOutcome({ kind: 'MANDATE_STATUS', mandateId: 'm', state: mandate('ACTV', 1) }, mandate('CNCD'))).toBe('STALE');
  });

  it('refuses a state on record of the other kind: a store mixed up its subjects', () => {
    expect(() => stateOutcome({ kind: 'MANDATE_STATUS', mandateId: 'm', state: mandate('ACTV') }, payment('SETTLED'))).toThrow(TypeError);
  });
});
