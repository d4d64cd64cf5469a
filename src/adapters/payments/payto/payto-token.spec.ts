// Unit spec of PayTo's secured_payload opener, with tokens made by jose and RSA keys generated here.
import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { CompactEncrypt, SignJWT, UnsecuredJWT } from 'jose';
import { WebhookUnauthenticError } from '../../../domain/domain-error';
import { PaytoTokenOpener } from './payto-token';

interface KeyPair {
  readonly publicKey: KeyObject;
  readonly privateKey: KeyObject;
  readonly publicPem: string;
  readonly privatePem: string;
}

function rsa(): KeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    publicKey,
    privateKey,
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

// ANZ's signing key, the service's decryption key, and a stranger's key.
const anz = rsa();
const ours = rsa();
const stranger = rsa();

const payload = {
  creation_date_time: '2026-03-02T10:00:00.000Z',
  transaction_status: 'ACSC',
  instruction_identification: 'ANZBAU3LXXXI20260302900000000077700',
  original_transaction_reference: { original_instruction_identification: 'toqio-tx-payto-77', instructed_amount: { currency: 'AUD', amount: '562.89' } },
};

const jws = (key: KeyObject = anz.privateKey, claims: Record<string, unknown> = payload, exp?: number): Promise<string> => {
  const token = new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT' }).setIssuedAt();
  if (exp !== undefined) token.setExpirationTime(exp);
  return token.sign(key);
};

const jwe = (inner: string, to: KeyObject = ours.publicKey, enc = 'A256CBC-HS512', alg = 'RSA-OAEP'): Promise<string> =>
  new CompactEncrypt(new TextEncoder().encode(inner)).setProtectedHeader({ alg, enc, cty: 'JWT' }).encrypt(to);

const opener = (decryption?: string) => new PaytoTokenOpener({ signingPublicKey: anz.publicPem, decryptionPrivateKey: decryption });

async function refused(token: string, open: PaytoTokenOpener = opener(ours.privatePem)): Promise<WebhookUnauthenticError> {
  const error = await open.open(token).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WebhookUnauthenticError);
  expect(error).toMatchObject({ code: 'WEBHOOK_UNAUTHENTIC' });
  return error as WebhookUnauthenticError;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('PaytoTokenOpener', () => {
  it("accepts a compact RS256 JWS signed with ANZ's key and returns its payload", async () => {
    await expect(opener().open(await jws())).resolves.toMatchObject(payload);
  });

  it('accepts a JWE (RSA-OAEP, A256CBC-HS512) wrapping such a JWS', async () => {
    await expect(opener(ours.privatePem).open(await jwe(await jws()))).resolves.toMatchObject(payload);
  });

  it('accepts a token that expired less than five minutes ago (clock skew)', async () => {
    await expect(opener().open(await jws(anz.privateKey, payload, nowSeconds() - 120))).resolves.toMatchObject(payload);
  });

  // The decision on tokens without exp: iat is not required (docs/payment-providers.md, "Token lifetime").
  it('accepts a token with neither exp nor iat, and one issued a month ago without exp (redeliveries keep their token)', async () => {
    const bare = await new SignJWT(payload).setProtectedHeader({ alg: 'RS256' }).sign(anz.privateKey);
    await expect(opener().open(bare)).resolves.toMatchObject(payload);
    const old = await new SignJWT(payload).setProtectedHeader({ alg: 'RS256' }).setIssuedAt(nowSeconds() - 30 * 86_400).sign(anz.privateKey);
    await expect(opener().open(old)).resolves.toMatchObject(payload);
  });

  it('refuses a token issued more than five minutes in the future', async () => {
    const ahead = await new SignJWT(payload).setProtectedHeader({ alg: 'RS256' }).setIssuedAt(nowSeconds() + 600).sign(anz.privateKey);
    expect((await refused(ahead)).message).toContain('iat');
    const skewed = await new SignJWT(payload).setProtectedHeader({ alg: 'RS256' }).setIssuedAt(nowSeconds() + 120).sign(anz.privateKey);
    await expect(opener().open(skewed)).resolves.toMatchObject(payload);
  });

  it('refuses a JWS signed with another key', async () => {
    await refused(await jws(stranger.privateKey));
  });

  it('refuses an unsecured token (alg: none)', async () => {
    const unsecured = new UnsecuredJWT(payload).setIssuedAt().encode();
    expect(unsecured.split('.')).toHaveLength(3);
    await refused(unsecured);
  });

  it('refuses HS256 keyed with the public key PEM (algorithm confusion)', async () => {
    const confused = await new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(anz.publicPem));
    await refused(confused);
  });

  it('refuses a tampered payload under a valid signature', async () => {
    const [header, , signature] = (await jws()).split('.');
    const forged = Buffer.from(JSON.stringify({ ...payload, transaction_status: 'RJCT' })).toString('base64url');
    await refused(`${header}.${forged}.${signature}`);
  });

  it('refuses a token that expired more than five minutes ago', async () => {
    const error = await refused(await jws(anz.privateKey, payload, nowSeconds() - 600));
    expect(error.message).toContain('ERR_JWT_EXPIRED');
  });

  it('refuses a JWE when no decryption key is configured', async () => {
    await refused(await jwe(await jws()), opener());
  });

  it('refuses a JWE encrypted to another key', async () => {
    await refused(await jwe(await jws(), stranger.publicKey));
  });

  it('refuses a JWE with another content encryption (A128GCM)', async () => {
    await refused(await jwe(await jws(), ours.publicKey, 'A128GCM'));
  });

  it('refuses a JWE with another key management algorithm (RSA-OAEP-256)', async () => {
    await refused(await jwe(await jws(), ours.publicKey, 'A256CBC-HS512', 'RSA-OAEP-256'));
  });

  it('refuses a JWE that wraps a JWS signed with another key', async () => {
    await refused(await jwe(await jws(stranger.privateKey)));
  });

  it('refuses a JWE that wraps the bare payload rather than a signed token', async () => {
    await refused(await jwe(JSON.stringify(payload)));
  });

  it.each([
    ['an empty string', ''],
    ['plain text', 'not a token'],
    ['JSON', JSON.stringify(payload)],
    ['two parts', 'abc.def'],
    ['four parts', 'a.b.c.d'],
    ['six parts', 'a.b.c.d.e.f'],
    ['three base64url parts that are not JSON', 'aGVsbG8.d29ybGQ.c2ln'],
    ['five parts of garbage', 'a.b.c.d.e'],
  ])('refuses garbage: %s', async (_what, token) => {
    await refused(token);
  });
});
