// The `events` namespace: the outgoing event webhook for operators (alerts), its secret, and how events are delivered.
import { EnvSection } from './env-section';
import { EnvRule, HttpUrl, StandardWebhooksSecret, WholeNumber } from './env-rules';
import { defineNamespace } from './namespace';

export class EventsEnv extends EnvSection {
  /** Where events go; unset: the feature is off and nothing is queued. */
  @HttpUrl()
  EVENTS_WEBHOOK_URL?: string;

  @StandardWebhooksSecret()
  @EnvRule<EventsEnv>('requiredWithUrl', (secret, env) =>
    env.EVENTS_WEBHOOK_URL !== undefined && secret === undefined ? ['required when EVENTS_WEBHOOK_URL is set (every event is signed with it)'] : [],
  )
  EVENTS_WEBHOOK_SECRET?: string;

  @WholeNumber(100, 120_000)
  EVENTS_WEBHOOK_TIMEOUT_MS = '10000';

  @WholeNumber(10, 60_000)
  EVENTS_RETRY_BASE_MS = '1000';

  @WholeNumber(1, 86_400)
  EVENTS_RETRY_MAX_DELAY_SECONDS = '300';

  /** An event is dead after this many failed attempts, or after EVENTS_MAX_AGE_HOURS, whichever comes first. */
  @WholeNumber(1, 10_000)
  EVENTS_MAX_ATTEMPTS = '25';

  @WholeNumber(1, 8_760)
  EVENTS_MAX_AGE_HOURS = '72';

  @WholeNumber(1, 256)
  EVENTS_CONCURRENCY = '8';

  /** How often the worker looks for due events, and the watcher for cases and notifications to report. */
  @WholeNumber(10, 60_000)
  EVENTS_POLL_MS = '1000';
}

export const eventsConfig = defineNamespace('events', EventsEnv, (env) => ({
  /** Set only with its secret: the feature is on. */
  webhook: env.EVENTS_WEBHOOK_URL !== undefined && env.EVENTS_WEBHOOK_SECRET !== undefined ? { url: env.EVENTS_WEBHOOK_URL, secret: env.EVENTS_WEBHOOK_SECRET } : undefined,
  delivery: {
    requestTimeoutMs: Number(env.EVENTS_WEBHOOK_TIMEOUT_MS),
    retryBaseMs: Number(env.EVENTS_RETRY_BASE_MS),
    retryMaxDelayMs: Number(env.EVENTS_RETRY_MAX_DELAY_SECONDS) * 1000,
    maxAttempts: Number(env.EVENTS_MAX_ATTEMPTS),
    maxAgeMs: Number(env.EVENTS_MAX_AGE_HOURS) * 3_600_000,
    concurrency: Number(env.EVENTS_CONCURRENCY),
    pollMs: Number(env.EVENTS_POLL_MS),
  },
}));
