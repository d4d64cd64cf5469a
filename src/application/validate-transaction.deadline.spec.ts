import { InMemoryTransactionStore } from '../../test/fakes/in-memory-transaction-store';
import { ScriptedMonitoringProvider } from '../../test/fakes/scripted-monitoring-provider';
import { TransactionMother } from '../../test/mothers/transaction.mother';
import { onTestClock } from '../../test/support/test-clock';
import { DeadlineExceededError } from '../domain/domain-error';
import { Transaction } from '../domain/transaction';
import { SCREENING } from '../domain/transaction-status';
import { Screening } from '../domain/verdict';
import { ClaimResult } from './ports/transaction-store.port';
import { answerMarginMs, ValidateTransaction } from './validate-transaction.use-case';
import { AggregateQuery } from '../domain/aggregate';

/** A store whose claims or records wait until the test releases them, as behind a held lock. */
class StallingTransactionStore extends InMemoryTransactionStore {
  stallClaims = false;
  stallRecords = false;
  private readonly held: (() => void)[] = [];

  override async claim(transaction: Transaction, windows: readonly AggregateQuery[]): Promise<ClaimResult> {
    if (this.stallClaims) await this.hold();
    return super.claim(transaction, windows);
  }

  override async recordScreening(transaction: Transaction, screening: Screening): Promise<boolean> {
    if (this.stallRecords) await this.hold();
    return super.recordScreening(transaction, screening);
  }

  release(): void {
    this.stallClaims = false;
    this.stallRecords = false;
    this.held.splice(0).forEach((resume) => resume());
  }

  private hold(): Promise<void> {
    return new Promise((resume) => this.held.push(resume));
  }
}

// Wide margins: timers run late on a busy machine, and these specs are about what is answered, not how fast.
const policy = { decisionTimeoutMs: 300, fallbackStatus: 'PENDING_EXTERNAL_APPROVAL' as const, replayPollMs: 5, deadlineMs: 600 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function setUp(provider = ScriptedMonitoringProvider.answering({ status: 'APPROVED', reasons: [] })) {
  const store = new StallingTransactionStore();
  return { store, provider, useCase: new ValidateTransaction(store, provider, policy) };
}

describe('ValidateTransaction under a deadline', () => {
  it('answers DeadlineExceededError by the deadline while the claim is stuck, and records nothing half-way', async () => {
    const { store, useCase } = setUp();
    store.stallClaims = true;
    const started = Date.now();

    await expect(useCase.execute(TransactionMother.create({ id: 'tx-1' }))).rejects.toThrow(DeadlineExceededError);
    // The exact moment is the fake-clock spec's below; here, only that a stuck claim does not hold the answer.
    expect(Date.now() - started).toBeLessThan(policy.deadlineMs + 1_000);
    expect(store.rows.has('tx-1')).toBe(false);
    store.release();
  });

  it('aims its answer a margin before the deadline, so that a late timer still answers by it', () =>
    onTestClock(async () => {
      const { store, useCase } = setUp();
      store.stallClaims = true;
      let outcome: unknown;
      useCase.execute(TransactionMother.create({ id: 'tx-1' })).catch((error: unknown) => (outcome = error));
      const margin = answerMarginMs(policy.deadlineMs);
      expect(margin).toBe(30);

      await jest.advanceTimersByTimeAsync(policy.deadlineMs - margin - 1);
      expect(outcome).toBeUndefined();
      await jest.advanceTimersByTimeAsync(1);
      expect(outcome).toBeInstanceOf(DeadlineExceededError);
      store.release();
    }));

  it('keeps the margin to a twentieth of the deadline, at most 100 ms', () => {
    // VALIDATE_DEADLINE_MS may be 100 to 120,000.
    expect([100, 600, 1_000, 2_000, 10_000, 120_000].map(answerMarginMs)).toEqual([5, 30, 50, 100, 100, 100]);
  });

  it('still gives the provider its whole budget when the deadline is only just above it and the database is quick', () =>
    onTestClock(async () => {
      // 320 ms deadline, 16 ms margin: the record's reserve comes out of the 4 ms left, not out of the provider's 300.
      const provider = ScriptedMonitoringProvider.answering({ status: 'APPROVED', reasons: [] }, 297);
      const useCase = new ValidateTransaction(new InMemoryTransactionStore(), provider, { ...policy, decisionTimeoutMs: 300, deadlineMs: 320 });
      const outcome = useCase.execute(TransactionMother.create({ id: 'tx-1' }));
      await jest.advanceTimersByTimeAsync(400);
      await expect(outcome).resolves.toMatchObject({ status: 'APPROVED', decidedBy: 'PROVIDER' });
    }));

  it('lets the stuck work finish in the background, and a retry gets that one answer', async () => {
    const { store, provider, useCase } = setUp();
    store.stallRecords = true;
    await expect(useCase.execute(TransactionMother.create({ id: 'tx-1' }))).rejects.toThrow(DeadlineExceededError);
    expect(store.rows.get('tx-1')!.stored.state).toBe(SCREENING);

    store.release();
    while (store.rows.get('tx-1')!.stored.state === SCREENING) await sleep(5);
    await expect(useCase.execute(TransactionMother.create({ id: 'tx-1' }))).resolves.toMatchObject({ status: 'APPROVED', replayed: true });
    expect(provider.calls).toHaveLength(1);
    expect(store.screeningsOf('tx-1')).toHaveLength(1);
  });

  it('gives the provider only what is left of the deadline after a slow claim, and still answers in time', async () => {
    const store = new InMemoryTransactionStore();
    const slowClaims = Object.assign(store, {
      claim: async (transaction: Transaction, windows: readonly AggregateQuery[]) => {
        // Half the deadline: without a shrunk budget, the provider's 300 ms would end at the deadline itself.
        await sleep(300);
        return InMemoryTransactionStore.prototype.claim.call(store, transaction, windows);
      },
    });
    const useCase = new ValidateTransaction(slowClaims, ScriptedMonitoringProvider.hanging(), policy);

    await expect(useCase.execute(TransactionMother.create({ id: 'tx-1' }))).resolves.toMatchObject({ status: 'PENDING_EXTERNAL_APPROVAL', decidedBy: 'FALLBACK' });
    // Resolving (not DeadlineExceededError) is the point: the fallback was recorded before the deadline.
  });

  it('counts the deadline from when the request arrived, not from when the use case was called', async () => {
    const provider = ScriptedMonitoringProvider.answering({ status: 'APPROVED', reasons: [] }, 100);
    const { store, useCase } = setUp(provider);
    // Arrived most of a deadline ago (its body was slow to read): less is left than the provider
    // takes (70 ms of its 100, after the record's reserve), with room for a slow machine before the deadline.
    const receivedAt = Date.now() - (policy.deadlineMs - 250);

    // The provider gets only what is left of the deadline, so the fallback is recorded in time.
    await expect(useCase.execute(TransactionMother.create({ id: 'tx-late' }), receivedAt)).resolves.toMatchObject({ status: 'PENDING_EXTERNAL_APPROVAL', decidedBy: 'FALLBACK' });
    await expect(useCase.execute(TransactionMother.create({ id: 'tx-fresh' }))).resolves.toMatchObject({ status: 'APPROVED', decidedBy: 'PROVIDER' });

    // Arrived a whole deadline ago: nothing is left, and the answer is DeadlineExceededError.
    store.stallClaims = true;
    await expect(useCase.execute(TransactionMother.create({ id: 'tx-expired' }), Date.now() - policy.deadlineMs)).rejects.toThrow(DeadlineExceededError);
    store.release();
  });

  it('bounds a repeat that joins a stuck screening in the same process', async () => {
    const { store, useCase } = setUp();
    store.stallRecords = true;
    const first = useCase.execute(TransactionMother.create({ id: 'tx-1' }));
    await sleep(20);
    const repeat = useCase.execute(TransactionMother.create({ id: 'tx-1' }));

    await expect(first).rejects.toThrow(DeadlineExceededError);
    await expect(repeat).rejects.toThrow(DeadlineExceededError);
    store.release();
  });
});
