import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { loadConfiguration as loadConfig } from './configuration';
import { configProblemsOf as problemsOf } from '../../test/support/config-problems';

describe('loadConfiguration', () => {
  it('starts a development service from nothing, with a generated key and the shipped rules', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      server: { port: 3000, nodeEnv: 'development' },
      database: { url: undefined },
      toqio: { apiKeyGenerated: true, apiKeyHeader: 'x-api-key', previousApiKeys: [], webhookUrl: undefined },
      monitoring: { provider: 'rules', decisionTimeoutMs: 1500, fallbackStatus: 'PENDING_EXTERNAL_APPROVAL' },
      analysts: { tokens: [] },
      payments: { payto: { apiKeyHeader: 'apikey' } },
    });
    expect(config.toqio.apiKey).toMatch(/^dev_.{20,}/);
    expect(config.monitoring.rulesFile).toMatch(/config\/rules\.yaml$/);
    expect(loadConfig({}).toqio.apiKey).not.toBe(config.toqio.apiKey);
  });

  it('ignores what the environment holds besides variables, even names the sections use for their own properties', () => {
    const env = Object.fromEntries([['production', 'yes'], ['__proto__', 'x'], ['NODE_ENV', 'development']]);
    expect(loadConfig(env)).toMatchObject({ server: { nodeEnv: 'development' } });
  });

  it('reads every variable of the contract', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'postgresql://u:p@db:5432/tm',
      TOQIO_API_KEY: 'k1',
      TOQIO_API_KEY_HEADER: 'X-Toqio-Key',
      TOQIO_PREVIOUS_API_KEYS: 'k0, kminus1',
      TOQIO_WEBHOOK_URL: 'https://core.sandbox.toq.io/webhooks/integration/ACME/webhookType/TRANSACTION_MONITORING_STATUS_UPDATED',
      DECISION_TIMEOUT_MS: '800',
      FALLBACK_STATUS: 'REJECTED',
      ANALYST_TOKENS: 'alice:tok-a, bob:tok-b',
      FOUR_EYES_THRESHOLD: '50000.00',
      PAYSTACK_SECRET_KEY: 'sk_test_x',
      PAYSTACK_ALLOWED_IPS: '52.31.139.75,52.49.173.169',
    });
    expect(config).toMatchObject({
      server: { port: 8080 },
      database: { url: 'postgresql://u:p@db:5432/tm' },
      toqio: { apiKey: 'k1', apiKeyGenerated: false, apiKeyHeader: 'x-toqio-key', previousApiKeys: ['k0', 'kminus1'] },
      monitoring: { decisionTimeoutMs: 800, fallbackStatus: 'REJECTED' },
      analysts: { tokens: [{ name: 'alice', token: 'tok-a', role: 'analyst' }, { name: 'bob', token: 'tok-b', role: 'analyst' }], fourEyesThreshold: '50000' },
      payments: { paystack: { secretKey: 'sk_test_x', allowedIps: ['52.31.139.75', '52.49.173.169'] } },
    });
  });

  it('refuses a DATABASE_URL without the // that pg needs to find the host, and takes the forms pg reads', () => {
    const problem = 'DATABASE_URL: must be a postgres:// or postgresql:// URL, such as postgres://user:password@host:5432/database';
    for (const url of ['postgresql:postgres@127.0.0.1:5432/tm', 'postgres:/db/tm', 'postgres:tm']) expect(problemsOf({ DATABASE_URL: url })).toEqual([problem]);
    for (const url of ['postgres://db/tm', 'POSTGRESQL://u:p@db:5432/tm', 'postgres:///tm?host=/var/run/postgresql']) expect(problemsOf({ DATABASE_URL: url })).toEqual([]);
  });

  it('names every wrong or missing variable in one error', () => {
    expect(
      problemsOf({
        NODE_ENV: 'production',
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        MONITORING_PROVIDER: 'oracle',
        DECISION_TIMEOUT_MS: '0',
        FALLBACK_STATUS: 'APPROVED',
        ANALYST_TOKENS: 'alice',
        FOUR_EYES_THRESHOLD: '-1',
        PAYSTACK_ALLOWED_IPS: 'not-an-ip',
        PAYTO_API_KEY: 'k',
        TOQIO_API_KEY_HEADER: 'bad header',
      }),
    ).toEqual([
      'PORT: must be a whole number between 0 and 65535 (got "eighty")',
      'DATABASE_URL: must be a postgres:// or postgresql:// URL, such as postgres://user:password@host:5432/database',
      'TOQIO_API_KEY: required when NODE_ENV=production (Toqio authenticates with it in both directions)',
      'TOQIO_API_KEY_HEADER: "bad header" is not a valid HTTP header name',
      'TOQIO_WEBHOOK_URL: required when NODE_ENV=production (decisions on pending transactions are delivered there)',
      'ANALYST_TOKENS: every entry must be name:token or name:token:role',
      'FOUR_EYES_THRESHOLD: must be a positive decimal amount (got "-1")',
      'MONITORING_PROVIDER: unknown provider "oracle" (known: rules, flagright, marble, http, or several joined with "+")',
      'DECISION_TIMEOUT_MS: must be a whole number between 1 and 60000 (got "0")',
      'FALLBACK_STATUS: must be PENDING_EXTERNAL_APPROVAL or REJECTED (got "APPROVED")',
      'PAYSTACK_ALLOWED_IPS: "not-an-ip" is not an IP address',
      'PAYTO_API_KEY: must be at least 16 characters when NODE_ENV=production',
      'PAYTO_SIGNING_PUBLIC_KEY: required when PAYTO_API_KEY switches the PayTo module on',
    ]);
    // Several problems of one variable are each named, in the order a reader fixes them.
    expect(problemsOf({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/tm', TOQIO_API_KEY: 'dev key', TOQIO_WEBHOOK_URL: 'https://t/x', ANALYST_TOKENS: 'a:0123456789abcdef,A:fedcba9876543210,b:short' })).toEqual([
      'TOQIO_API_KEY: must not contain whitespace',
      'TOQIO_API_KEY: must be at least 16 characters when NODE_ENV=production',
      'ANALYST_TOKENS: the name or token of "A" is used twice (names in any case)',
      'ANALYST_TOKENS: the token of "b" must be at least 16 characters when NODE_ENV=production',
    ]);
  });

  it('refuses a VALIDATE_DEADLINE_MS that leaves no time after the provider\'s budget to record its fallback', () => {
    expect(problemsOf({ DECISION_TIMEOUT_MS: '1500', VALIDATE_DEADLINE_MS: '1600' })).toEqual([
      'VALIDATE_DEADLINE_MS: must be at least DECISION_TIMEOUT_MS + 200 (1700; got "1600"): after the provider\'s budget, the verdict or the fallback must still be recorded before the deadline; unset, it is DECISION_TIMEOUT_MS + 500',
    ]);
    expect(problemsOf({ VALIDATE_DEADLINE_MS: '1000' })).toHaveLength(1); // against the default 1,500 ms budget
    expect(problemsOf({ DECISION_TIMEOUT_MS: '300', VALIDATE_DEADLINE_MS: '500' })).toEqual([]);
    expect(loadConfig({ DECISION_TIMEOUT_MS: '300', VALIDATE_DEADLINE_MS: '1000' }).monitoring.validateDeadlineMs).toBe(1000);
    // A value that is not a number is named once, by its own rule.
    expect(problemsOf({ VALIDATE_DEADLINE_MS: 'soon' })).toEqual(['VALIDATE_DEADLINE_MS: must be a whole number between 100 and 120000 (got "soon")']);
  });

  it("reads each analyst's role, analyst when none is given, and names an unknown role", () => {
    const config = loadConfig({ ANALYST_TOKENS: 'vic:tok-v:viewer, ann:tok-a, sue:tok-s:supervisor, ada:tok-d:admin', FOUR_EYES_SECOND_ROLE: 'supervisor' });
    expect(config.analysts).toMatchObject({
      tokens: [
        { name: 'vic', token: 'tok-v', role: 'viewer' },
        { name: 'ann', token: 'tok-a', role: 'analyst' },
        { name: 'sue', token: 'tok-s', role: 'supervisor' },
        { name: 'ada', token: 'tok-d', role: 'admin' },
      ],
      fourEyesSecondRole: 'supervisor',
    });
    expect(loadConfig({}).analysts).toMatchObject({ fourEyesSecondRole: 'analyst' });
    expect(problemsOf({ ANALYST_TOKENS: 'bob:tok-b:root,eve:tok:e:Admin', FOUR_EYES_SECOND_ROLE: 'boss' })).toEqual([
      'ANALYST_TOKENS: the role of "bob" is "root"; it must be one of viewer, analyst, supervisor, admin',
      'ANALYST_TOKENS: the role of "eve" is "Admin"; it must be one of viewer, analyst, supervisor, admin',
      'FOUR_EYES_SECOND_ROLE: must be one of analyst, supervisor, admin, the roles that may decide (got "boss")',
    ]);
  });

  it('refuses viewer as FOUR_EYES_SECOND_ROLE: a viewer cannot decide, so it would silently mean analyst', () => {
    expect(problemsOf({ FOUR_EYES_SECOND_ROLE: 'viewer' })).toEqual([
      'FOUR_EYES_SECOND_ROLE: must be one of analyst, supervisor, admin, the roles that may decide (got "viewer")',
    ]);
    for (const role of ['analyst', 'supervisor', 'admin']) expect(loadConfig({ FOUR_EYES_SECOND_ROLE: role }).analysts.fourEyesSecondRole).toBe(role);
  });

  it('reads single sign-on from its three variables together, or none of them', () => {
    expect(loadConfig({}).analysts.oidc).toBeUndefined();
    const oidc = { ANALYST_OIDC_ISSUER: 'https://id.example.com/realms/tm', ANALYST_OIDC_AUDIENCE: 'toqio-tm', ANALYST_OIDC_ROLES_CLAIM: 'realm_access.roles' };
    expect(loadConfig(oidc).analysts.oidc).toEqual({ issuer: 'https://id.example.com/realms/tm', audience: 'toqio-tm', rolesClaim: 'realm_access.roles', nameClaim: 'preferred_username', jwksCooldownMs: 30_000 });
    expect(loadConfig({ ...oidc, ANALYST_OIDC_NAME_CLAIM: 'email' }).analysts.oidc?.nameClaim).toBe('email');
    expect(loadConfig({ ...oidc, ANALYST_OIDC_JWKS_COOLDOWN_SECONDS: '5' }).analysts.oidc?.jwksCooldownMs).toBe(5_000);
    expect(problemsOf({ ANALYST_OIDC_ISSUER: 'https://id.example.com/realms/tm' })).toEqual([
      'ANALYST_OIDC_ISSUER: single sign-on needs ANALYST_OIDC_ISSUER, ANALYST_OIDC_AUDIENCE, ANALYST_OIDC_ROLES_CLAIM together; ANALYST_OIDC_AUDIENCE and ANALYST_OIDC_ROLES_CLAIM are missing',
    ]);
    expect(problemsOf({ ANALYST_OIDC_AUDIENCE: 'toqio-tm', ANALYST_OIDC_ROLES_CLAIM: 'roles' })).toEqual([
      'ANALYST_OIDC_ISSUER: single sign-on needs ANALYST_OIDC_ISSUER, ANALYST_OIDC_AUDIENCE, ANALYST_OIDC_ROLES_CLAIM together; ANALYST_OIDC_ISSUER is missing',
    ]);
    expect(problemsOf({ ...oidc, ANALYST_OIDC_ISSUER: 'id.example.com', ANALYST_OIDC_JWKS_COOLDOWN_SECONDS: 'soon' }).map((p) => p.split(':')[0]).sort()).toEqual([
      'ANALYST_OIDC_ISSUER',
      'ANALYST_OIDC_JWKS_COOLDOWN_SECONDS',
    ]);
    expect(problemsOf({ ...oidc, NODE_ENV: 'production', ANALYST_OIDC_ISSUER: 'http://id.example.com/realms/tm' })).toContain('ANALYST_OIDC_ISSUER: must use https when NODE_ENV=production');
  });

  it('reads the review, callback and delivery settings, with defaults that keep 72 hours of retries', () => {
    expect(loadConfig({})).toMatchObject({
      toqio: { delivery: { requestTimeoutMs: 10_000, retryBaseMs: 1_000, retryMaxDelayMs: 300_000, maxAgeMs: 72 * 3_600_000, concurrency: 64, pollMs: 1_000 } },
      analysts: { pendingSlaMinutes: undefined, claimTtlMinutes: 30 },
      monitoring: { callbackSecrets: { rules: undefined, http: undefined }, lateScreeningMaxAgeMs: 1_440 * 60_000 },
    });
    const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    expect(
      loadConfig({ PENDING_SLA_MINUTES: '240', CLAIM_TTL_MINUTES: '45', MONITORING_WEBHOOK_SECRET: secret, NOTIFICATION_MAX_AGE_HOURS: '24', NOTIFICATION_CONCURRENCY: '4' }),
    ).toMatchObject({
      analysts: { pendingSlaMinutes: 240, claimTtlMinutes: 45 },
      monitoring: { callbackSecrets: { rules: secret, http: secret } },
      toqio: { delivery: { maxAgeMs: 24 * 3_600_000, concurrency: 4 } },
    });
  });

  it('reads the background retry, lease and shadow limits, and their defaults', () => {
    const defaults = loadConfig({});
    expect(defaults.monitoring).toMatchObject({ lateScreeningTimeoutMs: 10_000, lateScreeningRetryBaseMs: 2_000, lateScreeningRetryMaxDelayMs: 300_000, shadowMaxInFlight: 1_000 });
    expect(defaults.payments).toMatchObject({ inboundLeaseMarginMs: 5_000, inboundRetryBaseMs: 1_000, inboundRetryMaxDelayMs: 300_000 });
    const set = loadConfig({
      LATE_SCREENING_TIMEOUT_MS: '20000',
      LATE_SCREENING_RETRY_BASE_MS: '500',
      LATE_SCREENING_RETRY_MAX_DELAY_SECONDS: '60',
      INBOUND_LEASE_MARGIN_MS: '2000',
      INBOUND_RETRY_BASE_MS: '250',
      INBOUND_RETRY_MAX_DELAY_SECONDS: '30',
      MONITORING_SHADOW_MAX_IN_FLIGHT: '50',
    });
    expect(set.monitoring).toMatchObject({ lateScreeningTimeoutMs: 20_000, lateScreeningRetryBaseMs: 500, lateScreeningRetryMaxDelayMs: 60_000, shadowMaxInFlight: 50 });
    expect(set.payments).toMatchObject({ inboundLeaseMarginMs: 2_000, inboundRetryBaseMs: 250, inboundRetryMaxDelayMs: 30_000 });
    expect(problemsOf({ LATE_SCREENING_RETRY_BASE_MS: '0', INBOUND_LEASE_MARGIN_MS: 'soon', MONITORING_SHADOW_MAX_IN_FLIGHT: '0' }).map((p) => p.split(':')[0]).sort()).toEqual([
      'INBOUND_LEASE_MARGIN_MS',
      'LATE_SCREENING_RETRY_BASE_MS',
      'MONITORING_SHADOW_MAX_IN_FLIGHT',
    ]);
  });

  it('refuses review and delivery settings out of range, naming each', () => {
    const problems = problemsOf({
      PENDING_SLA_MINUTES: '0',
      CLAIM_TTL_MINUTES: '0',
      MONITORING_WEBHOOK_SECRET: 'whsec_short',
      NOTIFICATION_RETRY_BASE_MS: '6000',
      NOTIFICATION_MAX_AGE_HOURS: 'forever',
      NOTIFICATION_CONCURRENCY: '0',
    });
    expect(problems.map((problem) => problem.split(':')[0]).sort()).toEqual([
      'CLAIM_TTL_MINUTES',
      'MONITORING_WEBHOOK_SECRET',
      'NOTIFICATION_CONCURRENCY',
      'NOTIFICATION_MAX_AGE_HOURS',
      'NOTIFICATION_RETRY_BASE_MS',
      'PENDING_SLA_MINUTES',
    ]);
  });

  it('starts in production once the secrets are there', () => {
    const production = { NODE_ENV: 'production', DATABASE_URL: 'postgres://db/tm', TOQIO_API_KEY: 'issued-by-toqio-0001', TOQIO_WEBHOOK_URL: 'https://core.toq.io/webhooks/x' };
    const config = loadConfig(production);
    expect(config.toqio.apiKeyGenerated).toBe(false);
    expect(problemsOf({ ...production, TOQIO_WEBHOOK_URL: 'http://core.toq.io/x' })).toEqual([
      'TOQIO_WEBHOOK_URL: must use https when NODE_ENV=production',
    ]);
  });

  it('refuses to start in production on any development default', () => {
    expect(problemsOf({ NODE_ENV: 'production', TOQIO_API_KEY: 'dev_0123456789abcdef', TOQIO_PREVIOUS_API_KEYS: 'old', TOQIO_WEBHOOK_URL: 'https://t/x' })).toEqual([
      'DATABASE_URL: required when NODE_ENV=production (the embedded PostgreSQL is for development only)',
      'TOQIO_API_KEY: must not be a development key (dev_...) when NODE_ENV=production',
      'TOQIO_PREVIOUS_API_KEYS: must be at least 16 characters when NODE_ENV=production',
    ]);
    expect(problemsOf({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/tm', TOQIO_API_KEY: 'short', TOQIO_WEBHOOK_URL: 'https://t/x' })).toEqual([
      'TOQIO_API_KEY: must be at least 16 characters when NODE_ENV=production',
    ]);
    // The same short values are fine outside production.
    expect(problemsOf({ TOQIO_API_KEY: 'short', TOQIO_PREVIOUS_API_KEYS: 'old' })).toEqual([]);
  });

  it('refuses whitespace inside a key of TOQIO_PREVIOUS_API_KEYS, as in TOQIO_API_KEY, in every environment', () => {
    const problem = 'TOQIO_PREVIOUS_API_KEYS: a key must not contain whitespace (keys are separated by commas)';
    expect(problemsOf({ TOQIO_PREVIOUS_API_KEYS: 'a b' })).toEqual([problem]);
    expect(problemsOf({ TOQIO_PREVIOUS_API_KEYS: 'old-key-0123456789, older\tkey-0123456789' })).toEqual([problem]);
    expect(problemsOf({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/tm', TOQIO_API_KEY: 'issued-by-toqio-0001', TOQIO_WEBHOOK_URL: 'https://t/x', TOQIO_PREVIOUS_API_KEYS: 'old key-0123456789' })).toEqual([problem]);
    // Blanks around the commas are no part of a key.
    expect(loadConfig({ TOQIO_PREVIOUS_API_KEYS: ' k0 ,  kminus1 ' }).toqio.previousApiKeys).toEqual(['k0', 'kminus1']);
  });

  it('counts an empty value as unset: the default applies, and production still refuses a required variable left empty', () => {
    const config = loadConfig({ PORT: '', DATABASE_POOL_SIZE: ' ', TOQIO_API_KEY: '', TOQIO_API_KEY_HEADER: '', FOUR_EYES_SECOND_ROLE: '' });
    expect(config).toMatchObject({ server: { port: 3000 }, database: { poolSize: 20 }, toqio: { apiKeyGenerated: true, apiKeyHeader: 'x-api-key' }, analysts: { fourEyesSecondRole: 'analyst' } });
    expect(problemsOf({ NODE_ENV: 'production', DATABASE_URL: '', TOQIO_API_KEY: '', TOQIO_WEBHOOK_URL: ' ' })).toEqual([
      'DATABASE_URL: required when NODE_ENV=production (the embedded PostgreSQL is for development only)',
      'TOQIO_API_KEY: required when NODE_ENV=production (Toqio authenticates with it in both directions)',
      'TOQIO_WEBHOOK_URL: required when NODE_ENV=production (decisions on pending transactions are delivered there)',
    ]);
    // NODE_ENV itself left empty is unset too: development.
    expect(loadConfig({ NODE_ENV: '' }).server.nodeEnv).toBe('development');
  });

  it('refuses a DATABASE_POOL_SIZE below 3, which the two pools could not keep to', () => {
    expect(problemsOf({ DATABASE_POOL_SIZE: '2' })).toEqual([
      "DATABASE_POOL_SIZE: must be a whole number between 3 and 500 (got \"2\"); validate's pool needs 1 connection and the main pool 2 (migrations hold a lock on one while they run on another)",
    ]);
    expect(problemsOf({ DATABASE_POOL_SIZE: '1' })).toHaveLength(1);
    expect(loadConfig({ DATABASE_POOL_SIZE: '3' }).database.poolSize).toBe(3);
    expect(problemsOf({ DATABASE_POOL_SIZE: '501' })).toHaveLength(1);
  });

  describe('weak secrets in production', () => {
    const production = { NODE_ENV: 'production', DATABASE_URL: 'postgres://db/tm', TOQIO_API_KEY: 'issued-by-toqio-0001', TOQIO_WEBHOOK_URL: 'https://core.toq.io/webhooks/x' };
    const pem = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();

    it('refuses every enabled secret under 16 characters or left a placeholder, naming them all at once', () => {
      const problems = problemsOf({
        ...production,
        DATABASE_URL: 'postgres://tm:CHANGE-ME@db/tm',
        TOQIO_API_KEY: 'CHANGE-ME-issued-by-toqio',
        TOQIO_PREVIOUS_API_KEYS: 'replace-me-with-the-old-key',
        ANALYST_TOKENS: 'alice:CHANGE-ME-32-random-chars',
        PAYSTACK_SECRET_KEY: 'k',
        PAYTO_API_KEY: 'x',
        PAYTO_SIGNING_PUBLIC_KEY: pem,
        MONITORING_PROVIDER: 'flagright+marble+http',
        MARBLE_SCENARIO_ID: '0b3c1f7e-8d9a-4c4e-9a51-2f6d7c1e9b10',
        MONITORING_HTTP_URL: 'https://engine/screen',
        FLAGRIGHT_API_URL: 'https://eu-1.api.flagright.com',
        FLAGRIGHT_API_KEY: 'k1',
        FLAGRIGHT_WEBHOOK_SECRET: 's1',
        MARBLE_API_KEY: '<your-marble-api-key>',
        MARBLE_WEBHOOK_SECRET: 'short',
        MONITORING_HTTP_AUTH_VALUE: 'Bearer x',
      });
      const named = problems.map((problem) => problem.slice(0, problem.indexOf(':')));
      expect(named.sort()).toEqual(
        [
          'ANALYST_TOKENS',
          'DATABASE_URL',
          'FLAGRIGHT_API_KEY',
          'FLAGRIGHT_WEBHOOK_SECRET',
          'MARBLE_API_KEY',
          'MARBLE_WEBHOOK_SECRET',
          'MONITORING_HTTP_AUTH_VALUE',
          'PAYSTACK_SECRET_KEY',
          'PAYTO_API_KEY',
          'TOQIO_API_KEY',
          'TOQIO_PREVIOUS_API_KEYS',
        ].sort(),
      );
      expect(problems).toContain('PAYTO_API_KEY: must be at least 16 characters when NODE_ENV=production');
      expect(problems).toContain('TOQIO_API_KEY: must not be a placeholder ("CHANGE-ME") when NODE_ENV=production');
      expect(problems).toContain('DATABASE_URL: its password must not be a placeholder ("CHANGE-ME") when NODE_ENV=production');
      // Outside production the same values start (a laptop, a test).
      expect(problemsOf({ ...production, ...{ NODE_ENV: 'development', PAYSTACK_SECRET_KEY: 'k', PAYTO_API_KEY: 'x', PAYTO_SIGNING_PUBLIC_KEY: pem } })).toEqual([]);
    });

    it('refuses a placeholder left in any URL production requires or checks, as deploy/k8s/configmap.yaml ships TOQIO_WEBHOOK_URL', () => {
      const configMap = parseYaml(readFileSync(resolve(__dirname, '../../deploy/k8s/configmap.yaml'), 'utf8')) as { data: Record<string, string> };
      expect(problemsOf({ ...configMap.data, DATABASE_URL: 'postgres://db/tm', TOQIO_API_KEY: 'issued-by-toqio-0001' })).toEqual([
        'TOQIO_WEBHOOK_URL: must not be a placeholder ("<...>" or "...") when NODE_ENV=production',
      ]);
      const urls = {
        TOQIO_WEBHOOK_URL: 'https://core.toq.io/webhooks/integration/<INTEGRATION>/webhookType/TRANSACTION_MONITORING_STATUS_UPDATED',
        EVENTS_WEBHOOK_URL: 'https://alerts.internal/CHANGE-ME',
        EVENTS_WEBHOOK_SECRET: `whsec_${Buffer.alloc(32, 3).toString('base64')}`,
        ANALYST_OIDC_ISSUER: 'https://id.example.com/realms/<realm>',
        ANALYST_OIDC_AUDIENCE: 'toqio-tm',
        ANALYST_OIDC_ROLES_CLAIM: 'roles',
        PAYSTACK_API_URL: 'https://api.paystack.co/...',
        MONITORING_PROVIDER: 'flagright+marble+http',
        FLAGRIGHT_API_URL: 'https://api.flagright.com/<region>',
        FLAGRIGHT_API_KEY: 'flagright-key-0123456789',
        FLAGRIGHT_WEBHOOK_SECRET: 'flagright-secret-0123456789',
        MARBLE_SCENARIO_ID: '0b3c1f7e-8d9a-4c4e-9a51-2f6d7c1e9b10',
        MARBLE_API_URL: 'https://marble.internal/replace-me',
        MARBLE_API_KEY: 'marble-key-0123456789',
        MARBLE_WEBHOOK_SECRET: 'marble-secret-0123456789',
        MONITORING_HTTP_URL: 'http://engine.internal/placeholder',
        MONITORING_HTTP_AUTH_VALUE: 'Bearer engine-token-0123456789',
      };
      const problems = problemsOf({ ...production, ...urls });
      expect(problems).toEqual(
        expect.arrayContaining([
          'TOQIO_WEBHOOK_URL: must not be a placeholder ("<...>" or "...") when NODE_ENV=production',
          'EVENTS_WEBHOOK_URL: must not be a placeholder ("CHANGE-ME") when NODE_ENV=production',
          'MONITORING_HTTP_URL: must use https when NODE_ENV=production',
          'MONITORING_HTTP_URL: must not be a placeholder ("placeholder") when NODE_ENV=production',
        ]),
      );
      expect(problems.every((problem) => /must not be a placeholder|must use https/.test(problem))).toBe(true);
      expect(problems.map((problem) => problem.slice(0, problem.indexOf(':'))).sort()).toEqual(
        ['ANALYST_OIDC_ISSUER', 'EVENTS_WEBHOOK_URL', 'FLAGRIGHT_API_URL', 'MARBLE_API_URL', 'MONITORING_HTTP_URL', 'MONITORING_HTTP_URL', 'PAYSTACK_API_URL', 'TOQIO_WEBHOOK_URL'].sort(),
      );
      // Development keeps accepting them, as it accepts a template's secrets.
      expect(problemsOf({ ...production, ...urls, NODE_ENV: 'development' })).toEqual([]);
      // Percent-encoded on its way through a browser or an encoder, the placeholder is still one.
      const encoded = 'https://core.toq.io/webhooks/integration/%3CINTEGRATION%3E/webhookType/TRANSACTION_MONITORING_STATUS_UPDATED';
      expect(problemsOf({ ...production, TOQIO_WEBHOOK_URL: encoded })).toEqual(['TOQIO_WEBHOOK_URL: must not be a placeholder ("<...>" or "...") when NODE_ENV=production']);
      expect(problemsOf({ ...production, TOQIO_WEBHOOK_URL: 'https://core.toq.io/webhooks/integration/a%2Fb%ZZ/webhookType/X' })).toEqual([]);
    });

    it('lists every configured secret for the logs to mask, a PEM private key line by line', () => {
      const key = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      const config = loadConfig({ PAYSTACK_SECRET_KEY: 'sk_test_0123456789abcdef', PAYTO_DECRYPTION_PRIVATE_KEY: key, DATABASE_URL: 'postgres://u:p%40ss-word@db/tm', MARBLE_WEBHOOK_SIGNATURE_HEADER: 'X-Marble-Sig' });
      expect(config.secrets.values).toEqual(expect.arrayContaining(['sk_test_0123456789abcdef', 'p@ss-word', 'p%40ss-word', key.split('\n')[1]]));
      expect(config.secrets.headers).toEqual(expect.arrayContaining(['x-api-key', 'apikey', 'x-marble-sig', 'authorization']));
    });

    it('refuses every value of the shipped deploy/k8s/secret.example.yaml', () => {
      const example = parseYaml(readFileSync(resolve(__dirname, '../../deploy/k8s/secret.example.yaml'), 'utf8')) as { stringData: Record<string, string> };
      const problems = problemsOf({ ...production, ...example.stringData });
      for (const name of Object.keys(example.stringData)) expect(problems.some((problem) => problem.startsWith(`${name}:`))).toBe(true);
    });
  });

  it('gives each Standard Webhooks provider its own callback secret: rules+http may not share MONITORING_WEBHOOK_SECRET', () => {
    const shared = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;
    const other = `whsec_${Buffer.alloc(32, 2).toString('base64')}`;
    const both = { MONITORING_PROVIDER: 'rules+http', MONITORING_HTTP_URL: 'http://engine/screen' };
    expect(problemsOf({ ...both, MONITORING_WEBHOOK_SECRET: shared })).toEqual([
      'MONITORING_WEBHOOK_SECRET: rules and http would share one callback secret, so a callback signed for one would be accepted by the other; set RULES_WEBHOOK_SECRET and MONITORING_HTTP_WEBHOOK_SECRET to different secrets',
    ]);
    expect(problemsOf({ ...both, RULES_WEBHOOK_SECRET: shared, MONITORING_HTTP_WEBHOOK_SECRET: shared })).toHaveLength(1);
    expect(loadConfig({ ...both, RULES_WEBHOOK_SECRET: shared, MONITORING_HTTP_WEBHOOK_SECRET: other }).monitoring.callbackSecrets).toEqual({ rules: shared, http: other });
    // One provider alone keeps the shared variable, as before.
    expect(loadConfig({ MONITORING_WEBHOOK_SECRET: shared }).monitoring.callbackSecrets).toEqual({ rules: shared, http: shared });
    expect(loadConfig({ ...both, MONITORING_WEBHOOK_SECRET: shared, RULES_WEBHOOK_SECRET: other }).monitoring.callbackSecrets).toEqual({ rules: other, http: shared });
  });

  it('reads the logging, metrics, proxy and rate-limit settings', () => {
    expect(loadConfig({}).operations).toEqual({
      logLevel: 'info',
      metricsEnabled: true,
      trustProxy: false,
      analystRateLimitPerMinute: 1_200,
      webhookRateLimitPerMinute: 6_000,
    });
    expect(
      loadConfig({ LOG_LEVEL: 'SILENT', METRICS_ENABLED: 'false', TRUST_PROXY: '10.0.0.0/8, 127.0.0.1', ANALYST_RATE_LIMIT_PER_MINUTE: '5', WEBHOOK_RATE_LIMIT_PER_MINUTE: '7' })
        .operations,
    ).toEqual({ logLevel: 'silent', metricsEnabled: false, trustProxy: ['10.0.0.0/8', '127.0.0.1'], analystRateLimitPerMinute: 5, webhookRateLimitPerMinute: 7 });
    expect(loadConfig({ TRUST_PROXY: '2' }).operations.trustProxy).toBe(2);
    expect(problemsOf({ LOG_LEVEL: 'loud', METRICS_ENABLED: 'yes', TRUST_PROXY: '10.0.0.0/33', WEBHOOK_RATE_LIMIT_PER_MINUTE: '0' })).toEqual([
      'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
      'METRICS_ENABLED: must be true or false (got "yes")',
      'TRUST_PROXY: "10.0.0.0/33" is not an IP address or CIDR range (or use a hop count, or false)',
      'WEBHOOK_RATE_LIMIT_PER_MINUTE: must be a whole number between 1 and 1000000 (got "0")',
    ]);
  });

  describe('monitoring providers', () => {
    const production = { NODE_ENV: 'production', DATABASE_URL: 'postgres://db/tm', TOQIO_API_KEY: 'issued-by-toqio-0001', TOQIO_WEBHOOK_URL: 'https://core.toq.io/webhooks/x' };

    it('reads a combination and a shadow challenger, with breaker defaults', () => {
      const config = loadConfig({ MONITORING_PROVIDER: 'rules+flagright', MONITORING_SHADOW_PROVIDER: 'marble', MARBLE_SCENARIO_ID: '0b3c1f7e-8d9a-4c4e-9a51-2f6d7c1e9b10' });
      expect(config.monitoring).toMatchObject({ provider: 'rules+flagright', providers: ['rules', 'flagright'], shadowProviders: ['marble'], breakerThreshold: 5, breakerHalfOpenMs: 10_000, shadowTimeoutMs: 10_000 });
      expect(config.vendors.flagright.apiUrl).toBe('https://sandbox.api.flagright.com');
      expect(config.vendors.marble).toMatchObject({ apiUrl: 'https://api.checkmarble.com/v1', signatureHeader: 'x-convoy-signature' });
    });

    it('refuses unknown, repeated or self-shadowing providers, and a marble without scenario', () => {
      expect(problemsOf({ MONITORING_PROVIDER: 'rules+rules', MONITORING_SHADOW_PROVIDER: 'acme' })).toEqual([
        'MONITORING_PROVIDER: a provider is named twice in "rules+rules"',
        'MONITORING_SHADOW_PROVIDER: unknown provider "acme" (known: rules, flagright, marble, http, or several joined with "+")',
      ]);
      expect(problemsOf({ MONITORING_PROVIDER: 'rules+http', MONITORING_SHADOW_PROVIDER: 'http+rules', MONITORING_HTTP_URL: 'http://engine/screen' })).toEqual([
        'MONITORING_SHADOW_PROVIDER: must differ from MONITORING_PROVIDER (a challenger compared with itself says nothing)',
      ]);
      expect(problemsOf({ MONITORING_PROVIDER: 'marble' })).toEqual(['MARBLE_SCENARIO_ID: required when the marble provider is enabled; the UUID of the scenario to run']);
      expect(problemsOf({ MONITORING_PROVIDER: 'http' })).toEqual(['MONITORING_HTTP_URL: required when MONITORING_PROVIDER or MONITORING_SHADOW_PROVIDER includes http']);
    });

    it('makes every enabled adapter\'s secrets mandatory in production, live or shadow, and only those', () => {
      expect(problemsOf({ ...production, MONITORING_PROVIDER: 'flagright+http', MONITORING_SHADOW_PROVIDER: 'marble', MARBLE_SCENARIO_ID: '0b3c1f7e-8d9a-4c4e-9a51-2f6d7c1e9b10', MONITORING_HTTP_URL: 'http://engine/screen' })).toEqual([
        'FLAGRIGHT_API_KEY: required when NODE_ENV=production (Flagright authenticates every call with it)',
        "FLAGRIGHT_WEBHOOK_SECRET: required when NODE_ENV=production (it verifies Flagright's TRANSACTION_STATUS_UPDATED webhooks)",
        "FLAGRIGHT_API_URL: required when NODE_ENV=production (the default is Flagright's sandbox)",
        'MARBLE_API_KEY: required when NODE_ENV=production (Marble authenticates every call with it)',
        "MARBLE_WEBHOOK_SECRET: required when NODE_ENV=production (it verifies Marble's case.decision_reviewed webhooks)",
        'MONITORING_HTTP_AUTH_VALUE: required when NODE_ENV=production (the in-house engine must be able to authenticate this service)',
        'MONITORING_HTTP_URL: must use https when NODE_ENV=production',
      ]);
      expect(problemsOf(production)).toEqual([]);
      expect(
        problemsOf({ ...production, MONITORING_PROVIDER: 'flagright', FLAGRIGHT_API_URL: 'https://eu-1.api.flagright.com', FLAGRIGHT_API_KEY: 'flagright-key-0123456789', FLAGRIGHT_WEBHOOK_SECRET: 'flagright-secret-0123456789' }),
      ).toEqual([]);
    });
  });
});
