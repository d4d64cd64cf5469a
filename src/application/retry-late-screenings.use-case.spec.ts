// Unit spec of RetryLateScreenings: late verdicts applied, noted or dropped, failures backed off.
import { InMemoryReviewStore } from '../../test/fakes/in-memory-review-store';
import { hang, Script, ScriptedMonitoringProvider } from '../../test/fakes/scripted-monitoring-provider';
import { TransactionMother } from '../../test/mothers/transaction.mother';
import { ScreeningContext } from '../domain/screening-context';
import { Transaction } from '../domain/transaction';
import { DecideTransaction } from './decide-transaction.use-case';
import { LateScreening, LateScreeningQueue } from './ports/late-screening-queue.port';
import { ProviderHealth, ProviderStatus } from './ports/provider-health.port';
import { LateScreeningPolicy, RetryLateScreenings } from './retry-late-screenings.use-case';
import { NO_HISTORY } from '../domain/screening-context';
import { AggregateQuery } from '../domain/aggregate';
import { sourceAccountCount, withSourceAccountCounts } from '../../test/mothers/screening-context.mother';

interface QueuedRetry {
  readonly transaction: Transaction;
  readonly context: ScreeningContext;
  readonly queuedAt: Date;
  attempts: number;
  dueAt: Date;
  lastError: string | null;
}

/** Hand-written fake of the queue port: due order, attempts counted at claim, a lease on the due time. */
class InMemoryLateScreeningQueue extends LateScreeningQueue {
  readonly retries = new Map<string, QueuedRetry>();
  readonly claims: { limit: number; leaseMs: number; aggregates: readonly AggregateQuery[] }[] = [];
  readonly finished: string[] = [];
  /** Set to make reschedule fail, as when the database is unreachable. */
  rescheduleFailure: Error | undefined;

  constructor(private readonly now: () => Date) {
    super();
  }

  add(transaction: Transaction, options: { queuedAt?: Date; attempts?: number; context?: ScreeningContext } = {}): void {
    const now = this.now();
    this.retries.set(transaction.id, {
      transaction,
      context: options.context ?? NO_HISTORY,
      queuedAt: options.queuedAt ?? now,
      attempts: options.attempts ?? 0,
      dueAt: now,
      lastError: null,
    });
  }

  async claimDue(limit: number, leaseMs: number, aggregates: readonly AggregateQuery[]): Promise<LateScreening[]> {
    this.claims.push({ limit, leaseMs, aggregates });
    const now = this.now();
    const due = [...this.retries.values()]
      .filter((retry) => retry.dueAt.getTime() <= now.getTime())
      .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())
      .slice(0, limit);
    return due.map((retry) => {
      retry.attempts += 1;
      retry.dueAt = new Date(now.getTime() + leaseMs);
      return { transaction: retry.transaction, context: retry.context, attempt: retry.attempts, queuedAt: retry.queuedAt };
    });
  }

  async reschedule(transactionId: string, retryAt: Date, error: string): Promise<void> {
    if (this.rescheduleFailure) throw this.rescheduleFailure;
    const retry = this.retries.get(transactionId)!;
    retry.dueAt = retryAt;
    retry.lastError = error;
  }

  async finish(transactionId: string): Promise<void> {
    this.retries.delete(transactionId);
    this.finished.push(transactionId);
  }
}

const NOW = new Date('2026-03-02T09:00:00.000Z');
const policy: LateScreeningPolicy = { timeoutMs: 50, schedule: { baseDelayMs: 2_000, maxDelayMs: 300_000, maxAgeMs: 24 * 3_600_000 } };

/** Per transaction, the provider's answers in order. */
function planned(plans: Map<string, Script[]>): ScriptedMonitoringProvider {
  return new ScriptedMonitoringProvider((transaction, signal) => {
    const next = plans.get(transaction.id)?.shift();
    if (!next) throw new Error(`unplanned call for ${transaction.id}`);
    return next(transaction, signal);
  });
}

const fail =
  (message: string): Script =>
  async () => {
    throw new Error(message);
  };

const answer =
  (status: 'APPROVED' | 'REJECTED' | 'PENDING_EXTERNAL_APPROVAL', ...reasons: string[]): Script =>
  async () => ({ status, reasons });

/** Hand-written fake of the health port: the live provider's breaker as a test sets it. */
class SettableProviderHealth extends ProviderHealth {
  status: ProviderStatus = { provider: 'scripted', role: 'LIVE', breaker: 'CLOSED', consecutiveFailures: 0, lastSuccessAt: null, lastFailureAt: null, lastError: null, trialDueAt: null };

  providers(): readonly ProviderStatus[] {
    return [this.status];
  }

  onCall(): void {}
}

function setUp(options: { random?: () => number; policy?: LateScreeningPolicy; health?: ProviderHealth } = {}) {
  const now = () => NOW;
  const plans = new Map<string, Script[]>();
  const provider = planned(plans);
  const queue = new InMemoryLateScreeningQueue(now);
  const store = new InMemoryReviewStore();
  store.now = now;
  let wakes = 0;
  const decisions = new DecideTransaction(store, {}, { now, onNotificationQueued: () => (wakes += 1) });
  const useCase = new RetryLateScreenings(queue, provider, decisions, options.policy ?? policy, { now, random: options.random ?? (() => 0.5), health: options.health });

  /** A transaction held by the fallback at validate, queued for a late screening. */
  const fallenBack = (steps: Script[], queueOptions?: Parameters<InMemoryLateScreeningQueue['add']>[1]): Transaction => {
    const transaction = TransactionMother.create({ amount: '250.00', currency: 'EUR' });
    store.add({
      transactionId: transaction.id,
      amount: '250.00',
      currency: 'EUR',
      source: 'FALLBACK',
      provider: 'scripted',
      reasons: ['Monitoring provider "scripted" did not answer within 1500 ms; held for manual review'],
      receivedAt: new Date(NOW.getTime() - 60_000),
    });
    queue.add(transaction, queueOptions);
    plans.set(transaction.id, steps);
    return transaction;
  };

  return { useCase, queue, store, provider, fallenBack, wakes: () => wakes };
}

describe('RetryLateScreenings', () => {
  it("leaves retries due, untouched, while the provider's breaker refuses calls, and takes them once a trial call is due", async () => {
    const health = new SettableProviderHealth();
    const { useCase, queue, fallenBack } = setUp({ health });
    const transaction = fallenBack([answer('APPROVED', 'Vendor cleared it')]);
    health.status = { ...health.status, breaker: 'OPEN', trialDueAt: new Date(NOW.getTime() + 1) };

    await expect(useCase.runDue(16)).resolves.toEqual([]);
    expect(queue.claims).toEqual([]);
    expect(queue.retries.get(transaction.id)).toMatchObject({ attempts: 0, lastError: null });

    health.status = { ...health.status, trialDueAt: NOW };
    await expect(useCase.runDue(16)).resolves.toEqual(['DECIDED']);
  });

  it("applies a late approval as the provider's final decision, queues one notification and finishes the retry", async () => {
    const { useCase, queue, store, fallenBack, wakes } = setUp();
    const transaction = fallenBack([answer('APPROVED', 'Vendor cleared it')]);

    await expect(useCase.runDue(16)).resolves.toEqual(['DECIDED']);

    expect(store.stateOf(transaction.id)).toBe('APPROVED');
    expect(store.historyOf(transaction.id).map((e) => [e.status, e.final, e.source, e.decidedBy, e.reasons])).toEqual([
      ['PENDING_EXTERNAL_APPROVAL', false, 'FALLBACK', 'scripted', ['Monitoring provider "scripted" did not answer within 1500 ms; held for manual review']],
      ['APPROVED', true, 'PROVIDER', 'scripted', ['Vendor cleared it']],
    ]);
    expect(store.notificationsOf(transaction.id).map((n) => n.body)).toEqual([
      { transactionId: transaction.id, status: 'APPROVED', reason: 'Vendor cleared it', decidedBy: 'scripted', decidedAt: NOW.toISOString() },
    ]);
    expect(wakes()).toBe(1);
    expect(queue.finished).toEqual([transaction.id]);
  });

  it('applies a late rejection without reasons under a reason naming the provider', async () => {
    const { useCase, store, fallenBack } = setUp();
    const transaction = fallenBack([answer('REJECTED')]);

    await expect(useCase.runDue(16)).resolves.toEqual(['DECIDED']);

    expect(store.notificationsOf(transaction.id).map((n) => n.body)).toEqual([
      expect.objectContaining({ status: 'REJECTED', reason: 'Decided by monitoring provider "scripted"', decidedBy: 'scripted' }),
    ]);
  });

  it('notes a late PENDING verdict as a non-final provider entry, decides nothing and stops retrying', async () => {
    const { useCase, queue, store, fallenBack, wakes } = setUp();
    const transaction = fallenBack([answer('PENDING_EXTERNAL_APPROVAL', 'Needs a human look')]);

    await expect(useCase.runDue(16)).resolves.toEqual(['STILL_PENDING']);

    expect(store.stateOf(transaction.id)).toBe('PENDING_EXTERNAL_APPROVAL');
    expect(store.historyOf(transaction.id)[1]).toMatchObject({ status: 'PENDING_EXTERNAL_APPROVAL', final: false, source: 'PROVIDER', decidedBy: 'scripted', reasons: ['Needs a human look'] });
    expect(store.notifications).toEqual([]);
    expect(wakes()).toBe(0);
    expect(queue.retries.size).toBe(0);
  });

  it.each([
    ['an approval', answer('APPROVED', 'late')],
    ['a rejection', answer('REJECTED', 'late')],
    ['a pending verdict', answer('PENDING_EXTERNAL_APPROVAL', 'late')],
  ])('makes %s a no-op when an analyst decided first', async (_case, late) => {
    const { useCase, queue, store, fallenBack } = setUp();
    const transaction = fallenBack([late]);
    const analyst = new DecideTransaction(store, {}, { now: () => NOW });
    await analyst.byAnalyst(transaction.id, { name: 'alice', role: 'analyst' }, 'REJECTED', 'Decided while the vendor was down');

    await expect(useCase.runDue(16)).resolves.toEqual(['ALREADY_DECIDED']);

    expect(store.historyOf(transaction.id).map((e) => [e.status, e.source, e.decidedBy])).toEqual([
      ['PENDING_EXTERNAL_APPROVAL', 'FALLBACK', 'scripted'],
      ['REJECTED', 'ANALYST', 'alice'],
    ]);
    expect(store.notificationsOf(transaction.id).map((n) => n.body.decidedBy)).toEqual(['alice']);
    expect(queue.finished).toEqual([transaction.id]);
  });

  it('reschedules a failure with backoff that doubles per attempt, recording the error and nothing else', async () => {
    const { useCase, queue, store, fallenBack } = setUp({ random: () => 0 });
    const first = fallenBack([fail('vendor answered 503')]);
    const third = fallenBack([fail('vendor answered 503')], { attempts: 2 });

    await expect(useCase.runDue(16)).resolves.toEqual(['RETRY', 'RETRY']);

    // "Equal jitter" with random() = 0: half the nominal delay, 2 s then 8 s.
    expect(queue.retries.get(first.id)).toMatchObject({ attempts: 1, lastError: 'vendor answered 503', dueAt: new Date(NOW.getTime() + 1_000) });
    expect(queue.retries.get(third.id)).toMatchObject({ attempts: 3, dueAt: new Date(NOW.getTime() + 4_000) });
    expect(store.historyOf(first.id)).toHaveLength(1);
    expect(store.notifications).toEqual([]);
  });

  it('gives the provider its time budget, then aborts the call and retries later', async () => {
    const { useCase, queue, provider, fallenBack } = setUp();
    const transaction = fallenBack([hang]);

    await expect(useCase.runDue(16)).resolves.toEqual(['RETRY']);

    expect(queue.retries.get(transaction.id)).toMatchObject({ lastError: 'did not answer within 50 ms' });
    expect(provider.abortedCalls.map((call) => call.id)).toEqual([transaction.id]);
  });

  it('retries after an unusable verdict', async () => {
    const { useCase, queue, store, fallenBack } = setUp();
    const transaction = fallenBack([(async () => ({ status: 'MAYBE', reasons: [] })) as unknown as Script]);

    await expect(useCase.runDue(16)).resolves.toEqual(['RETRY']);

    expect(queue.retries.get(transaction.id)?.lastError).toMatch(/^unusable verdict .*MAYBE/);
    expect(store.historyOf(transaction.id)).toHaveLength(1);
  });

  it('gives up past the maximum age, leaving the transaction pending for the analysts', async () => {
    const { useCase, queue, store, fallenBack } = setUp();
    const transaction = fallenBack([fail('still down')], { queuedAt: new Date(NOW.getTime() - policy.schedule.maxAgeMs + 500), attempts: 9 });

    await expect(useCase.runDue(16)).resolves.toEqual(['GAVE_UP']);

    expect(queue.finished).toEqual([transaction.id]);
    expect(store.stateOf(transaction.id)).toBe('PENDING_EXTERNAL_APPROVAL');
  });

  it('claims at most the limit, for longer than the budget, with the aggregates the provider wants', async () => {
    const { useCase, queue, provider, fallenBack } = setUp();
    const context: ScreeningContext = withSourceAccountCounts({ 60: 3 });
    const transactions = [0, 1, 2].map(() => fallenBack([answer('APPROVED')], { context }));

    await expect(useCase.runDue(2)).resolves.toEqual(['DECIDED', 'DECIDED']);

    expect(queue.claims).toEqual([{ limit: 2, leaseMs: policy.timeoutMs + 5_000, aggregates: [sourceAccountCount(60)] }]);
    expect(provider.calls.map((call) => call.id)).toEqual([transactions[0]!.id, transactions[1]!.id]);
    expect(provider.contexts).toEqual([context, context]);
    expect(queue.retries.has(transactions[2]!.id)).toBe(true);
  });

  it('hands a retry back, due at once, when stopped mid-call, without waiting out the budget', async () => {
    const { useCase, queue, provider, fallenBack } = setUp({ policy: { ...policy, timeoutMs: 60_000 } });
    const transaction = fallenBack([hang]);
    const stop = new AbortController();

    const running = useCase.runDue(16, stop.signal);
    await new Promise((resolve) => setImmediate(resolve));
    stop.abort();

    await expect(running).resolves.toEqual(['INTERRUPTED']);
    expect(queue.retries.get(transaction.id)).toMatchObject({ dueAt: NOW, lastError: expect.stringContaining('shutting down') });
    expect(provider.abortedCalls.map((call) => call.id)).toEqual([transaction.id]);
  });

  it('claims nothing once stopped', async () => {
    const { useCase, queue, fallenBack } = setUp();
    fallenBack([answer('APPROVED')]);
    const stop = new AbortController();
    stop.abort();

    await expect(useCase.runDue(16, stop.signal)).resolves.toEqual([]);
    expect(queue.claims).toEqual([]);
  });

  it('finishes every retry of a batch before reporting one that could not be recorded', async () => {
    const { useCase, queue, store, fallenBack } = setUp();
    queue.rescheduleFailure = new Error('connection terminated');
    const failing = fallenBack([fail('vendor down')]);
    const slow = fallenBack([async () => new Promise((resolve) => setTimeout(() => resolve({ status: 'APPROVED', reasons: [] }), 20))]);

    await expect(useCase.runDue(16)).rejects.toThrow('connection terminated');

    expect(store.stateOf(slow.id)).toBe('APPROVED');
    expect(queue.finished).toEqual([slow.id]);
    expect(queue.retries.get(failing.id)).toMatchObject({ lastError: null });
  });
});
