// Unit spec of the Paystack signature check, with signatures made by node:crypto as Paystack makes them.
import { createHmac } from 'node:crypto';
import { verifyPaystackSignature } from './paystack-signature';

const SECRET = 'sk_test_spec_0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const body = Buffer.from(JSON.stringify({ event: 'charge.success', data: { id: 5120349871, reference: 'inv-2026-0042', amount: 100000, currency: 'NGN' } }));
const sign = (bytes: Uint8Array, key = SECRET): string => createHmac('sha512', key).update(bytes).digest('hex');

describe('verifyPaystackSignature', () => {
  it('accepts the HMAC-SHA512 of the raw body keyed with the secret key', () => {
    expect(verifyPaystackSignature(body, sign(body), SECRET)).toBe(true);
  });

  it('accepts it over any bytes, non-ASCII included', () => {
    const utf8 = Buffer.from('{"event":"charge.success","data":{"customer":{"first_name":"Adaeze Ọkọ́"}}}');
    expect(verifyPaystackSignature(utf8, sign(utf8), SECRET)).toBe(true);
  });

  it('refuses a signature made with another key', () => {
    expect(verifyPaystackSignature(body, sign(body, 'sk_test_someone_else'), SECRET)).toBe(false);
  });

  it('refuses the body with any one byte changed', () => {
    const signature = sign(body);
    for (const index of [0, Math.floor(body.length / 2), body.length - 1]) {
      const tampered = Buffer.from(body);
      tampered[index] = tampered[index]! ^ 0x01;
      expect(verifyPaystackSignature(tampered, signature, SECRET)).toBe(false);
    }
  });

  it('refuses a signature with one hex digit changed', () => {
    const signature = sign(body);
    const flipped = (signature[0] === '0' ? '1' : '0') + signature.slice(1);
    expect(verifyPaystackSignature(body, flipped, SECRET)).toBe(false);
  });

  it('refuses a missing, empty, truncated or over-long header without throwing', () => {
    const signature = sign(body);
    for (const header of [undefined, '', signature.slice(0, 127), signature.slice(0, 64), `${signature}00`, ` ${signature}`]) {
      expect(verifyPaystackSignature(body, header, SECRET)).toBe(false);
    }
  });

  it('refuses a header that is not hex, even of the right length', () => {
    expect(verifyPaystackSignature(body, 'g'.repeat(128), SECRET)).toBe(false);
    expect(verifyPaystackSignature(body, `sha512=${sign(body)}`, SECRET)).toBe(false);
  });

  it('refuses a SHA-256 HMAC of the body', () => {
    expect(verifyPaystackSignature(body, createHmac('sha256', SECRET).update(body).digest('hex'), SECRET)).toBe(false);
  });

  // The contract asks for Paystack's exact form, lowercase hex; anything else is not what Paystack sent.
  it('refuses upper-case hex, even of the right signature', () => {
    expect(verifyPaystackSignature(body, sign(body).toUpperCase(), SECRET)).toBe(false);
    expect(verifyPaystackSignature(body, sign(body, 'other').toUpperCase(), SECRET)).toBe(false);
  });
});
