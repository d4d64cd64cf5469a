import { headerSafe, JsonHttpClient, ProviderRequestError } from './json-http-client';

describe('headerSafe', () => {
  it('leaves visible ASCII alone and percent-encodes the rest, and % itself, as UTF-8', () => {
    expect(headerSafe('tx-1_A.b:c/d')).toBe('tx-1_A.b:c/d');
    expect(headerSafe('h中-1')).toBe('h%E4%B8%AD-1');
    expect(headerSafe('a b\tc\u0000')).toBe('a%20b%09c%00');
    expect(headerSafe('100%')).toBe('100%25');
    expect(headerSafe('😀')).toBe('%F0%9F%98%80');
  });

  it('never gives two different ids the same value', () => {
    expect(headerSafe('%E4%B8%AD')).not.toBe(headerSafe('中'));
  });
});

describe('JsonHttpClient', () => {
  it('refuses a request Node cannot build as ProviderRequestError (not the provider\'s failure), sending nothing', async () => {
    const client = new JsonHttpClient({ baseUrl: 'http://127.0.0.1:9', headers: {} });
    await expect(client.post('/x', '{}', new AbortController().signal, { 'idempotency-key': 'h中' })).rejects.toBeInstanceOf(ProviderRequestError);
    await expect(client.post('/x', '{}', new AbortController().signal, { 'idempotency-key': 'a\nb' })).rejects.toBeInstanceOf(ProviderRequestError);
    client.close();
  });
});
