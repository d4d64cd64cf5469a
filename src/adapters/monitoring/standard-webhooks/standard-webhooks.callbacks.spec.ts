// Unit spec of Standard Webhooks callback verification: what verifies, what is refused, and as what.
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { CallbackRequest } from '../../../application/ports/monitoring-provider.port';
import { WebhookMalformedError, WebhookUnauthenticError } from '../../../domain/domain-error';
import { DECISION_EVENT_TYPE, StandardWebhooksCallbacks } from './standard-webhooks.callbacks';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const OTHER_SECRET = `whsec_${randomBytes(32).toString('base64')}`;

interface Signing {
  id?: string;
  at?: Date;
  secret?: string;
  headers?: Record<string, string | undefined>;
}

/** A callback as the controller hands it over: lower-case headers and the exact body bytes. */
function signed(body: unknown, options: Signing = {}): CallbackRequest {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const id = options.id ?? 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W';
  const at = options.at ?? new Date();
  return {
    headers: {
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(options.secret ?? SECRET).sign(id, at, text),
      ...options.headers,
    },
    rawBody: new TextEncoder().encode(text),
  };
}

const event = (data: Record<string, unknown>) => ({ type: DECISION_EVENT_TYPE, timestamp: '2026-01-05T10:00:00Z', data });

describe('StandardWebhooksCallbacks', () => {
  const callbacks = new StandardWebhooksCallbacks(SECRET);

  it('returns the decision, keyed by webhook-id', () => {
    const request = signed(event({ transactionId: 'tx-1', status: 'REJECTED', reasons: ['PEP match confirmed'] }), { id: 'msg_1' });

    expect(callbacks.verify(request)).toEqual({ eventId: 'msg_1', transactionId: 'tx-1', status: 'REJECTED', reasons: ['PEP match confirmed'] });
  });

  it('defaults absent or null reasons to none, and ignores fields it does not know', () => {
    const request = signed({ ...event({ transactionId: 'tx-1', status: 'APPROVED', caseId: 'C-9' }), attempt: 3 });
    const nullReasons = signed(event({ transactionId: 'tx-1', status: 'APPROVED', reasons: null }));

    expect(callbacks.verify(request)).toMatchObject({ transactionId: 'tx-1', status: 'APPROVED', reasons: [] });
    expect(callbacks.verify(nullReasons)).toMatchObject({ reasons: [] });
  });

  it('verifies the exact bytes, non-ASCII text included', () => {
    const request = signed(event({ transactionId: 'tx-ü', status: 'APPROVED', reasons: ['Überweisung geprüft ✓'] }));

    expect(callbacks.verify(request)).toMatchObject({ transactionId: 'tx-ü', reasons: ['Überweisung geprüft ✓'] });
  });

  it('verifies a body that starts with a byte order mark as sent, and reads the JSON after it', () => {
    const text = `\uFEFF${JSON.stringify(event({ transactionId: 'tx-bom', status: 'APPROVED' }))}`;
    expect(callbacks.verify(signed(text))).toMatchObject({ transactionId: 'tx-bom', status: 'APPROVED' });
  });

  it('accepts the secret without its whsec_ prefix, as the library does', () => {
    const bare = new StandardWebhooksCallbacks(SECRET.slice('whsec_'.length));
    expect(bare.verify(signed(event({ transactionId: 'tx-1', status: 'APPROVED' })))).toMatchObject({ transactionId: 'tx-1' });
  });

  it('accepts any one valid signature among several, as during a secret rotation', () => {
    const body = JSON.stringify(event({ transactionId: 'tx-1', status: 'APPROVED' }));
    const at = new Date();
    const stale = new Webhook(OTHER_SECRET).sign('msg_1', at, body);
    const current = new Webhook(SECRET).sign('msg_1', at, body);

    expect(callbacks.verify(signed(body, { id: 'msg_1', at, headers: { 'webhook-signature': `${stale} v2,whatever ${current}` } }))).toMatchObject({ eventId: 'msg_1' });
  });

  it('accepts a timestamp a little in the past or the future (clock skew)', () => {
    const body = event({ transactionId: 'tx-1', status: 'APPROVED' });
    expect(() => callbacks.verify(signed(body, { at: new Date(Date.now() - 4 * 60_000) }))).not.toThrow();
    expect(() => callbacks.verify(signed(body, { at: new Date(Date.now() + 4 * 60_000) }))).not.toThrow();
  });

  describe('refuses as unauthentic', () => {
    const body = event({ transactionId: 'tx-1', status: 'APPROVED' });

    it.each<[string, () => CallbackRequest]>([
      ['a signature made with another secret', () => signed(body, { secret: OTHER_SECRET })],
      [
        'a body changed after signing',
        () => {
          const request = signed(body);
          return { ...request, rawBody: new TextEncoder().encode(JSON.stringify(event({ transactionId: 'tx-1', status: 'REJECTED' }))) };
        },
      ],
      ['a webhook-id changed after signing', () => ({ ...signed(body, { id: 'msg_1' }), headers: { ...signed(body, { id: 'msg_1' }).headers, 'webhook-id': 'msg_2' } })],
      ['a timestamp more than five minutes old', () => signed(body, { at: new Date(Date.now() - 5 * 60_000 - 2_000) })],
      ['a timestamp more than five minutes ahead', () => signed(body, { at: new Date(Date.now() + 5 * 60_000 + 2_000) })],
      ['a timestamp that is not a number', () => signed(body, { headers: { 'webhook-timestamp': 'now' } })],
      ['a signature of an unknown version only', () => signed(body, { headers: { 'webhook-signature': 'v1a,abc' } })],
      ['no webhook-id', () => signed(body, { headers: { 'webhook-id': undefined } })],
      ['an empty webhook-id', () => signed(body, { id: '' })],
      ['no webhook-timestamp', () => signed(body, { headers: { 'webhook-timestamp': undefined } })],
      ['no webhook-signature', () => signed(body, { headers: { 'webhook-signature': undefined } })],
    ])('%s', (_case, request) => {
      expect(() => callbacks.verify(request())).toThrow(WebhookUnauthenticError);
    });
  });

  describe('refuses as malformed, once verified', () => {
    const malformed = (body: unknown, options?: Signing): WebhookMalformedError => {
      try {
        callbacks.verify(signed(body, options));
      } catch (error) {
        expect(error).toBeInstanceOf(WebhookMalformedError);
        return error as WebhookMalformedError;
      }
      throw new Error('verify accepted it');
    };

    it.each<[string, unknown, string | undefined]>([
      ['a body that is not JSON', 'transaction tx-1 approved', undefined],
      ['an empty body', '', undefined],
      ['a JSON array', [event({ transactionId: 'tx-1', status: 'APPROVED' })], undefined],
      ['JSON null', null, undefined],
      ['another event type', { ...event({ transactionId: 'tx-1', status: 'APPROVED' }), type: 'transaction.created' }, 'type'],
      ['no type', { data: { transactionId: 'tx-1', status: 'APPROVED' } }, 'type'],
      ['no data', { type: DECISION_EVENT_TYPE }, 'data'],
      ['data that is a string', { type: DECISION_EVENT_TYPE, data: 'tx-1 APPROVED' }, 'data'],
      ['data that is an array', { type: DECISION_EVENT_TYPE, data: [{ transactionId: 'tx-1', status: 'APPROVED' }] }, 'data'],
      ['no transactionId', event({ status: 'APPROVED' }), 'data.transactionId'],
      ['an empty transactionId', event({ transactionId: '', status: 'APPROVED' }), 'data.transactionId'],
      ['a 129-character transactionId', event({ transactionId: 'x'.repeat(129), status: 'APPROVED' }), 'data.transactionId'],
      ['a numeric transactionId', event({ transactionId: 7, status: 'APPROVED' }), 'data.transactionId'],
      ['a pending status', event({ transactionId: 'tx-1', status: 'PENDING_EXTERNAL_APPROVAL' }), 'data.status'],
      ['a lower-case status', event({ transactionId: 'tx-1', status: 'rejected' }), 'data.status'],
      ['no status', event({ transactionId: 'tx-1' }), 'data.status'],
      ['reasons as one string', event({ transactionId: 'tx-1', status: 'APPROVED', reasons: 'fine' }), 'data.reasons'],
      ['a reason that is a number', event({ transactionId: 'tx-1', status: 'APPROVED', reasons: [42] }), 'data.reasons'],
      ['51 reasons', event({ transactionId: 'tx-1', status: 'APPROVED', reasons: Array.from({ length: 51 }, () => 'r') }), 'data.reasons'],
      ['a 1001-character reason', event({ transactionId: 'tx-1', status: 'APPROVED', reasons: ['x'.repeat(1001)] }), 'data.reasons'],
    ])('%s', (_case, body, field) => {
      expect(malformed(body).field).toBe(field);
    });

    it('a webhook-id longer than 256 characters', () => {
      expect(malformed(event({ transactionId: 'tx-1', status: 'APPROVED' }), { id: 'm'.repeat(257) }).field).toBe('webhook-id');
    });

    it('keeps the limits themselves: 128-character id, 50 reasons of 1000 characters, 256-character webhook-id', () => {
      const reasons = Array.from({ length: 50 }, () => 'x'.repeat(1000));
      const request = signed(event({ transactionId: 't'.repeat(128), status: 'APPROVED', reasons }), { id: 'm'.repeat(256) });
      expect(callbacks.verify(request)).toMatchObject({ eventId: 'm'.repeat(256), transactionId: 't'.repeat(128), reasons });
    });
  });
});
