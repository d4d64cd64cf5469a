// Asks a monitoring provider with a time limit and an optional stop signal, abandoning the call on either.
import { ScreeningContext } from '../domain/screening-context';
import { Transaction } from '../domain/transaction';
import { CallAbort, CallSignal } from './ports/call-signal';
import { MonitoringProvider, NEVER_ABORTED } from './ports/monitoring-provider.port';

/** The caller stopped waiting: the provider was too slow, or the service is shutting down. */
export class ProviderCallAbandoned extends Error {
  constructor(
    readonly reason: 'TIMEOUT' | 'STOPPED',
    message: string,
  ) {
    super(message);
    this.name = 'ProviderCallAbandoned';
  }
}

/**
 * What the provider answered (unchecked: providers are outside code). Rejects with the
 * provider's own error, or with ProviderCallAbandoned after `timeoutMs` or once `stop` aborts;
 * the call's signal is then aborted so that the provider's I/O stops early (a provider that is not
 * `abortable` gets NEVER_ABORTED instead: only the waiting stops).
 */
export async function askProvider(
  provider: MonitoringProvider,
  transaction: Transaction,
  context: ScreeningContext,
  options: { readonly timeoutMs: number; readonly stop?: CallSignal },
): Promise<unknown> {
  const { timeoutMs, stop } = options;
  const abort = provider.abortable ? new CallAbort() : undefined;
  let timer: NodeJS.Timeout | undefined;
  let onStop: (() => void) | undefined;
  const abandoned = new Promise<never>((_, reject) => {
    const giveUp = (reason: ProviderCallAbandoned['reason'], why: string) => {
      // Settle first: a provider that honours the signal rejects at once, and must not win the race with its own "aborted".
      reject(new ProviderCallAbandoned(reason, why));
      abort?.abort();
    };
    timer = setTimeout(() => giveUp('TIMEOUT', `did not answer within ${timeoutMs} ms`), timeoutMs);
    onStop = () => giveUp('STOPPED', 'interrupted by shutdown');
    if (stop?.aborted) onStop();
    else stop?.addEventListener('abort', onStop, { once: true });
  });
  try {
    return await Promise.race([provider.screen(transaction, context, abort?.signal ?? NEVER_ABORTED), abandoned]);
  } catch (error) {
    abort?.abort();
    throw error;
  } finally {
    clearTimeout(timer);
    if (onStop) stop?.removeEventListener('abort', onStop);
  }
}
