// Object mother for events to operators: a case.opened event with everything an operator reads.
import { randomUUID } from 'node:crypto';
import { consolePathOf, operatorEvent, OperatorEventOf } from '../../src/domain/operator-event';

export const OperatorEventMother = {
  /** A case.opened event for a new transaction (or `transactionId`), keyed by it. */
  caseOpened(transactionId = `tx-${randomUUID()}`, occurredAt = new Date()): OperatorEventOf<'case.opened'> {
    return operatorEvent('case.opened', transactionId, occurredAt, {
      transactionId,
      direction: 'OUTBOUND',
      status: 'PENDING_EXTERNAL_APPROVAL',
      amount: '48250.00',
      currency: 'EUR',
      reasons: ['Amount 48250.00 is 10000 or more'],
      openedAt: occurredAt.toISOString(),
      consolePath: consolePathOf(transactionId),
    });
  },
};
