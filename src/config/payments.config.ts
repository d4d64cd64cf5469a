// The `payments` namespace: the Paystack and PayTo webhook modules (each on when its key is set), the platforms of PAYMENT_PLATFORMS_FILE, and the screening of money they report.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { resolve } from 'node:path';
import { Platform } from '../adapters/payments/platforms/platform-definition';
import { readPlatformsFile } from '../adapters/payments/platforms/platforms-file';
import { Transform } from 'class-transformer';
import { IsIn } from 'class-validator';
import { EnvSection } from './env-section';
import { EnvRule, HeaderName, HttpUrl, IpAddresses, listOf, pemFromEnv, pemSecretLines, ProductionSecret, WholeNumber } from './env-rules';
import { defineNamespace } from './namespace';
import { Secret, SecretHeader } from './secrets';


function parses(parse: (key: string) => unknown, key: string): boolean {
  try {
    parse(key);
    return true;
  } catch {
    return false;
  }
}

export class PaymentsEnv extends EnvSection {
  @ProductionSecret()
  PAYSTACK_SECRET_KEY?: string;

  @IpAddresses()
  PAYSTACK_ALLOWED_IPS?: string;

  /** Charges and transfers are confirmed with Paystack's API before they are acted on. */
  @IsIn(['true', 'false'], { message: 'PAYSTACK_VERIFY: must be true or false (got "$value")' })
  PAYSTACK_VERIFY = 'true';

  @HttpUrl()
  PAYSTACK_API_URL = 'https://api.paystack.co';

  /** Deadline of one call to Paystack's API; a verification makes up to three. */
  @WholeNumber(100, 30_000)
  PAYSTACK_API_TIMEOUT_MS = '3000';

  /** Budget of screening money a payment provider reports received; nobody waits on it. */
  @WholeNumber(100, 120_000)
  INBOUND_SCREENING_TIMEOUT_MS = '10000';

  /** A claim on a payment event outlives its screening by this much, so only a dead worker's is taken over. */
  @WholeNumber(100, 600_000)
  INBOUND_LEASE_MARGIN_MS = '5000';

  @WholeNumber(10, 60_000)
  INBOUND_RETRY_BASE_MS = '1000';

  @WholeNumber(1, 86_400)
  INBOUND_RETRY_MAX_DELAY_SECONDS = '300';

  /** An approved payment no provider reports settled after this long is reported APPROVED_NOT_SETTLED. */
  @WholeNumber(1, 8_760)
  RECONCILIATION_SETTLE_HOURS = '24';

  @ProductionSecret()
  PAYTO_API_KEY?: string;

  @HeaderName()
  @SecretHeader()
  PAYTO_API_KEY_HEADER = 'apikey';

  @Transform(pemFromEnv)
  @EnvRule<PaymentsEnv>('publicKey', (key, env) => {
    if (key === undefined) return env.PAYTO_API_KEY === undefined ? [] : ['required when PAYTO_API_KEY switches the PayTo module on'];
    return parses(createPublicKey, key) ? [] : ['not a PEM public key'];
  })
  PAYTO_SIGNING_PUBLIC_KEY?: string;

  /**
   * YAML describing payment platforms connected without code (POST /webhooks/platforms/<name>).
   * Checked here, with the rest of the configuration, because the secrets it names are variables.
   */
  @EnvRule<PaymentsEnv>('platformsFile', (file, env) => (file === undefined ? [] : readPlatformsFile(resolve(file), env as unknown as Record<string, unknown>, env.production).problems))
  PAYMENT_PLATFORMS_FILE?: string;

  @Transform(pemFromEnv)
  @EnvRule('privateKey', (key) => (key === undefined || parses(createPrivateKey, key) ? [] : ['not a PEM private key']))
  @Secret(pemSecretLines)
  PAYTO_DECRYPTION_PRIVATE_KEY?: string;
}

/** The platforms of PAYMENT_PLATFORMS_FILE, with their secrets: read once the rule above has found nothing wrong. */
function platformsOf(env: PaymentsEnv): readonly Platform[] {
  return env.PAYMENT_PLATFORMS_FILE === undefined ? [] : readPlatformsFile(resolve(env.PAYMENT_PLATFORMS_FILE), env as unknown as Record<string, unknown>, env.production).platforms;
}

export const paymentsConfig = defineNamespace(
  'payments',
  PaymentsEnv,
  (env) => ({
    paystack: {
      secretKey: env.PAYSTACK_SECRET_KEY,
      allowedIps: listOf(env.PAYSTACK_ALLOWED_IPS) as readonly string[],
      verify: env.PAYSTACK_VERIFY === 'true',
      apiUrl: env.PAYSTACK_API_URL,
      apiTimeoutMs: Number(env.PAYSTACK_API_TIMEOUT_MS),
    },
    payto: {
      apiKey: env.PAYTO_API_KEY,
      apiKeyHeader: env.PAYTO_API_KEY_HEADER.toLowerCase(),
      signingPublicKey: env.PAYTO_SIGNING_PUBLIC_KEY,
      decryptionPrivateKey: env.PAYTO_DECRYPTION_PRIVATE_KEY,
    },
    inboundScreeningTimeoutMs: Number(env.INBOUND_SCREENING_TIMEOUT_MS),
    inboundLeaseMarginMs: Number(env.INBOUND_LEASE_MARGIN_MS),
    inboundRetryBaseMs: Number(env.INBOUND_RETRY_BASE_MS),
    inboundRetryMaxDelayMs: Number(env.INBOUND_RETRY_MAX_DELAY_SECONDS) * 1000,
    reconciliationSettleHours: Number(env.RECONCILIATION_SETTLE_HOURS),
    platforms: platformsOf(env),
  }),
  // A platform's secret is named by the file, not declared here: logs mask it (and its signature header) all the same.
  (payments) => ({
    values: payments.platforms.map((platform) => platform.secret),
    headers: payments.platforms.flatMap((platform) => (platform.signature.scheme === 'standard-webhooks' ? ['webhook-signature'] : [platform.signature.header])),
  }),
);
