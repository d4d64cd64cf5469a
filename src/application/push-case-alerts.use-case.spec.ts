// Unit spec of PushCaseAlerts with a fake source: what each pass asks for, and the events it builds from the facts.
import { at } from '../../test/mothers/review.mother';
import { CaseOnRecord, DeadNotificationOnRecord } from '../domain/case-alerts';
import { OperatorEvent } from '../domain/operator-event';
import { CaseAlertSource } from './ports/case-alert-source.port';
import { PushCaseAlerts } from './push-case-alerts.use-case';

const NOW = at(3_600_000);
const HELD: CaseOnRecord = { transactionId: 'tx-1', direction: 'OUTBOUND', status: 'PENDING_EXTERNAL_APPROVAL', amount: '48250.00', currency: 'EUR', reasons: ['Amount is 10000 or more'], openedAt: at(0) };
const DEAD: DeadNotificationOnRecord = { notificationId: 'n-1', transactionId: 'tx-2', status: 'REJECTED', attempts: 7, lastError: 'HTTP 500', deadAt: at(60_000) };

/** Hands each kind's facts to the pass once, and keeps what it asked and what it was given to queue. */
class FakeCaseAlertSource extends CaseAlertSource {
  readonly asked: string[] = [];
  readonly queued: OperatorEvent[] = [];

  constructor(private facts: { opened: CaseOnRecord[]; overdue: CaseOnRecord[]; dead: DeadNotificationOnRecord[] }) {
    super();
  }

  async reportOpened(since: Date, limit: number, toEvents: (cases: readonly CaseOnRecord[]) => readonly OperatorEvent[]): Promise<number> {
    this.asked.push(`opened since ${since.toISOString()} limit ${limit}`);
    return this.take('opened', toEvents);
  }

  async reportOverdue(openedBefore: Date, limit: number, toEvents: (cases: readonly CaseOnRecord[]) => readonly OperatorEvent[]): Promise<number> {
    this.asked.push(`overdue before ${openedBefore.toISOString()} limit ${limit}`);
    return this.take('overdue', toEvents);
  }

  async reportDead(limit: number, toEvents: (notifications: readonly DeadNotificationOnRecord[]) => readonly OperatorEvent[]): Promise<number> {
    this.asked.push(`dead limit ${limit}`);
    return this.take('dead', toEvents);
  }

  private take<K extends 'opened' | 'overdue' | 'dead'>(kind: K, toEvents: (facts: (typeof this.facts)[K]) => readonly OperatorEvent[]): number {
    const facts = this.facts[kind];
    this.facts = { ...this.facts, [kind]: [] };
    this.queued.push(...toEvents(facts));
    return facts.length;
  }
}

describe('PushCaseAlerts', () => {
  it('reports opened, overdue and dead facts once each, with keys that make them unique', async () => {
    const source = new FakeCaseAlertSource({ opened: [HELD], overdue: [HELD], dead: [DEAD] });
    const push = new PushCaseAlerts(source, { slaMinutes: 30, openedLookbackMs: 86_400_000, limit: 50 }, { now: () => NOW });

    await expect(push.runOnce()).resolves.toBe(3);
    await expect(push.runOnce()).resolves.toBe(0);

    expect(source.asked.slice(0, 3)).toEqual([`opened since ${at(3_600_000 - 86_400_000).toISOString()} limit 50`, `overdue before ${at(3_600_000 - 30 * 60_000).toISOString()} limit 50`, 'dead limit 50']);
    expect(source.queued.map((e) => `${e.type}:${e.dedupeKey}`)).toEqual(['case.opened:tx-1', 'case.overdue:tx-1', 'notification.dead:n-1:7']);
    expect(source.queued[1]).toMatchObject({ occurredAt: at(30 * 60_000), data: { slaMinutes: 30, overdueSince: at(30 * 60_000).toISOString(), amount: '48250.00', consolePath: '/console/#/transactions/tx-1' } });
    expect(source.queued[2]).toMatchObject({ data: { transactionId: 'tx-2', status: 'REJECTED', attempts: 7, lastError: 'HTTP 500' } });
  });

  it('asks for nothing overdue without an SLA', async () => {
    const source = new FakeCaseAlertSource({ opened: [], overdue: [HELD], dead: [] });
    await new PushCaseAlerts(source, { openedLookbackMs: 60_000, limit: 10 }, { now: () => NOW }).runOnce();
    expect(source.asked.some((question) => question.startsWith('overdue'))).toBe(false);
    expect(source.queued).toEqual([]);
  });
});
