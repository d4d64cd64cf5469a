import { createLogRedactor, ibanValid, luhnValid, REDACTED, redactQuery } from './log-redaction';

describe('createLogRedactor', () => {
  const redact = createLogRedactor({ extraKeys: ['X-Toqio-Key'], secretValues: ['analyst-token-0123456789', 'short'] });

  it('masks the values of sensitive keys at any depth, whatever their case and type', () => {
    const line = JSON.stringify({
      req: { headers: { 'x-toqio-key': 'k-1', Authorization: 'Bearer abc', cookie: 'session=1', 'set-cookie': ['a=1', 'b="2"'] } },
      body: { beneficiary: { IBAN: 'not-checked-here', accountNumber: 12345678, nested: [{ account_number: '0123456789' }] } },
      webhook: { 'webhook-signature': 'v1,abc\\"def', 'x-paystack-signature': 'f00' },
      paystack: { authorization: { authorization_code: 'AUTH_x', last4: '4081', bin: '408408', signature: 'SIG_y' } },
    });
    const out = JSON.parse(redact(line));
    expect(out.req.headers).toEqual({ 'x-toqio-key': REDACTED, Authorization: REDACTED, cookie: REDACTED, 'set-cookie': REDACTED });
    expect(out.body.beneficiary).toEqual({ IBAN: REDACTED, accountNumber: REDACTED, nested: [{ account_number: REDACTED }] });
    expect(out.webhook).toEqual({ 'webhook-signature': REDACTED, 'x-paystack-signature': REDACTED });
    // The card's last four digits and BIN stay readable; the reusable code and signature do not.
    expect(out.paystack.authorization).toEqual({ authorization_code: REDACTED, last4: '4081', bin: '408408', signature: REDACTED });
  });

  it('masks configured secrets, card numbers and IBANs even inside free text', () => {
    const line = JSON.stringify({
      msg: 'token analyst-token-0123456789 tried card 4111 1111 1111 1111 and 5500-0000-0000-0004 to GB82 WEST 1234 5698 7654 32 or DE89370400440532013000',
    });
    const out = JSON.parse(redact(line)).msg as string;
    expect(out).toBe(`token ${REDACTED} tried card [REDACTED-PAN] and [REDACTED-PAN] to [REDACTED-IBAN] or [REDACTED-IBAN]`);
  });

  it('leaves ids, amounts and timestamps that fail the checksums alone', () => {
    const line = JSON.stringify({ transactionId: '4111111111111112', amount: '1234567890123.45', reference: 'GB00WEST12345698765432', msg: 'short' });
    expect(redact(line)).toBe(line);
  });
});

describe('checksums', () => {
  it('recognise card numbers (Luhn) and IBANs (mod 97)', () => {
    expect(luhnValid('4242424242424242')).toBe(true);
    expect(luhnValid('4242424242424241')).toBe(false);
    expect(ibanValid('GB82WEST12345698765432')).toBe(true);
    expect(ibanValid('GB83WEST12345698765432')).toBe(false);
  });
});

describe('redactQuery', () => {
  it('masks query values under sensitive names and keeps the rest', () => {
    const keys = new Set(['token', 'accountnumber']);
    expect(redactQuery('/transactions?status=PENDING_EXTERNAL_APPROVAL&Token=abc&accountNumber=31926819&flag', keys)).toBe(
      `/transactions?status=PENDING_EXTERNAL_APPROVAL&Token=${REDACTED}&accountNumber=${REDACTED}&flag`,
    );
    expect(redactQuery('/health/live', keys)).toBe('/health/live');
  });
});
