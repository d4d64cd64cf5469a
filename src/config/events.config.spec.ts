// Unit spec of the events namespace: off by default, the secret required with the URL, every problem named.
import { loadConfiguration } from './configuration';
import { configProblemsOf as problemsOf } from '../../test/support/config-problems';

const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
const PRODUCTION = { NODE_ENV: 'production', DATABASE_URL: 'postgres://db/tm', TOQIO_API_KEY: 'issued-by-toqio-0001', TOQIO_WEBHOOK_URL: 'https://core.toq.io/webhooks/x' };

describe('events configuration', () => {
  it('is off without EVENTS_WEBHOOK_URL, with delivery defaults that keep retrying for 72 hours or 25 attempts', () => {
    const { events } = loadConfiguration({});
    expect(events.webhook).toBeUndefined();
    expect(events.delivery).toEqual({ requestTimeoutMs: 10_000, retryBaseMs: 1_000, retryMaxDelayMs: 300_000, maxAttempts: 25, maxAgeMs: 72 * 3_600_000, concurrency: 8, pollMs: 1_000 });
  });

  it('is on with the URL and its secret, which the logs mask', () => {
    const config = loadConfiguration({ EVENTS_WEBHOOK_URL: 'https://alerts.internal/hook', EVENTS_WEBHOOK_SECRET: SECRET, EVENTS_MAX_ATTEMPTS: '3', EVENTS_POLL_MS: '50' });
    expect(config.events.webhook).toEqual({ url: 'https://alerts.internal/hook', secret: SECRET });
    expect(config.events.delivery).toMatchObject({ maxAttempts: 3, pollMs: 50 });
    expect(config.secrets.values).toContain(SECRET);
  });

  it('names every problem at once: a URL without its secret, a malformed secret, settings out of range', () => {
    expect(problemsOf({ EVENTS_WEBHOOK_URL: 'https://alerts.internal/hook', EVENTS_MAX_ATTEMPTS: '0', EVENTS_RETRY_BASE_MS: 'soon' }).map((problem) => problem.split(':')[0]).sort()).toEqual([
      'EVENTS_MAX_ATTEMPTS',
      'EVENTS_RETRY_BASE_MS',
      'EVENTS_WEBHOOK_SECRET',
    ]);
    expect(problemsOf({ EVENTS_WEBHOOK_URL: 'https://alerts.internal/hook' })).toEqual([
      'EVENTS_WEBHOOK_SECRET: required when EVENTS_WEBHOOK_URL is set (every event is signed with it)',
    ]);
    expect(problemsOf({ EVENTS_WEBHOOK_URL: 'ftp://alerts.internal', EVENTS_WEBHOOK_SECRET: 'not-base64!' })).toEqual([
      'EVENTS_WEBHOOK_URL: must be an http(s) URL',
      'EVENTS_WEBHOOK_SECRET: must be a Standard Webhooks secret, "whsec_" then at least 24 bytes in base64',
    ]);
  });

  it('wants https and a strong secret in production', () => {
    expect(problemsOf({ ...PRODUCTION, EVENTS_WEBHOOK_URL: 'https://alerts.internal/hook', EVENTS_WEBHOOK_SECRET: SECRET })).toEqual([]);
    expect(problemsOf({ ...PRODUCTION, EVENTS_WEBHOOK_URL: 'http://alerts.internal/hook', EVENTS_WEBHOOK_SECRET: 'whsec_CHANGE-ME' })).toEqual([
      'EVENTS_WEBHOOK_URL: must use https when NODE_ENV=production',
      'EVENTS_WEBHOOK_SECRET: must not be a placeholder ("CHANGE-ME") when NODE_ENV=production',
      'EVENTS_WEBHOOK_SECRET: must be a Standard Webhooks secret, "whsec_" then at least 24 bytes in base64',
    ]);
  });
});
