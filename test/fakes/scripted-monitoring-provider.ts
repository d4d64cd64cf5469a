// Hand-written fake monitoring provider: answers, fails, or hangs as a test scripts it.
import { AggregateQuery } from '../../src/domain/aggregate';
import { CallSignal, MonitoringProvider } from '../../src/application/ports/monitoring-provider.port';
import { ScreeningContext } from '../../src/domain/screening-context';
import { Transaction } from '../../src/domain/transaction';
import { Verdict } from '../../src/domain/verdict';

export type Script = (transaction: Transaction, signal: CallSignal) => Promise<Verdict>;

/** Never answers; the pending promise is released when the caller aborts. */
export const hang: Script = (_transaction, signal) =>
  new Promise((_resolve, reject) => {
    signal.addEventListener('abort', () => reject(new Error('aborted')));
  });

export class ScriptedMonitoringProvider extends MonitoringProvider {
  readonly name = 'scripted';
  readonly calls: Transaction[] = [];
  readonly contexts: ScreeningContext[] = [];
  /** What it asks for: the source account's count over a minute, as the velocity rule would, unless a test changes it. */
  askedFor: readonly AggregateQuery[] = [LAST_MINUTE];
  /** As MonitoringProvider.idempotent; a test sets it true to stand for the generic http engine. */
  sameQuestion = false;

  override get aggregates(): readonly AggregateQuery[] {
    return this.askedFor;
  }

  override get idempotent(): boolean {
    return this.sameQuestion;
  }
  readonly abortedCalls: Transaction[] = [];
  /** The signal each call was given. */
  readonly signals: CallSignal[] = [];
  /** As MonitoringProvider.abortable; a test sets it false to stand for an in-process engine. */
  inProcess = false;

  override get abortable(): boolean {
    return !this.inProcess;
  }

  constructor(private script: Script = async () => ({ status: 'APPROVED', reasons: [] })) {
    super();
  }

  static answering(verdict: Verdict, delayMs = 0): ScriptedMonitoringProvider {
    return new ScriptedMonitoringProvider(() => new Promise((resolve) => setTimeout(() => resolve(verdict), delayMs)));
  }

  static failing(message = 'provider exploded'): ScriptedMonitoringProvider {
    return new ScriptedMonitoringProvider(async () => {
      throw new Error(message);
    });
  }

  static hanging(): ScriptedMonitoringProvider {
    return new ScriptedMonitoringProvider(hang);
  }

  setScript(script: Script): void {
    this.script = script;
  }

  screen(transaction: Transaction, context: ScreeningContext, signal: CallSignal): Promise<Verdict> {
    this.calls.push(transaction);
    this.contexts.push(context);
    this.signals.push(signal);
    signal.addEventListener('abort', () => this.abortedCalls.push(transaction), { once: true });
    return this.script(transaction, signal);
  }
}

/** The one aggregate ScriptedMonitoringProvider asks for. */
export const LAST_MINUTE: AggregateQuery = { fn: 'count', groupBy: 'sourceAccountId', windowSeconds: 60 };
