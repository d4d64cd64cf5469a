// Unit spec of operator events: building one, its envelope, the known types and the console link.
import { consolePathOf, envelopeOf, isOperatorEventType, MAX_DEDUPE_KEY_LENGTH, OPERATOR_EVENT_TYPES, operatorEvent } from './operator-event';

const DATA = { notificationId: 'n-1', transactionId: 'tx-1', status: 'APPROVED' as const, attempts: 25, lastError: 'Toqio answered 500', deadAt: '2030-01-15T09:00:00.000Z', consolePath: consolePathOf('tx-1') };

describe('operator events', () => {
  it('wraps an event in the Standard Webhooks envelope: type, ISO timestamp of when it happened, data', () => {
    const event = operatorEvent('notification.dead', 'n-1:25', new Date('2030-01-15T09:00:00.000Z'), DATA);
    expect(envelopeOf(event)).toEqual({ type: 'notification.dead', timestamp: '2030-01-15T09:00:00.000Z', data: DATA });
  });

  it('refuses an empty or overlong dedupe key and an invalid time', () => {
    expect(() => operatorEvent('notification.dead', '', new Date(), DATA)).toThrow(RangeError);
    expect(() => operatorEvent('notification.dead', 'k'.repeat(MAX_DEDUPE_KEY_LENGTH + 1), new Date(), DATA)).toThrow(RangeError);
    expect(() => operatorEvent('notification.dead', 'k', new Date(Number.NaN), DATA)).toThrow(RangeError);
    expect(operatorEvent('notification.dead', 'k'.repeat(MAX_DEDUPE_KEY_LENGTH), new Date(), DATA).dedupeKey).toHaveLength(MAX_DEDUPE_KEY_LENGTH);
  });

  it('knows its types, and nothing inherited from Object', () => {
    expect(OPERATOR_EVENT_TYPES).toEqual(expect.arrayContaining(['case.opened', 'case.overdue', 'case.decided', 'notification.dead']));
    expect(OPERATOR_EVENT_TYPES.every(isOperatorEventType)).toBe(true);
    for (const name of ['toString', 'constructor', '__proto__', 'case', 42, undefined]) expect(isOperatorEventType(name)).toBe(false);
  });

  it('links a case in the console, its id encoded', () => {
    expect(consolePathOf('tx 1/#?')).toBe('/console/#/transactions/tx%201%2F%23%3F');
  });
});
