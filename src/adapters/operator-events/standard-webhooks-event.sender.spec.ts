// Unit spec of the event signature: the reference Standard Webhooks library verifies it; the id is the event's, the timestamp the attempt's.
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { EventDelivery } from '../../application/ports/operator-event-outbox.port';
import { bodyOf, StandardWebhooksEventSender } from './standard-webhooks-event.sender';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const DELIVERY: EventDelivery = {
  eventId: '3f1f0b1e-8a0e-4a52-9d7e-0c6d1f2a3b4c',
  type: 'case.opened',
  occurredAt: new Date('2030-01-15T09:00:00.000Z'),
  data: { transactionId: 'tx-1', amount: '48250.00' },
  attempt: 2,
  attemptSinceQueued: 2,
  queuedAt: new Date('2030-01-15T09:00:00.000Z'),
};

describe('StandardWebhooksEventSender', () => {
  it('signs the envelope so that the standardwebhooks library verifies it', () => {
    const sender = new StandardWebhooksEventSender({ url: 'http://127.0.0.1:1/hook', secret: SECRET });
    const body = bodyOf(DELIVERY);
    const headers = sender.signedHeaders(DELIVERY.eventId, Buffer.from(body));

    expect(new Webhook(SECRET).verify(body, headers)).toEqual({ type: 'case.opened', timestamp: '2030-01-15T09:00:00.000Z', data: { transactionId: 'tx-1', amount: '48250.00' } });
    expect(headers['webhook-id']).toBe(DELIVERY.eventId);
    expect(() => new Webhook(`whsec_${randomBytes(32).toString('base64')}`).verify(body, headers)).toThrow();
    expect(() => new Webhook(SECRET).verify(body.replace('48250.00', '48250.01'), headers)).toThrow();
  });

  it('stamps each attempt with the time it is sent, so a retry hours later is within a receiver\'s tolerance', () => {
    let now = new Date('2030-01-15T09:00:00.000Z');
    const sender = new StandardWebhooksEventSender({ url: 'http://127.0.0.1:1/hook', secret: SECRET, now: () => now });
    const first = sender.signedHeaders(DELIVERY.eventId, Buffer.from(bodyOf(DELIVERY)));
    now = new Date('2030-01-15T15:00:00.000Z');
    const later = sender.signedHeaders(DELIVERY.eventId, Buffer.from(bodyOf(DELIVERY)));

    expect([first['webhook-timestamp'], later['webhook-timestamp']]).toEqual([String(Date.UTC(2030, 0, 15, 9) / 1000), String(Date.UTC(2030, 0, 15, 15) / 1000)]);
    expect(later['webhook-id']).toBe(first['webhook-id']);
    expect(later['webhook-signature']).not.toBe(first['webhook-signature']);
  });

  it('sends the same bytes on every attempt', () => {
    expect(bodyOf({ ...DELIVERY, attempt: 7 })).toBe(bodyOf(DELIVERY));
  });
});
