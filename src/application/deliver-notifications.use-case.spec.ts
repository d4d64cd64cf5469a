// Unit spec of DeliverNotifications with a fake outbox and notifier: what each outcome records, and timeouts.
import { InMemoryNotificationOutbox } from '../../test/fakes/in-memory-notification-outbox';
import { RecordingDecisionNotifier } from '../../test/fakes/recording-decision-notifier';
import { at, DeliveryMother, T0 } from '../../test/mothers/review.mother';
import { DeliveryOutcome } from './ports/notification-outbox.port';
import { DeliverNotifications, DeliveryPolicy } from './deliver-notifications.use-case';

const HOUR = 3_600_000;
const POLICY: DeliveryPolicy = { requestTimeoutMs: 10_000, schedule: { baseDelayMs: 1_000, maxDelayMs: 300_000, maxAgeMs: 72 * HOUR } };
const NOTICE = { transactionId: 'tx-1', status: 'APPROVED' as const, reason: 'Invoice matches', decidedBy: 'alice', decidedAt: T0.toISOString() };

function setUp(notifier = RecordingDecisionNotifier.answering('DELIVERED'), policy: DeliveryPolicy = POLICY) {
  const clock = { now: T0 };
  const outbox = new InMemoryNotificationOutbox();
  outbox.now = () => clock.now;
  const useCase = new DeliverNotifications(outbox, notifier, policy, { now: () => clock.now, random: () => 0 });
  return { clock, outbox, notifier, useCase };
}

describe('DeliverNotifications', () => {
  describe('claim', () => {
    it('claims what is due for a lease that outlives one attempt', async () => {
      const { outbox, useCase, clock } = setUp();
      const id = outbox.queue(NOTICE);

      const [delivery, ...rest] = await useCase.claim(5);

      expect(rest).toEqual([]);
      expect(delivery).toEqual({ notificationId: id, transactionId: 'tx-1', body: JSON.stringify(NOTICE), attempt: 1, attemptSinceQueued: 1, queuedAt: T0 });
      expect(useCase.leaseMs).toBeGreaterThan(POLICY.requestTimeoutMs);
      expect(outbox.view(id)!.nextAttemptAt).toEqual(new Date(clock.now.getTime() + useCase.leaseMs));
      await expect(useCase.claim(5)).resolves.toEqual([]);
    });

    it('asks for nothing when no slot is free', async () => {
      const { outbox, useCase } = setUp();
      outbox.queue(NOTICE);
      await expect(useCase.claim(0)).resolves.toEqual([]);
      await expect(useCase.claim(1)).resolves.toHaveLength(1);
    });
  });

  describe('attempt', () => {
    it('sends the claimed notification and records a delivery as delivered', async () => {
      const { outbox, notifier, useCase } = setUp();
      const id = outbox.queue(NOTICE);
      const [delivery] = await useCase.claim(1);

      const result = await useCase.attempt(delivery!);

      expect(result.outcome).toBe('DELIVERED');
      expect(notifier.deliveries).toEqual([delivery]);
      expect(outbox.recorded).toEqual([{ delivery, result, next: 'DELIVERED' }]);
      expect(outbox.view(id)).toMatchObject({ state: 'DELIVERED', nextAttemptAt: null, attempts: [{ attempt: 1, outcome: 'DELIVERED' }] });
    });

    it.each<DeliveryOutcome>(['REFUSED', 'TIMEOUT', 'NETWORK_ERROR'])('schedules a retry from the backoff after %s', async (outcome) => {
      const { outbox, useCase, clock } = setUp(RecordingDecisionNotifier.answering(outcome));
      const id = outbox.queue(NOTICE);
      const [delivery] = await useCase.claim(1);
      clock.now = at(2_000);

      await useCase.attempt(delivery!);

      // First failure, random 0: half the 1 s base after the failure.
      expect(outbox.recorded[0]!.next).toEqual({ retryAt: at(2_500) });
      expect(outbox.view(id)).toMatchObject({ state: 'QUEUED', nextAttemptAt: at(2_500), lastError: outcome, attempts: [{ attempt: 1, outcome }] });
    });

    it('backs off further with each attempt, from the attempt number the claim carries', async () => {
      const { outbox, useCase, clock } = setUp(RecordingDecisionNotifier.answering('REFUSED'));
      clock.now = at(HOUR);

      await useCase.attempt(DeliveryMother.claimed({ attempt: 4 }));

      expect(outbox.recorded[0]!.next).toEqual({ retryAt: at(HOUR + 4_000) });
    });

    it('starts backing off afresh after a redelivery by hand, whatever the attempts before it', async () => {
      const { outbox, useCase, clock } = setUp(RecordingDecisionNotifier.answering('REFUSED'));
      clock.now = at(HOUR);

      await useCase.attempt(DeliveryMother.claimed({ attempt: 40, attemptSinceQueued: 1 }));

      // Within the first retry's base of 1 s, not the 5-minute cap the 40th attempt would get.
      expect(outbox.recorded[0]!.next).toEqual({ retryAt: at(HOUR + 500) });
    });

    it('marks the notification dead once a retry would pass its maximum age', async () => {
      const { outbox, useCase, clock } = setUp(RecordingDecisionNotifier.answering('REFUSED'));
      const id = outbox.queue(NOTICE);
      const [delivery] = await useCase.claim(1);
      clock.now = at(72 * HOUR - 100);

      await useCase.attempt(delivery!);

      expect(outbox.recorded[0]!.next).toEqual({ dead: true });
      expect(outbox.view(id)).toMatchObject({ state: 'DEAD', nextAttemptAt: null, deadAt: at(72 * HOUR - 100) });
    });

    it('still records a delivery that succeeds after the maximum age', async () => {
      const { outbox, useCase, clock } = setUp();
      clock.now = at(100 * HOUR);
      await useCase.attempt(DeliveryMother.claimed());
      expect(outbox.recorded[0]!.next).toBe('DELIVERED');
    });

    it('lets a failure to record propagate, so the lease decides what happens next', async () => {
      const { outbox, notifier, useCase } = setUp();
      outbox.queue(NOTICE);
      const [delivery] = await useCase.claim(1);
      outbox.failRecording = new Error('connection terminated unexpectedly');

      await expect(useCase.attempt(delivery!)).rejects.toThrow('connection terminated unexpectedly');
      expect(notifier.deliveries).toHaveLength(1);
    });

    it('records a notifier that throws, against its promise, as a network error to retry', async () => {
      const notifier = new RecordingDecisionNotifier(async () => {
        throw new Error('socket hang up');
      });
      const { outbox, useCase } = setUp(notifier);

      const result = await useCase.attempt(DeliveryMother.claimed());

      expect(result).toMatchObject({ outcome: 'NETWORK_ERROR', error: expect.stringContaining('socket hang up') });
      expect(outbox.recorded[0]!.next).toEqual({ retryAt: expect.any(Date) });
    });
  });

  describe('request timeout', () => {
    beforeEach(() => jest.useFakeTimers({ now: T0 }));
    afterEach(() => jest.useRealTimers());

    it('aborts the notifier signal after requestTimeoutMs, and records the timeout', async () => {
      const { outbox, notifier, useCase } = setUp(RecordingDecisionNotifier.hangingUntilAborted());
      const attempt = useCase.attempt(DeliveryMother.claimed());
      const [signal] = notifier.signals;

      await jest.advanceTimersByTimeAsync(POLICY.requestTimeoutMs - 1);
      expect(signal!.aborted).toBe(false);
      expect(outbox.recorded).toEqual([]);

      await jest.advanceTimersByTimeAsync(1);
      expect(signal!.aborted).toBe(true);
      await expect(attempt).resolves.toMatchObject({ outcome: 'TIMEOUT' });
      expect(outbox.recorded).toEqual([expect.objectContaining({ next: { retryAt: expect.any(Date) } })]);
    });

    it('never aborts a call that already answered', async () => {
      const { notifier, useCase } = setUp();
      await useCase.attempt(DeliveryMother.claimed());

      await jest.advanceTimersByTimeAsync(POLICY.requestTimeoutMs * 2);

      expect(notifier.signals[0]!.aborted).toBe(false);
      expect(jest.getTimerCount()).toBe(0);
    });

    it('records a timeout inside the lease even when the notifier ignores the abort', async () => {
      const notifier = new RecordingDecisionNotifier(() => new Promise(() => undefined));
      const { outbox, useCase } = setUp(notifier);
      const attempt = useCase.attempt(DeliveryMother.claimed());

      await jest.advanceTimersByTimeAsync(useCase.leaseMs - 1);

      await expect(attempt).resolves.toMatchObject({ outcome: 'TIMEOUT' });
      expect(notifier.signals[0]!.aborted).toBe(true);
      expect(outbox.recorded).toHaveLength(1);
      expect(jest.getTimerCount()).toBe(0);
    });
  });
});
