import { verdictFromMarble } from './marble-decision';

describe('verdictFromMarble', () => {
  it('maps the strictest outcome of the decisions', () => {
    expect(verdictFromMarble({ data: [{ outcome: 'approve' }, { outcome: 'decline' }] }).status).toBe('REJECTED');
  });

  it.each(['maybe', 'toString', 'constructor'])('refuses an unknown outcome %j, even one named like an inherited property', (outcome) => {
    expect(() => verdictFromMarble({ data: [{ outcome }] })).toThrow('unknown outcome');
  });
});
