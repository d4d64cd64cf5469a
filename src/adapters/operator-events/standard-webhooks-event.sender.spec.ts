// Unit spec of the event signature: the reference Standard Webhooks library verifies it; the id is the event's, the timestamp the attempt's.
import { randomBytes } from 'node:crypto';
import { createServer, OutgoingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
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

  describe('answers that say more than a refusal', () => {
    let server: Server;
    let answer: { status: number; headers?: OutgoingHttpHeaders };
    let sender: StandardWebhooksEventSender;
    const send = () => sender.deliver(DELIVERY, AbortSignal.timeout(2_000));

    beforeAll(async () => {
      server = createServer((request, response) => {
        request.resume();
        request.on('end', () => response.writeHead(answer.status, answer.headers).end());
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      sender = new StandardWebhooksEventSender({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, secret: SECRET, idleSocketMs: 100 });
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    it('makes a 410 Gone final, saying why it is not retried', async () => {
      answer = { status: 410 };
      await expect(send()).resolves.toMatchObject({
        outcome: 'REFUSED',
        httpStatus: 410,
        final: true,
        error: 'the event webhook answered 410 Gone: it takes no more events, so this one is not retried',
      });
    });

    it("passes on a 429's or a 503's Retry-After, in seconds or as a date, and nothing else's", async () => {
      answer = { status: 429, headers: { 'retry-after': '7' } };
      await expect(send()).resolves.toMatchObject({ outcome: 'REFUSED', httpStatus: 429, retryAfterMs: 7_000, error: 'the event webhook answered 429' });

      answer = { status: 503, headers: { 'retry-after': new Date(Date.now() + 60_000).toUTCString() } };
      const dated = await send();
      expect(dated.retryAfterMs).toBeGreaterThan(55_000);
      expect(dated.retryAfterMs).toBeLessThanOrEqual(60_000);

      answer = { status: 500, headers: { 'retry-after': '7' } };
      const other = await send();
      expect(other).toMatchObject({ outcome: 'REFUSED', httpStatus: 500 });
      expect(other).not.toHaveProperty('retryAfterMs');
      expect(other).not.toHaveProperty('final');
    });
  });
});
