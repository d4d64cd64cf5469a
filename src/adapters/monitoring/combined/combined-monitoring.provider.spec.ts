import { MonitoringProvider } from '../../../application/ports/monitoring-provider.port';
import { Verdict } from '../../../domain/verdict';
import { TransactionMother } from '../../../../test/mothers/transaction.mother';
import { Transaction } from '../../../domain/transaction';
import { CombinedMonitoringProvider, PartVerdict } from './combined-monitoring.provider';
import { NO_HISTORY } from '../../../domain/screening-context';
import { AggregateQuery, distinctAggregates } from '../../../domain/aggregate';
import { sourceAccountCount } from '../../../../test/mothers/screening-context.mother';

const context = NO_HISTORY;

/** A hand-written fake provider with a name of its own. */
class Named extends MonitoringProvider {
  constructor(
    readonly name: string,
    private readonly script: () => Promise<Verdict>,
    private readonly asks: readonly AggregateQuery[] = [],
  ) {
    super();
  }

  override get aggregates(): readonly AggregateQuery[] {
    return this.asks;
  }
  inProcess = false;
  override get abortable(): boolean {
    return !this.inProcess;
  }
  sameQuestion = true;
  override get idempotent(): boolean {
    return this.sameQuestion;
  }
  screen(): Promise<Verdict> {
    return this.script();
  }
}
const answering = (name: string, status: 'APPROVED' | 'REJECTED' | 'PENDING_EXTERNAL_APPROVAL', reasons: string[] = [], delayMs = 0) =>
  new Named(name, () => new Promise((resolve) => setTimeout(() => resolve({ status, reasons }), delayMs)));
const failing = (name: string) =>
  new Named(name, async () => {
    throw new Error(`${name} is down`);
  });

describe('CombinedMonitoringProvider', () => {
  it.each([
    ['APPROVED', 'APPROVED', 'APPROVED'],
    ['APPROVED', 'PENDING_EXTERNAL_APPROVAL', 'PENDING_EXTERNAL_APPROVAL'],
    ['PENDING_EXTERNAL_APPROVAL', 'REJECTED', 'REJECTED'],
    ['REJECTED', 'APPROVED', 'REJECTED'],
  ] as const)('%s and %s give %s', async (a, b, expected) => {
    const combined = new CombinedMonitoringProvider([answering('a', a), answering('b', b)], 'PENDING_EXTERNAL_APPROVAL');
    await expect(combined.screen(TransactionMother.create(), context, new AbortController().signal)).resolves.toMatchObject({ status: expected });
  });

  it('is abortable when one of its parts is, so that the signal reaches the part that does I/O', () => {
    const inProcess = (name: string) => Object.assign(answering(name, 'APPROVED'), { inProcess: true });
    expect(new CombinedMonitoringProvider([inProcess('rules'), answering('flagright', 'APPROVED')], 'REJECTED').abortable).toBe(true);
    expect(new CombinedMonitoringProvider([inProcess('rules'), inProcess('other')], 'REJECTED').abortable).toBe(false);
  });

  it('is never asked before the claim, even when every part may be: it stores their verdicts against the stored transaction', () => {
    expect(new CombinedMonitoringProvider([answering('http', 'APPROVED'), answering('other', 'APPROVED')], 'REJECTED').idempotent).toBe(false);
  });

  it('asks in parallel, prefixes every reason with its provider, and hands each verdict on', async () => {
    const seen: PartVerdict[] = [];
    // No part answers until the test says so: asked one after the other, only the first would have been asked.
    const asked: string[] = [];
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const heldUntilReleased = (name: string, status: Verdict['status'], reasons: string[]) =>
      new Named(name, async () => {
        asked.push(name);
        await released;
        return { status, reasons };
      });
    const combined = new CombinedMonitoringProvider([heldUntilReleased('rules', 'APPROVED', ['fine']), heldUntilReleased('flagright', 'PENDING_EXTERNAL_APPROVAL', [])], 'REJECTED', (_t: Transaction, parts) =>
      seen.push(...parts),
    );
    const screening = combined.screen(TransactionMother.create(), context, new AbortController().signal);
    await new Promise((resolve) => setImmediate(resolve));
    expect(asked).toEqual(['rules', 'flagright']);
    release();
    const verdict = await screening;
    expect(verdict).toEqual({ status: 'PENDING_EXTERNAL_APPROVAL', reasons: ['rules: fine', 'flagright: PENDING_EXTERNAL_APPROVAL'] });
    expect(seen.map((part) => [part.provider, part.status])).toEqual([
      ['rules', 'APPROVED'],
      ['flagright', 'PENDING_EXTERNAL_APPROVAL'],
    ]);
    expect(combined.name).toBe('rules+flagright');
  });

  it('counts a failed provider as the fallback status, and fails only when all failed', async () => {
    const oneDown = new CombinedMonitoringProvider([answering('rules', 'APPROVED'), failing('marble')], 'REJECTED');
    await expect(oneDown.screen(TransactionMother.create(), context, new AbortController().signal)).resolves.toEqual({
      status: 'REJECTED',
      reasons: ['marble: failed (marble is down); counted as REJECTED'],
    });
    const allDown = new CombinedMonitoringProvider([failing('a'), failing('b')], 'PENDING_EXTERNAL_APPROVAL');
    await expect(allDown.screen(TransactionMother.create(), context, new AbortController().signal)).rejects.toThrow('every provider failed');
  });

  it('asks for the union of activity windows, and routes callbacks only to its own providers', async () => {
    const combined = new CombinedMonitoringProvider([new Named('a', async () => ({ status: 'APPROVED', reasons: [] }), [sourceAccountCount(60), sourceAccountCount(3600)]), new Named('b', async () => ({ status: 'APPROVED', reasons: [] }), [sourceAccountCount(60)])], 'REJECTED');
    expect(combined.aggregates).toEqual(distinctAggregates([sourceAccountCount(60), sourceAccountCount(3600)]));
    expect(combined.aggregates).toBe(combined.aggregates); // computed once, not per validate
    await expect(combined.verifyCallback('c', { headers: {}, rawBody: new Uint8Array() })).rejects.toMatchObject({ code: 'UNKNOWN_PROVIDER' });
  });
});
