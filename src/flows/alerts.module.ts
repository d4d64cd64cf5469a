// Alerts flow: the outbox of events for operators, the watcher that raises case alerts, and the worker that sends them to EVENTS_WEBHOOK_URL.
import { DynamicModule, Module, Provider } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { DeliverFromOutbox } from '../application/deliver-from-outbox';
import { ListOperatorEvents } from '../application/list-operator-events.use-case';
import { EventDelivery, OperatorEventOutbox, OperatorEventQueue } from '../application/ports/operator-event-outbox.port';
import { RedeliverOperatorEvent } from '../application/redeliver-operator-event.use-case';
import { OutboxDeliveryWorker } from '../adapters/background/outbox-delivery.worker';
import { MetricsRecorder } from '../adapters/metrics/metrics-recorder';
import { StandardWebhooksEventSender } from '../adapters/operator-events/standard-webhooks-event.sender';
import { PersistenceModule } from '../adapters/persistence/persistence.module';
import { PostgresOperatorEventOutbox } from '../adapters/persistence/postgres-operator-event.outbox';
import { analystsConfig } from '../config/analysts.config';
import { eventsConfig } from '../config/events.config';
import { CaseAlertSource } from '../application/ports/case-alert-source.port';
import { PushCaseAlerts } from '../application/push-case-alerts.use-case';
import { CaseAlertsWorker } from '../adapters/background/case-alerts.worker';
import { OperatorEvent } from '../domain/operator-event';

type EventsConfig = ConfigType<typeof eventsConfig>;

/** The worker of the operator events outbox: its own class, so that it is its own injection token. */
export class OperatorEventDeliveryWorker extends OutboxDeliveryWorker<EventDelivery> {}

/**
 * What other flows call once they have queued an event in their own database transaction rather
 * than through OperatorEventOutbox (a decision's case.decided), so that it goes out now rather than
 * at the next poll. Without EVENTS_WEBHOOK_URL there is no worker and it does nothing.
 */
export class OperatorEventWakeUp {
  constructor(private readonly worker?: OperatorEventDeliveryWorker) {}

  wake(): void {
    this.worker?.wake();
  }
}

/** With the feature off (no EVENTS_WEBHOOK_URL), raising an event stores nothing. */
class EventsOff extends OperatorEventOutbox {
  async enqueue(): Promise<number> {
    return 0;
  }
}

/** Stores events, then wakes this replica's worker so that they go out now rather than at the next poll. */
class EventsOn extends OperatorEventOutbox {
  constructor(
    private readonly outbox: PostgresOperatorEventOutbox,
    private readonly worker: OperatorEventDeliveryWorker,
  ) {
    super();
  }

  async enqueue(events: readonly OperatorEvent[]): Promise<number> {
    const added = await this.outbox.enqueue(events);
    if (added > 0) this.worker.wake();
    return added;
  }
}

function deliveryWorker(events: EventsConfig, webhook: NonNullable<EventsConfig['webhook']>): Provider {
  const { delivery } = events;
  return {
    provide: OperatorEventDeliveryWorker,
    inject: [OperatorEventQueue, MetricsRecorder],
    useFactory: (queue: OperatorEventQueue, metrics: MetricsRecorder) => {
      const sender = new StandardWebhooksEventSender({ url: webhook.url, secret: webhook.secret });
      const deliver = new DeliverFromOutbox(queue, sender, {
        requestTimeoutMs: delivery.requestTimeoutMs,
        schedule: { baseDelayMs: delivery.retryBaseMs, maxDelayMs: delivery.retryMaxDelayMs, maxAgeMs: delivery.maxAgeMs, maxAttempts: delivery.maxAttempts },
      });
      metrics.watchOperatorEventBacklog(() => queue.stats());
      return new OperatorEventDeliveryWorker(
        'OperatorEventDelivery',
        deliver,
        { concurrency: delivery.concurrency, pollMs: delivery.pollMs, onAttempt: ({ result, dead }) => metrics.operatorEventAttempt(result.outcome, dead) },
        (event) => `event ${event.eventId} (${event.type})`,
      );
    },
  };
}

/** A case opened longer ago than this and never reported (the webhook was off) is not news any more. */
const OPENED_LOOKBACK_MS = 24 * 3_600_000;
const CASE_ALERTS_PER_PASS = 200;

/** The watcher of cases and notifications to report; runs on every replica, each fact reported once. */
function caseAlertsWorker(events: EventsConfig): Provider {
  return {
    provide: CaseAlertsWorker,
    inject: [CaseAlertSource, analystsConfig.KEY, OperatorEventDeliveryWorker],
    useFactory: (source: CaseAlertSource, analysts: ConfigType<typeof analystsConfig>, worker: OperatorEventDeliveryWorker) =>
      new CaseAlertsWorker(
        new PushCaseAlerts(source, { slaMinutes: analysts.pendingSlaMinutes, openedLookbackMs: OPENED_LOOKBACK_MS, limit: CASE_ALERTS_PER_PASS }),
        events.delivery.pollMs,
        () => worker.wake(),
      ),
  };
}

@Module({})
export class AlertsModule {
  /** Exports OperatorEventOutbox and OperatorEventWakeUp, for any flow that raises events, and the operators' use cases. */
  static forRoot(events: EventsConfig): DynamicModule {
    const webhook = events.webhook;
    return {
      module: AlertsModule,
      imports: [PersistenceModule],
      providers: [
        ...(webhook
          ? [
              deliveryWorker(events, webhook),
              caseAlertsWorker(events),
              {
                provide: OperatorEventOutbox,
                inject: [PostgresOperatorEventOutbox, OperatorEventDeliveryWorker],
                useFactory: (outbox: PostgresOperatorEventOutbox, worker: OperatorEventDeliveryWorker) => new EventsOn(outbox, worker),
              },
            ]
          : [{ provide: OperatorEventOutbox, useValue: new EventsOff() }]),
        {
          provide: OperatorEventWakeUp,
          inject: [{ token: OperatorEventDeliveryWorker, optional: true }],
          useFactory: (worker?: OperatorEventDeliveryWorker) => new OperatorEventWakeUp(worker),
        },
        { provide: ListOperatorEvents, inject: [OperatorEventQueue], useFactory: (queue: OperatorEventQueue) => new ListOperatorEvents(queue) },
        {
          provide: RedeliverOperatorEvent,
          inject: [OperatorEventQueue, { token: OperatorEventDeliveryWorker, optional: true }],
          useFactory: (queue: OperatorEventQueue, worker?: OperatorEventDeliveryWorker) => new RedeliverOperatorEvent(queue, () => worker?.wake()),
        },
      ],
      exports: [OperatorEventOutbox, OperatorEventWakeUp, ListOperatorEvents, RedeliverOperatorEvent],
    };
  }
}
