import { hang, ScriptedMonitoringProvider } from '../../test/fakes/scripted-monitoring-provider';
import { TransactionMother } from '../../test/mothers/transaction.mother';
import { NO_HISTORY } from '../domain/screening-context';
import { askProvider, ProviderCallAbandoned } from './ask-provider';
import { CallAbort } from './ports/call-signal';
import { NEVER_ABORTED } from './ports/monitoring-provider.port';

describe('askProvider', () => {
  it('gives an abortable provider a signal of its own and aborts it when the time is up', async () => {
    const provider = new ScriptedMonitoringProvider(hang);
    await expect(askProvider(provider, TransactionMother.create(), NO_HISTORY, { timeoutMs: 20 })).rejects.toMatchObject({ reason: 'TIMEOUT' });
    expect(provider.signals[0]).not.toBe(NEVER_ABORTED);
    // Not an AbortSignal, which Node would keep until a full collection (CallAbort).
    expect(provider.signals[0]).toBeInstanceOf(CallAbort);
    expect(provider.signals[0]!.aborted).toBe(true);
    expect(provider.abortedCalls).toHaveLength(1);
  });

  it('makes no signal for a provider that is not abortable, and still stops waiting when the time is up', async () => {
    const provider = new ScriptedMonitoringProvider(() => new Promise(() => undefined));
    provider.inProcess = true;
    const call = askProvider(provider, TransactionMother.create(), NO_HISTORY, { timeoutMs: 20 });
    await expect(call).rejects.toBeInstanceOf(ProviderCallAbandoned);
    await expect(call).rejects.toMatchObject({ reason: 'TIMEOUT' });
    expect(provider.signals).toEqual([NEVER_ABORTED]);
    expect(NEVER_ABORTED.aborted).toBe(false);
  });

  it('leaves the shared signal untouched when a provider that is not abortable fails', async () => {
    const provider = ScriptedMonitoringProvider.failing('engine bug');
    provider.inProcess = true;
    await expect(askProvider(provider, TransactionMother.create(), NO_HISTORY, { timeoutMs: 1_000 })).rejects.toThrow('engine bug');
    expect(provider.signals).toEqual([NEVER_ABORTED]);
    expect(NEVER_ABORTED.aborted).toBe(false);
  });

  it('answers what the provider answered, abortable or not', async () => {
    for (const inProcess of [false, true]) {
      const provider = ScriptedMonitoringProvider.answering({ status: 'APPROVED', reasons: ['ok'] });
      provider.inProcess = inProcess;
      await expect(askProvider(provider, TransactionMother.create(), NO_HISTORY, { timeoutMs: 1_000 })).resolves.toEqual({ status: 'APPROVED', reasons: ['ok'] });
    }
  });
});
