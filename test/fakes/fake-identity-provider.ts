// A loopback OpenID provider for the single sign-on suites: a discovery document, a JWKS it can rotate, and tokens signed with its keys.
import { exportJWK, generateKeyPair, JWK, JWTPayload, SignJWT } from 'jose';
import { IncomingMessage, ServerResponse } from 'node:http';
import { LocalHttpServer } from './local-http-server';

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

interface SigningKey {
  readonly kid: string;
  readonly alg: string;
  readonly privateKey: PrivateKey;
  readonly publicJwk: JWK;
}

export class FakeIdentityProvider {
  private readonly server = new LocalHttpServer((request, response) => this.handle(request, response));
  private published: SigningKey[] = [];
  private current: SigningKey | undefined;
  /** How many times each path was asked for. */
  readonly requests = new Map<string, number>();
  /** Set to make the JWKS answer this status instead. */
  jwksStatus = 200;

  get issuer(): string {
    return `http://127.0.0.1:${this.server.port}/realms/compliance`;
  }

  async start(): Promise<this> {
    await this.server.start();
    await this.rotate();
    return this;
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  /** A new signing key, published alone: tokens signed with the previous one no longer verify. */
  async rotate(alg = 'RS256'): Promise<string> {
    const key = await FakeIdentityProvider.key(`key-${this.published.length + 1}-${Date.now()}`, alg);
    this.published = [key];
    this.current = key;
    return key.kid;
  }

  /** A key pair the provider never publishes, for forged tokens. */
  static async key(kid: string, alg = 'RS256'): Promise<SigningKey> {
    const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
    return { kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
  }

  /** A token as the provider issues it; `claims` override the defaults (issuer, audience, an hour's validity). */
  async token(claims: JWTPayload, options: { audience?: string; issuer?: string; expiresIn?: string | number; key?: SigningKey } = {}): Promise<string> {
    const key = options.key ?? this.current!;
    let jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
      .setIssuer(options.issuer ?? this.issuer)
      .setAudience(options.audience ?? 'toqio-tm')
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '1h');
    if (claims.sub === undefined) jwt = jwt.setSubject('f3b2c1d0-sub');
    return jwt.sign(key.privateKey);
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const path = request.url ?? '';
    this.requests.set(path, (this.requests.get(path) ?? 0) + 1);
    const send = (status: number, body: unknown): void => {
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (path === '/realms/compliance/.well-known/openid-configuration') {
      return send(200, { issuer: this.issuer, jwks_uri: `${this.issuer}/protocol/openid-connect/certs`, id_token_signing_alg_values_supported: ['RS256'] });
    }
    if (path === '/realms/compliance/protocol/openid-connect/certs') {
      return send(this.jwksStatus, this.jwksStatus === 200 ? { keys: this.published.map((key) => key.publicJwk) } : { error: 'unavailable' });
    }
    send(404, { error: 'not found' });
  }
}
