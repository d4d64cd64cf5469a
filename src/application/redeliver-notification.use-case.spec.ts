// Unit spec of RedeliverNotification: only a dead notification goes out again, and the worker is woken.
import { InMemoryNotificationOutbox } from '../../test/fakes/in-memory-notification-outbox';
import { at, T0 } from '../../test/mothers/review.mother';
import { NotificationNotDeadError, NotificationNotFoundError } from '../domain/domain-error';
import { RedeliverNotification } from './redeliver-notification.use-case';

const NOTICE = { transactionId: 'tx-1', status: 'REJECTED' as const, reason: 'Sanctioned country', decidedBy: 'alice', decidedAt: T0.toISOString() };

function setUp() {
  const clock = { now: T0 };
  const outbox = new InMemoryNotificationOutbox();
  outbox.now = () => clock.now;
  let wakes = 0;
  const useCase = new RedeliverNotification(outbox, () => (wakes += 1));
  return { clock, outbox, useCase, wakes: () => wakes };
}

describe('RedeliverNotification', () => {
  it('queues a dead notification again under the same id, restarting its age, and wakes the worker', async () => {
    const { clock, outbox, useCase, wakes } = setUp();
    const id = outbox.queue(NOTICE, { state: 'DEAD', attempts: 37 });
    clock.now = at(80 * 3_600_000);

    const view = await useCase.execute(id, 'bob');

    expect(view).toMatchObject({ id, state: 'QUEUED', body: NOTICE, redeliveredBy: 'bob', redeliveredAt: clock.now, deadAt: null, nextAttemptAt: clock.now });
    expect(wakes()).toBe(1);
    const [delivery] = await outbox.claimDue(1, 15_000);
    expect(delivery).toMatchObject({ notificationId: id, queuedAt: clock.now, body: JSON.stringify(NOTICE) });
  });

  it.each(['QUEUED', 'DELIVERED'] as const)('refuses a %s notification and wakes nothing', async (state) => {
    const { outbox, useCase, wakes } = setUp();
    const id = outbox.queue(NOTICE, { state });

    await expect(useCase.execute(id, 'bob')).rejects.toThrow(NotificationNotDeadError);
    await expect(useCase.execute(id, 'bob')).rejects.toMatchObject({ code: 'NOTIFICATION_NOT_DEAD', state });
    expect(outbox.view(id)).toMatchObject({ state, redeliveredBy: null });
    expect(wakes()).toBe(0);
  });

  it('refuses an unknown notification', async () => {
    const { useCase, wakes } = setUp();
    await expect(useCase.execute('00000000-0000-4000-8000-000000000000', 'bob')).rejects.toThrow(NotificationNotFoundError);
    expect(wakes()).toBe(0);
  });
});
