// Unit spec of PAYMENT_PLATFORMS_FILE's reader: the shipped example, every mistake named at once, secrets from the environment.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfiguration } from '../../../config/configuration';
import { parsePlatforms, readPlatformsFile } from './platforms-file';
import { temporaryDirectory } from '../../../../test/support/temp-dir';

const EXAMPLE = resolve(__dirname, '..', '..', '..', '..', 'config', 'payment-platforms.example.yaml');
const SECRET = 'example-pay-secret-0123456789abcdef';

function fileWith(text: string): string {
  const file = join(temporaryDirectory('platforms'), 'platforms.yaml');
  writeFileSync(file, text);
  return file;
}

describe('the platforms file', () => {
  it('reads the shipped example: the platform of the issue, each event mapped', () => {
    const { platforms, problems } = readPlatformsFile(EXAMPLE, { EXAMPLE_PAY_WEBHOOK_SECRET: SECRET }, false);
    expect(problems).toEqual([]);
    expect(platforms).toHaveLength(1);
    const [platform] = platforms;
    expect(platform).toMatchObject({ name: 'example-pay', secret: SECRET, amountUnit: 'minor', signature: { scheme: 'hmac-sha512', encoding: 'hex', header: 'x-example-signature', prefix: '' } });
    expect(platform!.fields).toMatchObject({ event: ['event'], reference: ['data', 'transaction_id'], counterpartyName: ['data', 'customer', 'name'] });
    expect([...platform!.events]).toEqual([
      ['payment.success', 'inbound'],
      ['payment.failed', 'failed'],
      ['refund.processed', 'refunded'],
      ['transfer.success', 'settled'],
      ['subscription.renew', 'record'],
    ]);
  });

  it('names every mistake at once, with where it is', () => {
    const { problems } = parsePlatforms(`
platforms:
  - name: Acme Pay
    secretEnv: lower
    signature: { scheme: hmac-md5 }
    fields: { reference: "data..id" }
    amountUnit: cents
    minorUnitDigits: { jpy: 0 }
    events: { payment.success: screen }
    colour: blue
  - name: paystack
    secretEnv: OK_SECRET
    signature: { scheme: hmac-sha256, encoding: base32, header: "bad header", timestamp: { header: x-ts, toleranceSeconds: 0 } }
    fields: { event: type }
    events: { charge.success: inbound, payout.done: settled }
`);
    expect(problems).toEqual([
      'platforms[0].colour: unknown key (expected name, secretEnv, signature, fields, amountUnit, minorUnitDigits, events)',
      'platforms[0].name: required, lower-case letters, digits and dashes (at most 40): it is the path /webhooks/platforms/<name>',
      'platforms[0].secretEnv: required, the name of the environment variable holding the secret (upper case, e.g. ACME_WEBHOOK_SECRET)',
      'platforms[0].signature.scheme: must be one of hmac-sha256, hmac-sha512, standard-webhooks',
      'platforms[0].fields.reference: must be a dotted path such as data.customer.name',
      'platforms[0].fields.event: required, the path of the event\'s name',
      'platforms[0].events.payment.success: must be one of inbound, settled, failed, refunded, record',
      'platforms[0].amountUnit: must be minor (whole numbers of the smallest unit) or major',
      'platforms[0].minorUnitDigits.jpy: must be an upper-case currency code with a whole number of digits from 0 to 18',
      'platforms[1].name: "paystack" is reserved for the service\'s own adapter',
      'platforms[1].signature.encoding: must be hex or base64',
      'platforms[1].signature.header: required, an HTTP header name',
      'platforms[1].signature.timestamp.toleranceSeconds: must be a whole number of seconds from 1 to 86400',
      'platforms[1].events.charge.success: inbound needs fields.reference and fields.amount and fields.currency',
      'platforms[1].events.payout.done: settled needs fields.reference',
    ]);
  });

  it.each([
    ['not YAML', 'platforms: [', 'not valid YAML or JSON'],
    ['no platforms', 'other: 1', 'must have a non-empty "platforms" list'],
  ])('refuses a file that is %s', (_what, text, problem) => {
    expect(parsePlatforms(text).problems[0]).toContain(problem);
  });

  it('takes an unresolved tag as a mistake, and prints nothing of the file on stderr', () => {
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      expect(parsePlatforms('platforms:\n  - name: !!x pay\n').problems).toEqual([expect.stringMatching(/^not valid YAML or JSON: Unresolved tag/)]);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  it('needs each secret set, strong in production, and a Standard Webhooks secret in its format', () => {
    const file = fileWith(`
platforms:
  - { name: a, secretEnv: A_SECRET, signature: { scheme: hmac-sha256, header: x-sig }, fields: { event: type }, events: { x: record } }
  - { name: b, secretEnv: B_SECRET, signature: { scheme: standard-webhooks }, fields: { event: type }, events: { x: record } }
`);
    expect(readPlatformsFile(file, {}, false).problems).toEqual([
      `${file}: platform a: A_SECRET is not set; it must hold the platform's webhook secret`,
      `${file}: platform b: B_SECRET is not set; it must hold the platform's webhook secret`,
    ]);
    expect(readPlatformsFile(file, { A_SECRET: 'short', B_SECRET: 'not-base64!' }, true).problems).toEqual([
      `${file}: platform a: A_SECRET must be at least 16 characters when NODE_ENV=production`,
      `${file}: platform b: B_SECRET must be a Standard Webhooks secret, "whsec_" then at least 24 bytes in base64`,
    ]);
    expect(readPlatformsFile('/nonexistent/platforms.yaml', {}, false).problems).toEqual(['cannot read /nonexistent/platforms.yaml (ENOENT)']);
  });

  it('stops the start through the configuration, with the other problems, and masks the secret and header in logs', () => {
    expect(() => loadConfiguration({ PAYMENT_PLATFORMS_FILE: EXAMPLE, PAYTO_API_KEY: 'k' })).toThrow(
      /PAYTO_SIGNING_PUBLIC_KEY[\s\S]*PAYMENT_PLATFORMS_FILE: \/.*payment-platforms\.example\.yaml: platform example-pay: EXAMPLE_PAY_WEBHOOK_SECRET is not set/,
    );
    const config = loadConfiguration({ PAYMENT_PLATFORMS_FILE: EXAMPLE, EXAMPLE_PAY_WEBHOOK_SECRET: SECRET });
    expect(config.payments.platforms.map((platform) => platform.name)).toEqual(['example-pay']);
    expect(config.secrets.values).toContain(SECRET);
    expect(config.secrets.headers).toContain('x-example-signature');
  });
});
