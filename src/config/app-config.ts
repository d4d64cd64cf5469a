// Typed configuration, read from the environment and validated once at start.
import { createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { parseRuleSet, RuleSet, RuleSetError } from '../adapters/monitoring/rules/rule-set';
import { Decimal } from '../domain/decimal';

export type NodeEnv = 'production' | 'development' | 'test';
export type FallbackStatus = 'PENDING_EXTERNAL_APPROVAL' | 'REJECTED';

export const MONITORING_PROVIDERS = ['rules', 'flagright', 'marble', 'http'] as const;
export type MonitoringProviderName = (typeof MONITORING_PROVIDERS)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

export interface AnalystToken {
  readonly name: string;
  readonly token: string;
}

/** Also the injection token: `constructor(private readonly config: AppConfig)`. */
export class AppConfig {
  readonly port!: number;
  readonly nodeEnv!: NodeEnv;
  readonly database!: {
    /** Unset: an embedded PostgreSQL is started in `embeddedDir`. */
    readonly url?: string;
    readonly embeddedDir: string;
    readonly poolSize: number;
  };
  readonly toqio!: {
    readonly apiKey: string;
    /** True when no TOQIO_API_KEY was given and a development key was generated. */
    readonly apiKeyGenerated: boolean;
    readonly apiKeyHeader: string;
    readonly previousApiKeys: readonly string[];
    readonly webhookUrl?: string;
  };
  /** Delivery of decisions to TOQIO_WEBHOOK_URL. */
  readonly notifications!: {
    readonly requestTimeoutMs: number;
    readonly retryBaseMs: number;
    readonly retryMaxDelayMs: number;
    readonly maxAgeMs: number;
    readonly concurrency: number;
    readonly pollMs: number;
  };
  readonly monitoring!: {
    /** MONITORING_PROVIDER as written: one provider name, or several joined with "+". */
    readonly provider: string;
    readonly rulesFile: string;
    readonly ruleSet: RuleSet;
    readonly decisionTimeoutMs: number;
    /** VALIDATE_DEADLINE_MS: validate answers by then whatever the database does (503 when it could not decide). */
    readonly validateDeadlineMs: number;
    readonly fallbackStatus: FallbackStatus;
    /** Standard Webhooks secret (whsec_...) for callbacks of providers without a format of their own. */
    readonly webhookSecret?: string;
    /** How long the provider is asked again after failing at validate. */
    readonly lateScreeningMaxAgeMs: number;
    /** Budget of one late screening (never less than decisionTimeoutMs), and its retry schedule. */
    readonly lateScreeningTimeoutMs: number;
    readonly lateScreeningRetryBaseMs: number;
    readonly lateScreeningRetryMaxDelayMs: number;
    /** Budget of screening money a payment provider reports received; nobody waits on it. */
    readonly inboundScreeningTimeoutMs: number;
    /** A follow-up's claim outlives its screening by this much, so only a dead worker's is taken over. */
    readonly inboundLeaseMarginMs: number;
    readonly inboundRetryBaseMs: number;
    readonly inboundRetryMaxDelayMs: number;
    /** MONITORING_PROVIDER split on "+": the providers asked together (one for a single provider). */
    readonly providers: readonly MonitoringProviderName[];
    /** MONITORING_SHADOW_PROVIDER split on "+": the challenger, asked off the hot path; empty: none. */
    readonly shadowProviders: readonly MonitoringProviderName[];
    readonly shadowTimeoutMs: number;
    /** Challenger calls allowed in flight at once; beyond it a shadow verdict is recorded as skipped. */
    readonly shadowMaxInFlight: number;
    /** Consecutive failures that open a provider's circuit breaker, and how long it stays open. */
    readonly breakerThreshold: number;
    readonly breakerHalfOpenMs: number;
  };
  readonly flagright!: {
    readonly apiUrl: string;
    readonly apiKey?: string;
    readonly webhookSecret?: string;
  };
  readonly marble!: {
    readonly apiUrl: string;
    readonly apiKey?: string;
    readonly scenarioId: string;
    readonly webhookSecret?: string;
    readonly signatureHeader: string;
  };
  /** The generic `http` provider for in-house engines. */
  readonly httpProvider!: {
    readonly url: string;
    readonly authHeader: string;
    readonly authValue?: string;
  };
  readonly analysts!: {
    readonly tokens: readonly AnalystToken[];
    /** Exact decimal, in major units; unset means one approval suffices. */
    readonly fourEyesThreshold?: string;
    /** Pending longer than this is overdue; unset: never. */
    readonly pendingSlaMinutes?: number;
  };
  readonly paystack!: {
    readonly secretKey?: string;
    readonly allowedIps: readonly string[];
  };
  readonly payto!: {
    readonly apiKey?: string;
    readonly apiKeyHeader: string;
    readonly signingPublicKey?: string;
    readonly decryptionPrivateKey?: string;
  };
  /** Logs, metrics and HTTP hardening. */
  readonly operations!: {
    readonly logLevel: LogLevelName;
    readonly metricsEnabled: boolean;
    /** Fastify's trustProxy: false, a hop count, or the proxies' addresses/CIDRs. */
    readonly trustProxy: false | number | readonly string[];
    /** Requests per minute per client address on the analyst routes. */
    readonly analystRateLimitPerMinute: number;
    /** Requests per minute per source address and webhook path. */
    readonly webhookRateLimitPerMinute: number;
  };

  static from(values: AppConfig): AppConfig {
    return Object.assign(new AppConfig(), values);
  }
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const SHIPPED_RULES_FILE = resolve(__dirname, '..', '..', 'config', 'rules.yaml');

/** Reads every variable of the contract; throws one ConfigError naming every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const text = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = text(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      problems.push(`${name}: must be a whole number between ${min} and ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const list = (name: string): string[] =>
    (text(name) ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  const headerName = (name: string, fallback: string): string => {
    const value = text(name) ?? fallback;
    if (!HEADER_NAME.test(value)) problems.push(`${name}: "${value}" is not a valid HTTP header name`);
    return value.toLowerCase();
  };

  const nodeEnvRaw = text('NODE_ENV') ?? 'development';
  if (!['production', 'development', 'test'].includes(nodeEnvRaw)) {
    problems.push(`NODE_ENV: must be production, development or test (got "${nodeEnvRaw}")`);
  }
  const nodeEnv = nodeEnvRaw as NodeEnv;
  const production = nodeEnv === 'production';
  const requiredInProduction = (name: string, why: string) => {
    if (production && text(name) === undefined) problems.push(`${name}: required when NODE_ENV=production (${why})`);
  };

  const port = integer('PORT', 3000, 0, 65535);

  // The embedded PostgreSQL is a development convenience: in production it would keep the only
  // copy of every decision on one pod's disk.
  requiredInProduction('DATABASE_URL', 'the embedded PostgreSQL is for development only');
  const databaseUrl = text('DATABASE_URL');
  if (databaseUrl !== undefined && !isUrl(databaseUrl, ['postgres:', 'postgresql:'])) {
    problems.push('DATABASE_URL: must be a postgres:// or postgresql:// URL');
  }

  requiredInProduction('TOQIO_API_KEY', 'Toqio authenticates with it in both directions');
  const configuredKey = text('TOQIO_API_KEY');
  if (configuredKey !== undefined && /\s/.test(configuredKey)) problems.push('TOQIO_API_KEY: must not contain whitespace');
  if (production && configuredKey !== undefined && (configuredKey.length < 16 || configuredKey.startsWith('dev_'))) {
    problems.push('TOQIO_API_KEY: must be at least 16 characters and not a development key when NODE_ENV=production');
  }
  if (production && list('TOQIO_PREVIOUS_API_KEYS').some((key) => key.length < 16)) {
    problems.push('TOQIO_PREVIOUS_API_KEYS: every key must be at least 16 characters when NODE_ENV=production');
  }
  const apiKey = configuredKey ?? `dev_${randomBytes(24).toString('base64url')}`;

  requiredInProduction('TOQIO_WEBHOOK_URL', 'decisions on pending transactions are delivered there');
  const webhookUrl = text('TOQIO_WEBHOOK_URL');
  if (webhookUrl !== undefined && !isUrl(webhookUrl, ['https:', 'http:'])) {
    problems.push('TOQIO_WEBHOOK_URL: must be an http(s) URL');
  } else if (production && webhookUrl?.startsWith('http:')) {
    problems.push('TOQIO_WEBHOOK_URL: must use https when NODE_ENV=production');
  }

  const provider = text('MONITORING_PROVIDER') ?? 'rules';
  const providerList = (name: string, value: string | undefined): MonitoringProviderName[] => {
    if (value === undefined) return [];
    const names = value.split('+').map((part) => part.trim());
    for (const part of names) {
      if (!(MONITORING_PROVIDERS as readonly string[]).includes(part)) {
        problems.push(`${name}: unknown provider "${part}" (known: ${MONITORING_PROVIDERS.join(', ')}, or several joined with "+")`);
      }
    }
    if (new Set(names).size !== names.length) problems.push(`${name}: a provider is named twice in "${value}"`);
    return names as MonitoringProviderName[];
  };
  const providers = providerList('MONITORING_PROVIDER', provider);
  const shadowRaw = text('MONITORING_SHADOW_PROVIDER');
  const shadowProviders = providerList('MONITORING_SHADOW_PROVIDER', shadowRaw);
  if (shadowRaw !== undefined && [...shadowProviders].sort().join('+') === [...providers].sort().join('+')) {
    problems.push('MONITORING_SHADOW_PROVIDER: must differ from MONITORING_PROVIDER (a challenger compared with itself says nothing)');
  }
  const enabled = new Set<string>([...providers, ...shadowProviders]);
  const rulesFile = resolve(text('RULES_FILE') ?? SHIPPED_RULES_FILE);
  let ruleSet: RuleSet = { rules: [] };
  if (enabled.has('rules')) {
    try {
      ruleSet = parseRuleSet(readFileSync(rulesFile, 'utf8'));
    } catch (error) {
      if (error instanceof RuleSetError) {
        problems.push(...error.problems.map((problem) => `RULES_FILE (${rulesFile}): ${problem}`));
      } else {
        problems.push(`RULES_FILE: cannot read ${rulesFile} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
      }
    }
  }

  const decisionTimeoutMs = integer('DECISION_TIMEOUT_MS', 1500, 1, 60_000);
  const validateDeadlineMs = integer('VALIDATE_DEADLINE_MS', decisionTimeoutMs + 500, 100, 120_000);
  const fallbackStatus = text('FALLBACK_STATUS') ?? 'PENDING_EXTERNAL_APPROVAL';
  if (fallbackStatus !== 'PENDING_EXTERNAL_APPROVAL' && fallbackStatus !== 'REJECTED') {
    problems.push(`FALLBACK_STATUS: must be PENDING_EXTERNAL_APPROVAL or REJECTED (got "${fallbackStatus}")`);
  }

  const tokens: AnalystToken[] = [];
  for (const pair of list('ANALYST_TOKENS')) {
    const separator = pair.indexOf(':');
    const name = separator > 0 ? pair.slice(0, separator).trim() : '';
    const token = separator > 0 ? pair.slice(separator + 1).trim() : '';
    if (!name || !token) {
      problems.push('ANALYST_TOKENS: every entry must be name:token');
    } else if (tokens.some((existing) => existing.name === name || existing.token === token)) {
      problems.push(`ANALYST_TOKENS: the name or token of "${name}" is used twice`);
    } else if (production && token.length < 16) {
      problems.push(`ANALYST_TOKENS: the token of "${name}" must be at least 16 characters when NODE_ENV=production`);
    } else {
      tokens.push({ name, token });
    }
  }

  let fourEyesThreshold = text('FOUR_EYES_THRESHOLD');
  if (fourEyesThreshold !== undefined) {
    try {
      const threshold = Decimal.parse(fourEyesThreshold);
      if (!threshold.isPositive()) throw new Error('not positive');
      fourEyesThreshold = threshold.toString();
    } catch {
      problems.push(`FOUR_EYES_THRESHOLD: must be a positive decimal amount (got "${fourEyesThreshold}")`);
    }
  }

  const pendingSlaRaw = text('PENDING_SLA_MINUTES');
  const pendingSlaMinutes = pendingSlaRaw === undefined ? undefined : integer('PENDING_SLA_MINUTES', 0, 1, 525_600);

  const webhookSecret = text('MONITORING_WEBHOOK_SECRET');
  if (webhookSecret !== undefined) {
    const key = webhookSecret.startsWith('whsec_') ? webhookSecret.slice('whsec_'.length) : webhookSecret;
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(key) || Buffer.from(key, 'base64').length < 24) {
      problems.push('MONITORING_WEBHOOK_SECRET: must be a Standard Webhooks secret, "whsec_" then at least 24 bytes in base64');
    }
  }

  // Vendor adapters: each one's secrets are mandatory in production once it is enabled (live or shadow).
  const vendorUrl = (name: string, fallback: string | undefined, adapter: string): string => {
    const value = text(name) ?? fallback;
    if (!enabled.has(adapter)) return value ?? '';
    if (value === undefined) {
      problems.push(`${name}: required when MONITORING_PROVIDER or MONITORING_SHADOW_PROVIDER includes ${adapter}`);
      return '';
    }
    if (!isUrl(value, ['https:', 'http:'])) problems.push(`${name}: must be an http(s) URL`);
    else if (production && value.startsWith('http:')) problems.push(`${name}: must use https when NODE_ENV=production`);
    return value;
  };
  const vendorSecret = (name: string, adapter: string, why: string): string | undefined => {
    if (enabled.has(adapter)) requiredInProduction(name, why);
    const value = text(name);
    if (value !== undefined && /\s/.test(value)) problems.push(`${name}: must not contain whitespace`);
    return value;
  };
  const flagright = {
    apiUrl: vendorUrl('FLAGRIGHT_API_URL', 'https://sandbox.api.flagright.com', 'flagright'),
    apiKey: vendorSecret('FLAGRIGHT_API_KEY', 'flagright', 'Flagright authenticates every call with it'),
    webhookSecret: vendorSecret('FLAGRIGHT_WEBHOOK_SECRET', 'flagright', 'it verifies Flagright\'s TRANSACTION_STATUS_UPDATED webhooks'),
  };
  if (production && enabled.has('flagright') && text('FLAGRIGHT_API_URL') === undefined) {
    problems.push('FLAGRIGHT_API_URL: required when NODE_ENV=production (the default is Flagright\'s sandbox)');
  }
  const marbleScenario = text('MARBLE_SCENARIO_ID') ?? '';
  if (enabled.has('marble') && !/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(marbleScenario)) {
    problems.push('MARBLE_SCENARIO_ID: required when the marble provider is enabled; the UUID of the scenario to run');
  }
  const marble = {
    apiUrl: vendorUrl('MARBLE_API_URL', 'https://api.checkmarble.com/v1', 'marble'),
    apiKey: vendorSecret('MARBLE_API_KEY', 'marble', 'Marble authenticates every call with it'),
    scenarioId: marbleScenario,
    webhookSecret: vendorSecret('MARBLE_WEBHOOK_SECRET', 'marble', 'it verifies Marble\'s case.decision_reviewed webhooks'),
    signatureHeader: headerName('MARBLE_WEBHOOK_SIGNATURE_HEADER', 'x-convoy-signature'),
  };
  if (enabled.has('http')) requiredInProduction('MONITORING_HTTP_AUTH_VALUE', 'the in-house engine must be able to authenticate this service');
  const httpProvider = {
    url: vendorUrl('MONITORING_HTTP_URL', undefined, 'http'),
    authHeader: headerName('MONITORING_HTTP_AUTH_HEADER', 'authorization'),
    // Whitespace is expected here ("Bearer <token>"): only the value of a header.
    authValue: text('MONITORING_HTTP_AUTH_VALUE'),
  };

  const allowedIps = list('PAYSTACK_ALLOWED_IPS');
  for (const ip of allowedIps) {
    if (isIP(ip) === 0) problems.push(`PAYSTACK_ALLOWED_IPS: "${ip}" is not an IP address`);
  }

  const paytoApiKey = text('PAYTO_API_KEY');
  const signingPublicKey = pem(env.PAYTO_SIGNING_PUBLIC_KEY);
  const decryptionPrivateKey = pem(env.PAYTO_DECRYPTION_PRIVATE_KEY);
  if (paytoApiKey !== undefined && signingPublicKey === undefined) {
    problems.push('PAYTO_SIGNING_PUBLIC_KEY: required when PAYTO_API_KEY switches the PayTo module on');
  }
  if (signingPublicKey !== undefined) {
    try {
      createPublicKey(signingPublicKey);
    } catch {
      problems.push('PAYTO_SIGNING_PUBLIC_KEY: not a PEM public key');
    }
  }
  if (decryptionPrivateKey !== undefined) {
    try {
      createPrivateKey(decryptionPrivateKey);
    } catch {
      problems.push('PAYTO_DECRYPTION_PRIVATE_KEY: not a PEM private key');
    }
  }

  const logLevel = (text('LOG_LEVEL') ?? 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) problems.push(`LOG_LEVEL: must be one of ${LOG_LEVELS.join(', ')} (got "${logLevel}")`);
  const metricsRaw = (text('METRICS_ENABLED') ?? 'true').toLowerCase();
  if (metricsRaw !== 'true' && metricsRaw !== 'false') problems.push(`METRICS_ENABLED: must be true or false (got "${metricsRaw}")`);
  const trustProxy = trustProxyOf(text('TRUST_PROXY'), problems);

  const config = AppConfig.from({
    port,
    nodeEnv,
    database: {
      url: databaseUrl,
      embeddedDir: resolve(text('EMBEDDED_DATABASE_DIR') ?? '.data/postgres'),
      poolSize: integer('DATABASE_POOL_SIZE', 20, 1, 500),
    },
    toqio: {
      apiKey,
      apiKeyGenerated: configuredKey === undefined,
      apiKeyHeader: headerName('TOQIO_API_KEY_HEADER', 'x-api-key'),
      previousApiKeys: list('TOQIO_PREVIOUS_API_KEYS'),
      webhookUrl,
    },
    notifications: {
      requestTimeoutMs: integer('TOQIO_WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000),
      retryBaseMs: integer('NOTIFICATION_RETRY_BASE_MS', 1_000, 10, 5_000),
      retryMaxDelayMs: integer('NOTIFICATION_RETRY_MAX_DELAY_SECONDS', 300, 1, 86_400) * 1000,
      maxAgeMs: integer('NOTIFICATION_MAX_AGE_HOURS', 72, 1, 8_760) * 3_600_000,
      concurrency: integer('NOTIFICATION_CONCURRENCY', 64, 1, 256),
      pollMs: integer('NOTIFICATION_POLL_MS', 1_000, 10, 60_000),
    },
    monitoring: {
      provider,
      providers,
      shadowProviders,
      shadowTimeoutMs: integer('MONITORING_SHADOW_TIMEOUT_MS', 10_000, 1, 120_000),
      shadowMaxInFlight: integer('MONITORING_SHADOW_MAX_IN_FLIGHT', 1_000, 1, 100_000),
      breakerThreshold: integer('PROVIDER_BREAKER_THRESHOLD', 5, 1, 1_000),
      breakerHalfOpenMs: integer('PROVIDER_BREAKER_HALF_OPEN_MS', 10_000, 10, 3_600_000),
      rulesFile,
      ruleSet,
      decisionTimeoutMs,
      validateDeadlineMs,
      fallbackStatus: fallbackStatus as FallbackStatus,
      webhookSecret,
      lateScreeningMaxAgeMs: integer('LATE_SCREENING_MAX_AGE_MINUTES', 1_440, 1, 43_200) * 60_000,
      lateScreeningTimeoutMs: integer('LATE_SCREENING_TIMEOUT_MS', 10_000, 100, 120_000),
      lateScreeningRetryBaseMs: integer('LATE_SCREENING_RETRY_BASE_MS', 2_000, 10, 60_000),
      lateScreeningRetryMaxDelayMs: integer('LATE_SCREENING_RETRY_MAX_DELAY_SECONDS', 300, 1, 86_400) * 1000,
      inboundScreeningTimeoutMs: integer('INBOUND_SCREENING_TIMEOUT_MS', 10_000, 100, 120_000),
      inboundLeaseMarginMs: integer('INBOUND_LEASE_MARGIN_MS', 5_000, 100, 600_000),
      inboundRetryBaseMs: integer('INBOUND_RETRY_BASE_MS', 1_000, 10, 60_000),
      inboundRetryMaxDelayMs: integer('INBOUND_RETRY_MAX_DELAY_SECONDS', 300, 1, 86_400) * 1000,
    },
    flagright,
    marble,
    httpProvider,
    analysts: { tokens, fourEyesThreshold, pendingSlaMinutes },
    paystack: { secretKey: text('PAYSTACK_SECRET_KEY'), allowedIps },
    payto: {
      apiKey: paytoApiKey,
      apiKeyHeader: headerName('PAYTO_API_KEY_HEADER', 'apikey'),
      signingPublicKey,
      decryptionPrivateKey,
    },
    operations: {
      logLevel: logLevel as LogLevelName,
      metricsEnabled: metricsRaw !== 'false',
      trustProxy,
      analystRateLimitPerMinute: integer('ANALYST_RATE_LIMIT_PER_MINUTE', 1_200, 1, 1_000_000),
      webhookRateLimitPerMinute: integer('WEBHOOK_RATE_LIMIT_PER_MINUTE', 6_000, 1, 1_000_000),
    },
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function isUrl(value: string, protocols: string[]): boolean {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** PEM keys often arrive in one-line environment variables with literal "\n". */
function pem(value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  return value.includes('\\n') ? value.replace(/\\n/g, '\n') : value;
}

/**
 * TRUST_PROXY: unset or "false" trusts no proxy (the client address is the TCP peer); a whole
 * number trusts that many hops of X-Forwarded-For; otherwise a comma-separated list of proxy
 * addresses or CIDR ranges. Rate limits and IP allowlists key on the address this yields.
 */
function trustProxyOf(raw: string | undefined, problems: string[]): false | number | readonly string[] {
  if (raw === undefined || raw.toLowerCase() === 'false') return false;
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops >= 1 && hops <= 10) return hops;
    problems.push(`TRUST_PROXY: a hop count must be between 1 and 10 (got "${raw}")`);
    return false;
  }
  const entries = raw.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  for (const entry of entries) {
    const [address, bits, ...rest] = entry.split('/');
    const family = isIP(address ?? '');
    const maxBits = family === 6 ? 128 : 32;
    if (family === 0 || rest.length > 0 || (bits !== undefined && (!/^\d+$/.test(bits) || Number(bits) > maxBits))) {
      problems.push(`TRUST_PROXY: "${entry}" is not an IP address or CIDR range (or use a hop count, or false)`);
    }
  }
  return entries;
}
