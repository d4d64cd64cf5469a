import { Logger } from '@nestjs/common';
import { ScriptedMonitoringProvider, hang } from '../../../../test/fakes/scripted-monitoring-provider';
import { TransactionMother } from '../../../../test/mothers/transaction.mother';
import { onTestClock } from '../../../../test/support/test-clock';
import { ProviderRequestError } from '../http-client/json-http-client';
import { ResilientMonitoringProvider } from './resilient-monitoring.provider';
import { CallAbort } from '../../../application/ports/call-signal';
import { NEVER_ABORTED } from '../../../application/ports/monitoring-provider.port';
import { NO_HISTORY } from '../../../domain/screening-context';
import { screenWithinBudget } from '../../../application/screen-within-budget';

const context = NO_HISTORY;
const signal = () => new AbortController().signal;

describe('ResilientMonitoringProvider', () => {
  const calls: string[] = [];
  const wrap = (inner: ScriptedMonitoringProvider, options: Partial<{ timeoutMs: number; breakerThreshold: number; halfOpenAfterMs: number }> = {}) =>
    new ResilientMonitoringProvider(inner, { role: 'LIVE', timeoutMs: 1_000, breakerThreshold: 2, halfOpenAfterMs: 50, ...options }, (_provider, _role, outcome) => calls.push(outcome));

  beforeEach(() => calls.splice(0));

  it('times out inside its own deadline and aborts the provider', async () => {
    const inner = new ScriptedMonitoringProvider(hang);
    const provider = wrap(inner, { timeoutMs: 30 });
    await expect(provider.screen(TransactionMother.create(), context, signal())).rejects.toThrow('did not answer within 30 ms');
    expect(inner.abortedCalls).toHaveLength(1);
    expect(calls).toEqual(['TIMEOUT']);
  });

  it("is recorded by validate as a timeout, not as the provider's failure, when its own deadline comes first", async () => {
    const provider = wrap(new ScriptedMonitoringProvider(hang), { timeoutMs: 30 });
    const screening = await screenWithinBudget(provider, TransactionMother.create(), context, { timeoutMs: 80, fallbackStatus: 'REJECTED' });
    expect(screening).toMatchObject({
      outcome: 'TIMEOUT',
      status: 'REJECTED',
      reasons: [`Monitoring provider "${provider.name}" did not answer within 80 ms; rejected by the fallback policy, and held for review`],
      error: expect.stringContaining('did not answer within 30 ms'),
    });
  });

  // On the test's clock: a machine pausing past halfOpenAfterMs would turn a short circuit into a trial.
  it('opens after consecutive failures, short-circuits while open, then lets one trial through and closes', () =>
    onTestClock(async () => {
      const inner = ScriptedMonitoringProvider.failing('HTTP 503');
      const provider = wrap(inner);
      await expect(provider.screen(TransactionMother.create(), context, signal())).rejects.toThrow('HTTP 503');
      await expect(provider.screen(TransactionMother.create(), context, signal())).rejects.toThrow('HTTP 503');
      expect(provider.status()).toMatchObject({ breaker: 'OPEN', consecutiveFailures: 2, lastError: 'HTTP 503' });
      const { trialDueAt } = provider.status();
      expect(trialDueAt!.getTime() - Date.now()).toBe(50);
      await expect(provider.screen(TransactionMother.create(), context, signal())).rejects.toThrow('circuit breaker open');
      expect(inner.calls).toHaveLength(2);

      inner.setScript(async () => ({ status: 'APPROVED', reasons: [] }));
      jest.advanceTimersByTime(60);
      await expect(provider.screen(TransactionMother.create(), context, signal())).resolves.toEqual({ status: 'APPROVED', reasons: [] });
      expect(provider.status()).toMatchObject({ breaker: 'CLOSED', consecutiveFailures: 0, trialDueAt: null });
      expect(calls).toEqual(['ERROR', 'ERROR', 'SHORT_CIRCUITED', 'OK']);
    }));

  it("logs the failure that opened the breaker, once, and its closing: readiness leaves the error's text out", () =>
    onTestClock(async () => {
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
      try {
        const inner = ScriptedMonitoringProvider.failing('HTTP 503 (vendor down)');
        const provider = wrap(inner);
        for (let i = 0; i < 3; i += 1) await provider.screen(TransactionMother.create(), context, signal()).catch(() => undefined);
        expect(warn.mock.calls).toEqual([[`${provider.name} (LIVE): circuit breaker open after 2 consecutive failures; the last: HTTP 503 (vendor down)`]]);
        inner.setScript(async () => ({ status: 'APPROVED', reasons: [] }));
        jest.advanceTimersByTime(60);
        await provider.screen(TransactionMother.create(), context, signal());
        expect(log.mock.calls).toEqual([[`${provider.name} (LIVE): answered again; circuit breaker closed`]]);
      } finally {
        warn.mockRestore();
        log.mockRestore();
      }
    }));

  it('opens again after a failed trial, and refuses without asking until the next trial is due', () =>
    onTestClock(async () => {
      const inner = ScriptedMonitoringProvider.failing('HTTP 503');
      const provider = wrap(inner, { breakerThreshold: 1, halfOpenAfterMs: 40 });
      await expect(provider.screen(TransactionMother.create(), context, signal())).rejects.toThrow('HTTP 503');
      jest.advanceTimersByTime(50);
      await expect(provider.screen(TransactionMother.create(), context, signal())).rejects.toThrow('HTTP 503'); // the trial
      for (let i = 0; i < 5; i++) await expect(provider.screen(TransactionMother.create(), context, signal())).rejects.toThrow('circuit breaker open');

      expect(inner.calls).toHaveLength(2);
      expect(provider.status().breaker).toBe('OPEN');
      expect(calls).toEqual(['ERROR', 'ERROR', ...Array(5).fill('SHORT_CIRCUITED')]);
    }));

  it('does not count a request it refused to send, or a call its caller abandoned, against the provider', async () => {
    const refusing = wrap(
      new ScriptedMonitoringProvider(async () => {
        throw new ProviderRequestError('amount not exact');
      }),
      { breakerThreshold: 1 },
    );
    await expect(refusing.screen(TransactionMother.create(), context, signal())).rejects.toThrow('amount not exact');
    expect(refusing.status().breaker).toBe('CLOSED');

    const abandoned = wrap(new ScriptedMonitoringProvider(hang), { breakerThreshold: 1 });
    const caller = new AbortController();
    const pending = abandoned.screen(TransactionMother.create(), context, caller.signal);
    caller.abort();
    await expect(pending).rejects.toThrow('abandoned');
    expect(abandoned.status()).toMatchObject({ breaker: 'CLOSED', consecutiveFailures: 0 });
  });

  it('hands an inner provider that is not abortable the shared signal, makes none of its own, and still times out', async () => {
    const inner = new ScriptedMonitoringProvider(() => new Promise(() => undefined));
    inner.inProcess = true;
    const provider = wrap(inner, { timeoutMs: 20 });
    expect(provider.abortable).toBe(false);
    await expect(provider.screen(TransactionMother.create(), context, NEVER_ABORTED)).rejects.toThrow('did not answer within 20 ms');
    expect(inner.signals).toEqual([NEVER_ABORTED]);
    expect(NEVER_ABORTED.aborted).toBe(false);
    expect(calls).toEqual(['TIMEOUT']);
  });

  it('may be asked before the claim exactly when its inner provider may be', () => {
    const inner = new ScriptedMonitoringProvider();
    expect(wrap(inner).idempotent).toBe(false);
    inner.sameQuestion = true;
    expect(wrap(inner).idempotent).toBe(true);
  });

  it('gives an abortable inner provider a signal of its own, aborted when its caller gives up', async () => {
    const inner = new ScriptedMonitoringProvider(hang);
    const provider = wrap(inner);
    expect(provider.abortable).toBe(true);
    const caller = new AbortController();
    const call = provider.screen(TransactionMother.create(), context, caller.signal);
    caller.abort();
    await expect(call).rejects.toThrow();
    expect(inner.signals[0]).not.toBe(caller.signal);
    // Not an AbortSignal, which Node would keep until a full collection (CallAbort).
    expect(inner.signals[0]).toBeInstanceOf(CallAbort);
    expect(inner.signals[0]!.aborted).toBe(true);
  });
});
