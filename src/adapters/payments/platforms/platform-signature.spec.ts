// Unit spec of the platform signature verifier: each scheme and encoding, a timestamp's tolerance, and what is refused.
import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { Platform, PlatformSignature } from './platform-definition';
import { PlatformSignatureVerifier, requiredHeaders } from './platform-signature';

const SECRET = 'platform-secret-0123456789abcdef';
const WHSEC = `whsec_${Buffer.from('platform-standard-webhooks-key-01').toString('base64')}`;
const BODY = Buffer.from('{"event":"payment.success","data":{"amount":5000}}');
const NOW = 1_800_000_000;

function verifier(signature: PlatformSignature, secret = SECRET, now = () => NOW): PlatformSignatureVerifier {
  const platform: Platform = { name: 'acme', secretEnv: 'S', secret, signature, fields: { event: ['event'] }, amountUnit: 'minor', minorUnitDigits: {}, events: new Map() };
  return new PlatformSignatureVerifier(platform, now);
}

const hmac = (algorithm: 'sha256' | 'sha512', content: string | Buffer, key = SECRET) => createHmac(algorithm, key).update(content).digest();

describe('PlatformSignatureVerifier', () => {
  it.each([
    ['hmac-sha256', 'hex', 'sha256'],
    ['hmac-sha512', 'hex', 'sha512'],
    ['hmac-sha256', 'base64', 'sha256'],
    ['hmac-sha512', 'base64', 'sha512'],
  ] as const)('accepts %s in %s over the exact body, and nothing else', (scheme, encoding, algorithm) => {
    const check = verifier({ scheme, encoding, header: 'x-sig', prefix: '' });
    const good = hmac(algorithm, BODY).toString(encoding);
    expect(() => check.verify({ 'x-sig': good }, BODY)).not.toThrow();
    expect(() => check.verify({ 'x-sig': good }, Buffer.from(`${BODY.toString()} `))).toThrow('x-sig does not match the body');
    expect(() => check.verify({ 'x-sig': hmac(algorithm, BODY, 'another-key').toString(encoding) }, BODY)).toThrow('does not match');
    expect(() => check.verify({}, BODY)).toThrow(`x-sig is missing or not a ${encoding} ${scheme} signature`);
    expect(() => check.verify({ 'x-sig': '!!' }, BODY)).toThrow('not a');
  });

  it('accepts upper-case hex, and requires the prefix when one is declared', () => {
    const check = verifier({ scheme: 'hmac-sha256', encoding: 'hex', header: 'x-sig', prefix: 'sha256=' });
    const digest = hmac('sha256', BODY).toString('hex');
    expect(() => check.verify({ 'x-sig': `sha256=${digest.toUpperCase()}` }, BODY)).not.toThrow();
    expect(() => check.verify({ 'x-sig': digest }, BODY)).toThrow('not a hex');
  });

  it('signs "<timestamp>.<body>" with a timestamp header, within its tolerance only', () => {
    const check = verifier({ scheme: 'hmac-sha256', encoding: 'hex', header: 'x-sig', prefix: '', timestamp: { header: 'x-ts', toleranceSeconds: 300 } });
    const signed = (ts: number) => ({ 'x-ts': String(ts), 'x-sig': hmac('sha256', `${ts}.${BODY.toString()}`).toString('hex') });
    expect(() => check.verify(signed(NOW - 299), BODY)).not.toThrow();
    expect(() => check.verify(signed(NOW + 301), BODY)).toThrow('x-ts must be Unix seconds within 300 s of now');
    expect(() => check.verify({ ...signed(NOW), 'x-ts': String(NOW + 1) }, BODY)).toThrow('does not match');
    expect(() => check.verify({ 'x-sig': hmac('sha256', BODY).toString('hex') }, BODY)).toThrow('x-ts must be');
  });

  it('verifies Standard Webhooks as the standardwebhooks library signs them', () => {
    // The library's own clock: Standard Webhooks' tolerance is read from now.
    const check = verifier({ scheme: 'standard-webhooks' }, WHSEC, () => Date.now() / 1000);
    const now = new Date();
    const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': new Webhook(WHSEC).sign('msg_1', now, BODY.toString()) };
    expect(() => check.verify(headers, BODY)).not.toThrow();
    expect(() => check.verify({ ...headers, 'webhook-id': 'msg_2' }, BODY)).toThrow('no matching signature');
    expect(() => check.verify({ ...headers, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000) - 3600) }, BODY)).toThrow('not within');
  });

  it('names the headers to look for before the body is read', () => {
    expect(requiredHeaders({ scheme: 'standard-webhooks' })).toEqual(['webhook-id', 'webhook-timestamp', 'webhook-signature']);
    expect(requiredHeaders({ scheme: 'hmac-sha512', encoding: 'hex', header: 'x-sig', prefix: '', timestamp: { header: 'x-ts', toleranceSeconds: 5 } })).toEqual(['x-sig', 'x-ts']);
    expect(() => verifier({ scheme: 'hmac-sha512', encoding: 'hex', header: 'x-sig', prefix: '' }).checkHeaders({ 'x-sig': ['a', 'b'] })).toThrow('x-sig is missing');
  });
});
