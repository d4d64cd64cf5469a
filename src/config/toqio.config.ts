// The `toqio` namespace: the key of both directions, Toqio's webhook, and how decisions are delivered to it.
import { randomBytes } from 'node:crypto';
import { EnvSection } from './env-section';
import { EnvRule, HeaderName, HttpUrl, listOf, NoWhitespace, ProductionSecret, RequiredInProduction, WholeNumber } from './env-rules';
import { defineNamespace } from './namespace';
import { SecretHeader } from './secrets';

export class ToqioEnv extends EnvSection {
  @EnvRule('productionKey', (key, env) => (env.production && key?.startsWith('dev_') ? ['must not be a development key (dev_...) when NODE_ENV=production'] : []))
  @ProductionSecret()
  @NoWhitespace()
  @RequiredInProduction('Toqio authenticates with it in both directions')
  TOQIO_API_KEY?: string;

  @HeaderName()
  @SecretHeader()
  TOQIO_API_KEY_HEADER = 'x-api-key';

  // As TOQIO_API_KEY: a key with whitespace inside ("a b" where "a, b" was meant) could never match a header.
  @EnvRule('noWhitespaceKeys', (keys) => (listOf(keys).some((key) => /\s/.test(key)) ? ['a key must not contain whitespace (keys are separated by commas)'] : []))
  @ProductionSecret(listOf)
  TOQIO_PREVIOUS_API_KEYS?: string;

  @HttpUrl()
  @RequiredInProduction('decisions on pending transactions are delivered there')
  TOQIO_WEBHOOK_URL?: string;

  @WholeNumber(100, 120_000)
  TOQIO_WEBHOOK_TIMEOUT_MS = '10000';

  @WholeNumber(10, 5_000)
  NOTIFICATION_RETRY_BASE_MS = '1000';

  @WholeNumber(1, 86_400)
  NOTIFICATION_RETRY_MAX_DELAY_SECONDS = '300';

  @WholeNumber(1, 8_760)
  NOTIFICATION_MAX_AGE_HOURS = '72';

  @WholeNumber(1, 256)
  NOTIFICATION_CONCURRENCY = '64';

  @WholeNumber(10, 60_000)
  NOTIFICATION_POLL_MS = '1000';
}

export const toqioConfig = defineNamespace('toqio', ToqioEnv, (env) => ({
  apiKey: env.TOQIO_API_KEY ?? `dev_${randomBytes(24).toString('base64url')}`,
  /** True when no TOQIO_API_KEY was given and a development key was generated. */
  apiKeyGenerated: env.TOQIO_API_KEY === undefined,
  apiKeyHeader: env.TOQIO_API_KEY_HEADER.toLowerCase(),
  previousApiKeys: listOf(env.TOQIO_PREVIOUS_API_KEYS) as readonly string[],
  webhookUrl: env.TOQIO_WEBHOOK_URL,
  /** Delivery of decisions to the webhook. */
  delivery: {
    requestTimeoutMs: Number(env.TOQIO_WEBHOOK_TIMEOUT_MS),
    retryBaseMs: Number(env.NOTIFICATION_RETRY_BASE_MS),
    retryMaxDelayMs: Number(env.NOTIFICATION_RETRY_MAX_DELAY_SECONDS) * 1000,
    maxAgeMs: Number(env.NOTIFICATION_MAX_AGE_HOURS) * 3_600_000,
    concurrency: Number(env.NOTIFICATION_CONCURRENCY),
    pollMs: Number(env.NOTIFICATION_POLL_MS),
  },
}));
