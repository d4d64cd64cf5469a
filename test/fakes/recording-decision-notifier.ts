// Hand-written fake of the DecisionNotifier port: records each delivery and answers as a spec scripts it.
import { DecisionNotifier, Delivery, DeliveryOutcome, DeliveryResult } from '../../src/application/ports/notification-outbox.port';

export type NotifierScript = (delivery: Delivery, signal: AbortSignal) => Promise<DeliveryResult>;

export class RecordingDecisionNotifier extends DecisionNotifier {
  readonly deliveries: Delivery[] = [];
  readonly signals: AbortSignal[] = [];

  constructor(private script: NotifierScript = answer('DELIVERED')) {
    super();
  }

  static answering(outcome: DeliveryOutcome): RecordingDecisionNotifier {
    return new RecordingDecisionNotifier(answer(outcome));
  }

  /** Like the HTTP notifier facing a Toqio that never answers: gives up when the signal aborts. */
  static hangingUntilAborted(): RecordingDecisionNotifier {
    return new RecordingDecisionNotifier(
      (_delivery, signal) =>
        new Promise((resolve) => {
          signal.addEventListener('abort', () => resolve(result('TIMEOUT', { error: 'no answer within the request timeout' })), { once: true });
        }),
    );
  }

  setScript(script: NotifierScript): void {
    this.script = script;
  }

  deliver(delivery: Delivery, signal: AbortSignal): Promise<DeliveryResult> {
    this.deliveries.push(delivery);
    this.signals.push(signal);
    return this.script(delivery, signal);
  }
}

export function answer(outcome: DeliveryOutcome): NotifierScript {
  return async () => result(outcome);
}

function result(outcome: DeliveryOutcome, overrides: Partial<DeliveryResult> = {}): DeliveryResult {
  const httpStatus = outcome === 'DELIVERED' ? 204 : outcome === 'REFUSED' ? 500 : undefined;
  return { outcome, httpStatus, startedAt: new Date(0), durationMs: 1, ...(outcome === 'DELIVERED' ? {} : { error: outcome }), ...overrides };
}
