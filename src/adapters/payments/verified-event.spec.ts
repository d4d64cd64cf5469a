// Unit spec of readOrKeepUnread: a verified delivery is read, or kept unread with the reason, never refused.
import { WebhookMalformedError } from '../../domain/domain-error';
import { PaymentEvent } from '../../domain/payment-event';
import { answerOf, readOrKeepUnread, webhookOutcomeOfAnswer } from './verified-event';

const readable: PaymentEvent = { provider: 'acme', eventType: 'x', dedupeKey: 'x:1', transactionIds: [], summary: 'x', payloadJson: '{}', effect: { kind: 'NONE' } };
const delivery = { provider: 'acme', jsonText: '{"event":"payment.success","data":{}}', eventType: 'payment.success' };

describe('readOrKeepUnread', () => {
  it('hands on what the adapter reads', () => {
    expect(readOrKeepUnread(delivery, () => readable)).toBe(readable);
  });

  it('keeps an event the adapter cannot read with the reason, under a key of its bytes', () => {
    const event = readOrKeepUnread(delivery, () => {
      throw new WebhookMalformedError('data.amount is required', 'data.amount');
    });
    expect(event).toMatchObject({ provider: 'acme', eventType: 'payment.success', payloadJson: delivery.jsonText, unparsedReason: 'data.amount is required', effect: { kind: 'NONE' } });
    expect(event.dedupeKey).toMatch(/^unparsed:[0-9a-f]{64}$/);
    expect(readOrKeepUnread(delivery, () => { throw new WebhookMalformedError('other'); }).dedupeKey).toBe(event.dedupeKey);
  });

  it('keeps a document PostgreSQL cannot hold, or a bare null, as base64 of its text', () => {
    // A NUL alone would be read without it (below); a number out of range as well keeps the document unread.
    const text = '{"event":"a\\u0000b","n":1e5000}';
    const event = readOrKeepUnread({ provider: 'acme', jsonText: text, unstorable: 'event contains a NUL character', eventType: 'a\u0000b' }, () => readable);
    expect(event.unparsedReason).toBe('event contains a NUL character');
    expect(event.eventType).toBe('ab');
    expect(Buffer.from((JSON.parse(event.payloadJson) as { base64: string }).base64, 'base64').toString('utf8')).toBe(text);
    const bareNull = readOrKeepUnread({ provider: 'acme', jsonText: 'null' }, () => { throw new WebhookMalformedError('not an object'); });
    expect(bareNull).toMatchObject({ eventType: 'unknown', payloadJson: JSON.stringify({ base64: Buffer.from('null').toString('base64') }) });
  });

  it('reads a document PostgreSQL cannot hold only for a NUL or a lone surrogate with U+FFFD in their place, and keeps it unread if it still cannot be read', () => {
    const text = '{"event":"payment.success","data":{"payer":"Ada\\u0000 \\ud800"}}';
    const seen: unknown[] = [];
    const event = readOrKeepUnread({ provider: 'acme', jsonText: text, unstorable: 'data.payer contains a NUL character' }, (document) => {
      seen.push(document);
      return readable;
    });
    expect(event).toBe(readable);
    expect(seen).toEqual([{ jsonText: '{"event":"payment.success","data":{"payer":"Ada\\ufffd \\ufffd"}}', body: { event: 'payment.success', data: { payer: 'Ada\ufffd \ufffd' } } }]);
    const unreadable = readOrKeepUnread({ provider: 'acme', jsonText: text, unstorable: 'NUL' }, () => {
      throw new WebhookMalformedError('data.amount is required');
    });
    expect(unreadable.unparsedReason).toBe('data.amount is required');
    expect(Buffer.from((JSON.parse(unreadable.payloadJson) as { base64: string }).base64, 'base64').toString('utf8')).toBe(text);
  });

  it('leaves a defect of the service itself to fail the request', () => {
    expect(() => readOrKeepUnread(delivery, () => { throw new TypeError('bug'); })).toThrow(TypeError);
  });
});

describe('the answer', () => {
  it('says why an event was kept unread, and counts it apart', () => {
    const unread = readOrKeepUnread(delivery, () => { throw new WebhookMalformedError('data.amount is required'); });
    const answer = answerOf(unread, { duplicate: false, eventId: 'e1', outcome: 'UNPARSED' });
    expect(answer).toEqual({ received: true, eventId: 'e1', duplicate: false, unparsed: 'data.amount is required' });
    expect(webhookOutcomeOfAnswer(answer)).toBe('unparsed');
    expect(webhookOutcomeOfAnswer(answerOf(readable, { duplicate: false, eventId: 'e2', outcome: 'RECORDED' }))).toBe('accepted');
    expect(webhookOutcomeOfAnswer(answerOf(unread, { duplicate: true, eventId: 'e1' }))).toBe('duplicate');
  });
});
