import { randomUUID } from 'node:crypto';
import { createLogRedactor, ibanValid, luhnValid, REDACTED } from './log-redaction';

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

  it("masks a URL's password whatever its length, and leaves a URL without one as it is", () => {
    const line = JSON.stringify({ msg: 'connecting to postgres://tm:Pg5x!q@db.internal:5432/tm, then https://example.com/a:b@c and http://host/x' });
    expect(JSON.parse(redact(line)).msg).toBe(`connecting to postgres://tm:${REDACTED}@db.internal:5432/tm, then https://example.com/a:b@c and http://host/x`);
  });

  it('masks IBANs in lower or mixed case too, grouped or not', () => {
    const line = JSON.stringify({ msg: 'to gb29nwbk60161331926819, gb82 west 1234 5698 7654 32 or De89370400440532013000' });
    expect(JSON.parse(redact(line)).msg).toBe('to [REDACTED-IBAN], [REDACTED-IBAN] or [REDACTED-IBAN]');
  });

  it('masks an IBAN after a word that looks like the start of one, two IBANs in a row, and IBANs grouped with dashes', () => {
    const line = JSON.stringify({ msg: 'ab12 GB82WEST12345698765432; DE89 3704 0044 0532 0130 00 GB82 WEST 1234 5698 7654 32; GB29-NWBK-6016-1331-9268-19' });
    expect(JSON.parse(redact(line)).msg).toBe('ab12 [REDACTED-IBAN]; [REDACTED-IBAN] [REDACTED-IBAN]; [REDACTED-IBAN]');
    const url = JSON.stringify({ msg: 'GET /transactions?account=GB29%2DNWBK%2D6016%2D1331%2D9268%2D19 failed' });
    expect(redact(url)).not.toContain('6016');
  });

  it('keeps lower-case words and ids that fail the IBAN check readable', () => {
    const line = JSON.stringify({ msg: 'db01 connection pool exhausted', reference: 'gb00west12345698765432', id: 'tx12abcdefghijklmnop' });
    expect(redact(line)).toBe(line);
  });

  it('masks IBANs and card numbers whose groups a URL separates with %20, %2D or +, as in an error line', () => {
    const line = JSON.stringify({
      msg: 'DELETE /lists/blocked-beneficiaries/entries/gb29%20nwbk%206016%201331%209268%2019 failed: timeout',
      url: '/transactions?account=GB29+NWBK+6016+1331+9268+19&ref=4111%2D1111%2D1111%2D1111&q=4111%201111%201111%201111&limit=5',
    });
    expect(JSON.parse(redact(line))).toEqual({
      msg: `DELETE /lists/blocked-beneficiaries/entries/${REDACTED} failed: timeout`,
      url: `/transactions?account=${REDACTED}&ref=${REDACTED}&q=${REDACTED}&limit=5`,
    });
  });

  it('keeps encoded text that holds no account number as it is', () => {
    const line = JSON.stringify({ msg: 'GET /transactions?q=jon+smith&from=2026-11-01T00:00:00%2B01:00&cursor=a+b/c%2Dd failed', sum: '3+4' });
    expect(redact(line)).toBe(line);
  });

  it('leaves UUIDs alone, whose hex groups can pass a checksum, and still masks an account number beside one', () => {
    // Both of these passed a checksum: one as a card number, one as an IBAN in lower case.
    const line = JSON.stringify({ requestId: '66c84eed-7bab-4f24-9266-4576857894ac', transactionId: 'h-cb6503d6-348a-4748-bc8c-84287e0e9e53' });
    expect(redact(line)).toBe(line);
    for (let i = 0; i < 20_000; i += 1) {
      const id = randomUUID();
      expect(redact(`{"requestId":"${id}","transactionId":"tx-${id}"}`)).toBe(`{"requestId":"${id}","transactionId":"tx-${id}"}`);
    }
    const id = randomUUID();
    expect(JSON.parse(redact(JSON.stringify({ msg: `${id} paid GB82 WEST 1234 5698 7654 32 by 4111-1111-1111-1111 ${id}` })))).toEqual({
      msg: `${id} paid [REDACTED-IBAN] by [REDACTED-PAN] ${id}`,
    });
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
    expect(ibanValid('gb82 west 1234 5698 7654 32')).toBe(true);
  });
});
