// The `vendors` namespace: how to reach each monitoring vendor (Flagright, Marble, an in-house http engine) when it is enabled.
import { Matches, ValidateIf } from 'class-validator';
import { EnvSection } from './env-section';
import { EnvRule, HeaderName, httpUrlProblems, NoWhitespace, ProductionSecret, RequiredInProduction } from './env-rules';
import { defineNamespace } from './namespace';
import { Secret, SecretHeader } from './secrets';

/** The embedded rules provider and every vendor of this namespace: the names MONITORING_PROVIDER accepts. */
export const MONITORING_PROVIDERS = ['rules', 'flagright', 'marble', 'http'] as const;
export type MonitoringProviderName = (typeof MONITORING_PROVIDERS)[number];

/** A provider variable split on "+": one provider, or several asked together; empty when unset. */
export function providerNamesOf(value: string | undefined): string[] {
  return value === undefined ? [] : value.split('+').map((part) => part.trim());
}

const FLAGRIGHT_SANDBOX = 'https://sandbox.api.flagright.com';
const MARBLE_API = 'https://api.checkmarble.com/v1';
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** A vendor's rules apply once it is enabled, live or shadow; MONITORING_PROVIDER's own rules are the monitoring namespace's. */
export class VendorsEnv extends EnvSection {
  MONITORING_PROVIDER = 'rules';
  MONITORING_SHADOW_PROVIDER?: string;

  enabled(adapter: string): boolean {
    return [...providerNamesOf(this.MONITORING_PROVIDER), ...providerNamesOf(this.MONITORING_SHADOW_PROVIDER)].includes(adapter);
  }

  @VendorSecret('flagright', 'Flagright authenticates every call with it')
  FLAGRIGHT_API_KEY?: string;

  @VendorSecret('flagright', "it verifies Flagright's TRANSACTION_STATUS_UPDATED webhooks")
  FLAGRIGHT_WEBHOOK_SECRET?: string;

  @RequiredInProduction<VendorsEnv>("the default is Flagright's sandbox", (env) => env.enabled('flagright'))
  @VendorUrl('flagright', FLAGRIGHT_SANDBOX)
  FLAGRIGHT_API_URL?: string;

  @ValidateIf((env: VendorsEnv) => env.enabled('marble'))
  @Matches(UUID, { message: 'MARBLE_SCENARIO_ID: required when the marble provider is enabled; the UUID of the scenario to run' })
  MARBLE_SCENARIO_ID?: string;

  @VendorUrl('marble', MARBLE_API)
  MARBLE_API_URL?: string;

  @VendorSecret('marble', 'Marble authenticates every call with it')
  MARBLE_API_KEY?: string;

  @VendorSecret('marble', "it verifies Marble's case.decision_reviewed webhooks")
  MARBLE_WEBHOOK_SECRET?: string;

  @HeaderName()
  @SecretHeader()
  MARBLE_WEBHOOK_SIGNATURE_HEADER = 'x-convoy-signature';

  // Whitespace is expected here ("Bearer <token>"): only the value of a header; the credential is what follows the scheme.
  @ProductionSecret((value) => [value.replace(/^[A-Za-z][\w.-]*\s+(?=\S)/, '')])
  @Secret()
  @RequiredInProduction<VendorsEnv>('the in-house engine must be able to authenticate this service', (env) => env.enabled('http'))
  MONITORING_HTTP_AUTH_VALUE?: string;

  @VendorUrl('http')
  MONITORING_HTTP_URL?: string;

  @HeaderName()
  @SecretHeader()
  MONITORING_HTTP_AUTH_HEADER = 'authorization';
}

/** An enabled vendor's URL: its default or the variable, http(s), https and no placeholder in production. */
function VendorUrl(adapter: string, fallback?: string): PropertyDecorator {
  return EnvRule<VendorsEnv>('vendorUrl', (raw, env) => {
    const url = raw ?? fallback;
    if (!env.enabled(adapter)) return [];
    if (url === undefined) return [`required when MONITORING_PROVIDER or MONITORING_SHADOW_PROVIDER includes ${adapter}`];
    return httpUrlProblems(url, env.production);
  });
}

/** An enabled vendor's secret is mandatory in production, and strong there once set. */
function VendorSecret(adapter: string, why: string): PropertyDecorator {
  return (target, property) => {
    ProductionSecret()(target, property);
    NoWhitespace()(target, property);
    RequiredInProduction<VendorsEnv>(why, (env) => env.enabled(adapter))(target, property);
  };
}

export const vendorsConfig = defineNamespace('vendors', VendorsEnv, (env) => ({
  flagright: {
    apiUrl: env.FLAGRIGHT_API_URL ?? FLAGRIGHT_SANDBOX,
    apiKey: env.FLAGRIGHT_API_KEY,
    webhookSecret: env.FLAGRIGHT_WEBHOOK_SECRET,
  },
  marble: {
    apiUrl: env.MARBLE_API_URL ?? MARBLE_API,
    apiKey: env.MARBLE_API_KEY,
    scenarioId: env.MARBLE_SCENARIO_ID ?? '',
    webhookSecret: env.MARBLE_WEBHOOK_SECRET,
    signatureHeader: env.MARBLE_WEBHOOK_SIGNATURE_HEADER.toLowerCase(),
  },
  /** The generic `http` provider for in-house engines. */
  http: {
    url: env.MONITORING_HTTP_URL ?? '',
    authHeader: env.MONITORING_HTTP_AUTH_HEADER.toLowerCase(),
    authValue: env.MONITORING_HTTP_AUTH_VALUE,
  },
}));
