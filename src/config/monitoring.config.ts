// The `monitoring` namespace: which providers decide (live and shadow), within what time, and what is answered when they cannot.
import { resolve } from 'node:path';
import { IsIn } from 'class-validator';
import { rulesFileProblems } from '../adapters/monitoring/rules/rules-file';
import { EnvSection } from './env-section';
import { EnvRule, StandardWebhooksSecret, WholeNumber } from './env-rules';
import { defineNamespace } from './namespace';
import { MONITORING_PROVIDERS, MonitoringProviderName, providerNamesOf } from './vendors.config';

export type FallbackStatus = 'PENDING_EXTERNAL_APPROVAL' | 'REJECTED';

const SHIPPED_RULES_FILE = resolve(__dirname, '..', '..', 'config', 'rules.yaml');

function providerProblems(value: string | undefined): string[] {
  const names = providerNamesOf(value);
  const problems = names
    .filter((name) => !(MONITORING_PROVIDERS as readonly string[]).includes(name))
    .map((name) => `unknown provider "${name}" (known: ${MONITORING_PROVIDERS.join(', ')}, or several joined with "+")`);
  if (new Set(names).size !== names.length) problems.push(`a provider is named twice in "${value}"`);
  return problems;
}

const sameProviders = (a: string | undefined, b: string | undefined) => providerNamesOf(a).sort().join('+') === providerNamesOf(b).sort().join('+');

/** Each Standard Webhooks provider's callback secret: its own variable, else the shared one. */
function callbackSecretsOf(env: MonitoringEnv): { rules?: string; http?: string } {
  return { rules: env.RULES_WEBHOOK_SECRET ?? env.MONITORING_WEBHOOK_SECRET, http: env.MONITORING_HTTP_WEBHOOK_SECRET ?? env.MONITORING_WEBHOOK_SECRET };
}

/**
 * Past the provider's budget, validate still has to record its verdict or the fallback before the deadline.
 * With a deadline at or near DECISION_TIMEOUT_MS, a slow provider's fallback would come too late to be
 * answered, and Toqio would get 503 where FALLBACK_STATUS was meant.
 */
const MIN_DEADLINE_AFTER_DECISION_MS = 200;

function deadlineProblems(deadline: string | undefined, decisionTimeout: string | undefined): string[] {
  if (deadline === undefined || !/^\d+$/.test(deadline) || !/^\d+$/.test(decisionTimeout ?? '')) return [];
  if (Number(deadline) >= Number(decisionTimeout) + MIN_DEADLINE_AFTER_DECISION_MS) return [];
  return [
    `must be at least DECISION_TIMEOUT_MS + ${MIN_DEADLINE_AFTER_DECISION_MS} (${Number(decisionTimeout) + MIN_DEADLINE_AFTER_DECISION_MS}; got "${deadline}"): ` +
      'after the provider\'s budget, the verdict or the fallback must still be recorded before the deadline; unset, it is DECISION_TIMEOUT_MS + 500',
  ];
}

export class MonitoringEnv extends EnvSection {
  @EnvRule('providers', providerProblems)
  MONITORING_PROVIDER = 'rules';

  @EnvRule<MonitoringEnv>('shadowProviders', (shadow, env) => [
    ...providerProblems(shadow),
    ...(shadow !== undefined && sameProviders(shadow, env.MONITORING_PROVIDER)
      ? ['must differ from MONITORING_PROVIDER (a challenger compared with itself says nothing)']
      : []),
  ])
  MONITORING_SHADOW_PROVIDER?: string;

  /**
   * Version 1 of the rule set on an empty database, and the rules when run without PostgreSQL.
   * Read here too, with the rest of the configuration: a file that cannot be used is named in the
   * one message that stops the start, not thrown later from inside the dependency injection.
   */
  @EnvRule('rulesFile', (file) => rulesFileProblems(resolve(file ?? SHIPPED_RULES_FILE)))
  RULES_FILE = SHIPPED_RULES_FILE;

  @WholeNumber(1, 60_000)
  DECISION_TIMEOUT_MS = '1500';

  /** Validate answers by then whatever the database does; unset: DECISION_TIMEOUT_MS + 500. */
  @WholeNumber(100, 120_000)
  @EnvRule<MonitoringEnv>('deadlineAfterDecision', (raw, env) => deadlineProblems(raw, env.DECISION_TIMEOUT_MS))
  VALIDATE_DEADLINE_MS?: string;

  @IsIn(['PENDING_EXTERNAL_APPROVAL', 'REJECTED'], { message: 'FALLBACK_STATUS: must be PENDING_EXTERNAL_APPROVAL or REJECTED (got "$value")' })
  FALLBACK_STATUS = 'PENDING_EXTERNAL_APPROVAL';

  /**
   * The Standard Webhooks secret of providers without their own (below). The signature does not
   * cover the provider named in the callback path, so two live providers may not share one.
   */
  @StandardWebhooksSecret()
  @EnvRule<MonitoringEnv>('sharedCallbackSecret', (_secret, env) => {
    const providers = providerNamesOf(env.MONITORING_PROVIDER);
    const { rules, http } = callbackSecretsOf(env);
    return providers.includes('rules') && providers.includes('http') && rules !== undefined && rules === http
      ? [
          'rules and http would share one callback secret, so a callback signed for one would be accepted by the other; ' +
            'set RULES_WEBHOOK_SECRET and MONITORING_HTTP_WEBHOOK_SECRET to different secrets',
        ]
      : [];
  })
  MONITORING_WEBHOOK_SECRET?: string;

  /** The rules provider's own callback secret (an in-house case tool beside the rules); unset: MONITORING_WEBHOOK_SECRET. */
  @StandardWebhooksSecret()
  RULES_WEBHOOK_SECRET?: string;

  /** The http provider's own callback secret; unset: MONITORING_WEBHOOK_SECRET. */
  @StandardWebhooksSecret()
  MONITORING_HTTP_WEBHOOK_SECRET?: string;

  @WholeNumber(1, 43_200)
  LATE_SCREENING_MAX_AGE_MINUTES = '1440';

  /** Budget of one late screening (at least DECISION_TIMEOUT_MS), and its retry schedule. */
  @WholeNumber(100, 120_000)
  LATE_SCREENING_TIMEOUT_MS = '10000';

  @WholeNumber(10, 60_000)
  LATE_SCREENING_RETRY_BASE_MS = '2000';

  @WholeNumber(1, 86_400)
  LATE_SCREENING_RETRY_MAX_DELAY_SECONDS = '300';

  @WholeNumber(1, 120_000)
  MONITORING_SHADOW_TIMEOUT_MS = '10000';

  /** Challenger calls in flight at once; beyond it a shadow verdict is recorded as skipped. */
  @WholeNumber(1, 100_000)
  MONITORING_SHADOW_MAX_IN_FLIGHT = '1000';

  @WholeNumber(1, 1_000)
  PROVIDER_BREAKER_THRESHOLD = '5';

  @WholeNumber(10, 3_600_000)
  PROVIDER_BREAKER_HALF_OPEN_MS = '10000';
}

export const monitoringConfig = defineNamespace('monitoring', MonitoringEnv, (env) => ({
  /** MONITORING_PROVIDER as written: one provider name, or several joined with "+". */
  provider: env.MONITORING_PROVIDER,
  /** The providers asked together (one for a single provider). */
  providers: providerNamesOf(env.MONITORING_PROVIDER) as readonly MonitoringProviderName[],
  /** The challenger, asked off the hot path; empty: none. */
  shadowProviders: providerNamesOf(env.MONITORING_SHADOW_PROVIDER) as readonly MonitoringProviderName[],
  shadowTimeoutMs: Number(env.MONITORING_SHADOW_TIMEOUT_MS),
  shadowMaxInFlight: Number(env.MONITORING_SHADOW_MAX_IN_FLIGHT),
  /** Consecutive failures that open a provider's circuit breaker, and how long it stays open. */
  breakerThreshold: Number(env.PROVIDER_BREAKER_THRESHOLD),
  breakerHalfOpenMs: Number(env.PROVIDER_BREAKER_HALF_OPEN_MS),
  rulesFile: resolve(env.RULES_FILE),
  decisionTimeoutMs: Number(env.DECISION_TIMEOUT_MS),
  /** Validate's answer by then (503 when it could not decide); also bounds each of its statements. */
  validateDeadlineMs: env.VALIDATE_DEADLINE_MS === undefined ? Number(env.DECISION_TIMEOUT_MS) + 500 : Number(env.VALIDATE_DEADLINE_MS),
  fallbackStatus: env.FALLBACK_STATUS as FallbackStatus,
  /** Standard Webhooks secrets (whsec_...) of the providers without a callback format of their own; unset: no callbacks. */
  callbackSecrets: callbackSecretsOf(env) as { readonly rules?: string; readonly http?: string },
  /** How long the provider is asked again after failing at validate. */
  lateScreeningMaxAgeMs: Number(env.LATE_SCREENING_MAX_AGE_MINUTES) * 60_000,
  lateScreeningTimeoutMs: Number(env.LATE_SCREENING_TIMEOUT_MS),
  lateScreeningRetryBaseMs: Number(env.LATE_SCREENING_RETRY_BASE_MS),
  lateScreeningRetryMaxDelayMs: Number(env.LATE_SCREENING_RETRY_MAX_DELAY_SECONDS) * 1000,
}));
