// The `operations` namespace: logs, metrics, the proxies in front, and rate limits.
import { isIP } from 'node:net';
import { Transform } from 'class-transformer';
import { IsIn } from 'class-validator';
import { EnvSection } from './env-section';
import { EnvRule, WholeNumber } from './env-rules';
import { defineNamespace } from './namespace';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];
export type TrustProxy = false | number | readonly string[];

const lowerCase = ({ value }: { value: string }) => value.toLowerCase();

/**
 * TRUST_PROXY: unset or "false" trusts no proxy (the client address is the TCP peer); a whole
 * number trusts that many hops of X-Forwarded-For; otherwise a comma-separated list of proxy
 * addresses or CIDR ranges. Rate limits and IP allowlists key on the address this yields.
 */
function trustProxyOf(raw: string | undefined): { value: TrustProxy; problems: string[] } {
  if (raw === undefined || raw.toLowerCase() === 'false') return { value: false, problems: [] };
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    return hops >= 1 && hops <= 10 ? { value: hops, problems: [] } : { value: false, problems: [`a hop count must be between 1 and 10 (got "${raw}")`] };
  }
  const entries = raw.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  const problems = entries.flatMap((entry) => {
    const [address, bits, ...rest] = entry.split('/');
    const family = isIP(address ?? '');
    const maxBits = family === 6 ? 128 : 32;
    const valid = family !== 0 && rest.length === 0 && (bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= maxBits));
    return valid ? [] : [`"${entry}" is not an IP address or CIDR range (or use a hop count, or false)`];
  });
  return { value: entries, problems };
}

export class OperationsEnv extends EnvSection {
  @Transform(lowerCase)
  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL: must be one of ${LOG_LEVELS.join(', ')} (got "$value")` })
  LOG_LEVEL = 'info';

  @Transform(lowerCase)
  @IsIn(['true', 'false'], { message: 'METRICS_ENABLED: must be true or false (got "$value")' })
  METRICS_ENABLED = 'true';

  @EnvRule('trustProxy', (raw) => trustProxyOf(raw).problems)
  TRUST_PROXY?: string;

  /** Requests per minute per client address on the analyst routes. */
  @WholeNumber(1, 1_000_000)
  ANALYST_RATE_LIMIT_PER_MINUTE = '1200';

  /** Requests per minute per source address and webhook path. */
  @WholeNumber(1, 1_000_000)
  WEBHOOK_RATE_LIMIT_PER_MINUTE = '6000';
}

export const operationsConfig = defineNamespace('operations', OperationsEnv, (env) => ({
  logLevel: env.LOG_LEVEL as LogLevelName,
  metricsEnabled: env.METRICS_ENABLED === 'true',
  /** Fastify's trustProxy: false, a hop count, or the proxies' addresses/CIDRs. */
  trustProxy: trustProxyOf(env.TRUST_PROXY).value,
  analystRateLimitPerMinute: Number(env.ANALYST_RATE_LIMIT_PER_MINUTE),
  webhookRateLimitPerMinute: Number(env.WEBHOOK_RATE_LIMIT_PER_MINUTE),
}));
