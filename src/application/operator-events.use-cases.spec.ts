// Unit spec of the operator events use cases with a fake outbox: delivery to the dead state, listing, redelivery.
import { InMemoryOperatorEventOutbox } from '../../test/fakes/in-memory-operator-event-outbox';
import { OperatorEventMother } from '../../test/mothers/operator-event.mother';
import { T0 } from '../../test/mothers/review.mother';
import { DeliverFromOutbox } from './deliver-from-outbox';
import { ListOperatorEvents } from './list-operator-events.use-case';
import { EventDelivery, OperatorEventSender } from './ports/operator-event-outbox.port';
import { DeliveryOutcome, DeliveryResult } from './ports/outbox-delivery.port';
import { RedeliverOperatorEvent } from './redeliver-operator-event.use-case';

/** Answers each attempt with the next outcome (a full result when the test needs one), then delivers. */
class ScriptedSender extends OperatorEventSender {
  readonly sent: EventDelivery[] = [];
  constructor(private readonly outcomes: (DeliveryOutcome | Omit<DeliveryResult, 'startedAt' | 'durationMs'>)[]) {
    super();
  }
  async deliver(delivery: EventDelivery): Promise<DeliveryResult> {
    this.sent.push(delivery);
    const next = this.outcomes.shift() ?? 'DELIVERED';
    if (typeof next !== 'string') return { ...next, startedAt: T0, durationMs: 1 };
    return { outcome: next, startedAt: T0, durationMs: 1, ...(next === 'DELIVERED' ? { httpStatus: 204 } : { httpStatus: 500, error: 'the event webhook answered 500' }) };
  }
}

function setUp(outcomes: ConstructorParameters<typeof ScriptedSender>[0], maxDelayMs = 10) {
  const clock = { now: T0 };
  const outbox = new InMemoryOperatorEventOutbox();
  outbox.now = () => clock.now;
  const sender = new ScriptedSender(outcomes);
  const deliver = new DeliverFromOutbox(outbox, sender, { requestTimeoutMs: 1_000, schedule: { baseDelayMs: 10, maxDelayMs, maxAgeMs: 3_600_000, maxAttempts: 3 } }, { now: () => clock.now, random: () => 0 });
  /** Claims and attempts whatever is due after moving the clock past any retry delay. */
  const round = async () => {
    clock.now = new Date(clock.now.getTime() + 60_000);
    return Promise.all((await deliver.claim(10)).map((delivery) => deliver.attemptAndRecord(delivery)));
  };
  return { outbox, sender, round };
}

describe('delivering operator events', () => {
  it('retries with the same event id and goes dead after the maximum attempts, saying so once', async () => {
    const { outbox, sender, round } = setUp(['REFUSED', 'TIMEOUT', 'NETWORK_ERROR']);
    await outbox.enqueue([OperatorEventMother.caseOpened('tx-1')]);

    const rounds = [await round(), await round(), await round(), await round()];

    expect(rounds.map((results) => results.map(({ dead }) => dead))).toEqual([[false], [false], [true], []]);
    expect(new Set(sender.sent.map((delivery) => delivery.eventId)).size).toBe(1);
    expect(sender.sent.map((delivery) => delivery.attempt)).toEqual([1, 2, 3]);
    const [event] = await outbox.list({ limit: 10 });
    expect(event).toMatchObject({ state: 'DEAD', attempts: 3, lastError: 'the event webhook answered 500' });
  });

  it('goes dead at once on a result the receiver made final, whatever attempts and age remain', async () => {
    const { outbox, sender, round } = setUp([{ outcome: 'REFUSED', httpStatus: 410, error: 'the event webhook answered 410 Gone', final: true }]);
    await outbox.enqueue([OperatorEventMother.caseOpened('tx-1')]);

    const [first] = await round();
    await round();

    expect(first).toMatchObject({ dead: true, result: { httpStatus: 410 } });
    expect(sender.sent).toHaveLength(1);
    expect((await outbox.list({ limit: 10 }))[0]).toMatchObject({ state: 'DEAD', attempts: 1, lastError: 'the event webhook answered 410 Gone' });
  });

  it('retries no sooner than the receiver asked, up to the longest wait of the schedule', async () => {
    const { outbox, round } = setUp(
      [
        { outcome: 'REFUSED', httpStatus: 429, error: 'the event webhook answered 429', retryAfterMs: 30_000 },
        { outcome: 'REFUSED', httpStatus: 503, error: 'the event webhook answered 503', retryAfterMs: 86_400_000 },
      ],
      45_000,
    );
    await outbox.enqueue([OperatorEventMother.caseOpened('tx-1')]);
    const nextDue = async () => (await outbox.list({ limit: 1 }))[0]!.nextAttemptAt!.getTime();

    await round(); // each round first moves the clock a minute on
    expect(await nextDue()).toBe(T0.getTime() + 60_000 + 30_000);
    await round();
    expect(await nextDue()).toBe(T0.getTime() + 120_000 + 45_000);
  });

  it('delivers on the first success and then sends nothing more', async () => {
    const { outbox, sender, round } = setUp(['REFUSED']);
    await outbox.enqueue([OperatorEventMother.caseOpened('tx-1')]);

    await round();
    const [second] = await round();
    await round();

    expect(second).toMatchObject({ dead: false, result: { outcome: 'DELIVERED' } });
    expect(sender.sent).toHaveLength(2);
    expect((await outbox.list({ limit: 10 }))[0]!.state).toBe('DELIVERED');
  });
});

describe('ListOperatorEvents', () => {
  it('pages newest first, with a cursor only while older events remain', async () => {
    const outbox = new InMemoryOperatorEventOutbox();
    await outbox.enqueue(['a', 'b', 'c'].map((id) => OperatorEventMother.caseOpened(id)));
    const list = new ListOperatorEvents(outbox);

    const first = await list.execute({ limit: 2 });
    const second = await list.execute({ limit: 2, before: first.nextCursor! });

    expect(first.items.map((event) => event.dedupeKey)).toEqual(['c', 'b']);
    expect(second).toEqual({ items: [expect.objectContaining({ dedupeKey: 'a' })], nextCursor: null });
  });
});

describe('RedeliverOperatorEvent', () => {
  it('queues a dead event again and wakes the worker; refuses one that is not dead', async () => {
    const { outbox, round } = setUp(['REFUSED', 'REFUSED', 'REFUSED']);
    await outbox.enqueue([OperatorEventMother.caseOpened('tx-1')]);
    for (let i = 0; i < 3; i += 1) await round();
    const [dead] = await outbox.list({ state: 'DEAD', limit: 1 });
    let woken = 0;
    const redeliver = new RedeliverOperatorEvent(outbox, () => (woken += 1));

    await expect(redeliver.execute(dead!.id, 'bob')).resolves.toMatchObject({ id: dead!.id, state: 'QUEUED', redeliveredBy: 'bob' });
    expect(woken).toBe(1);
    await expect(redeliver.execute(dead!.id, 'bob')).rejects.toMatchObject({ code: 'OPERATOR_EVENT_NOT_DEAD', state: 'QUEUED' });
    await expect(redeliver.execute('00000000-0000-4000-8000-000000000000', 'bob')).rejects.toMatchObject({ code: 'OPERATOR_EVENT_NOT_FOUND' });
    expect(woken).toBe(1);
  });

  it('gives a redelivered event a fresh count of attempts', async () => {
    const { outbox, sender, round } = setUp(['REFUSED', 'REFUSED', 'REFUSED', 'REFUSED']);
    await outbox.enqueue([OperatorEventMother.caseOpened('tx-1')]);
    for (let i = 0; i < 3; i += 1) await round();
    const [dead] = await outbox.list({ state: 'DEAD', limit: 1 });
    await new RedeliverOperatorEvent(outbox).execute(dead!.id, 'bob');

    const [again] = await round();

    expect(again).toMatchObject({ dead: false });
    expect(sender.sent.at(-1)).toMatchObject({ eventId: dead!.id, attempt: 4, attemptSinceQueued: 1 });
  });
});
