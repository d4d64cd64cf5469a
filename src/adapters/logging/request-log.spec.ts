// Unit spec of the request log line's URL: what a client put in it reaches the log only when it names no account or person.
import { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import pino from 'pino';
import { createLogRedactor, REDACTED, SENSITIVE_KEYS } from './log-redaction';
import { registerRequestLog } from './request-log';

describe('registerRequestLog', () => {
  let lines: string[];
  let onResponse: (request: FastifyRequest, reply: FastifyReply, done: () => void) => void;
  let logUrlOf: (request: { url: string }) => string;

  beforeEach(() => {
    lines = [];
    // As in production, the line goes through the root logger's redactor; no epoch time, which can pass the Luhn check.
    const redact = createLogRedactor();
    const logger = pino({ base: undefined, timestamp: false }, { write: (line: string) => void lines.push(redact(line)) });
    const fastify = {
      addHook: (_name: string, hook: typeof onResponse) => (onResponse = hook),
      decorateRequest: (_name: string, { getter }: { getter: (this: { url: string }) => string }) => (logUrlOf = (request) => getter.call(request)),
    };
    // A header name configured for a secret (TOQIO_API_KEY_HEADER, say), beside the default names.
    registerRequestLog(fastify as unknown as FastifyInstance, logger, new Set([...SENSITIVE_KEYS, 'x-toqio-key']));
  });

  /** The line of one request, as Fastify's onResponse hook hands it over (request.url is the raw target). */
  function logged(method: 'GET' | 'DELETE', url: string): string {
    const request = { id: 'req-1', method, url, socket: { remoteAddress: '127.0.0.1' }, headers: { host: 'localhost' } };
    onResponse(request as unknown as FastifyRequest, { statusCode: 404, elapsedTime: 1 } as FastifyReply, () => undefined);
    expect(lines).toHaveLength(1);
    return lines[0];
  }

  /** The line as a reader would see it once decoded, separators gone: no account digits in any spelling. */
  function digitsOf(line: string): string {
    return decodeURIComponent(line.replace(/\+/g, ' ')).replace(/[^0-9A-Za-z]/g, '');
  }

  it.each([
    ['GET', '/transactions?beneficiaryIban=gb29nwbk60161331926819', `/transactions?beneficiaryIban=${REDACTED}`],
    ['GET', '/transactions?beneficiaryIban=GB29%20NWBK%206016%201331%209268%2019', `/transactions?beneficiaryIban=${REDACTED}`],
    ['GET', '/transactions?beneficiaryIban=GB29+NWBK+6016+1331+9268+19', `/transactions?beneficiaryIban=${REDACTED}`],
    ['GET', '/transactions?q=GB29NWBK60161331926819', `/transactions?q=${REDACTED}`],
    ['GET', '/transactions?q=4111%201111%201111%201111', `/transactions?q=${REDACTED}`],
    ['GET', '/transactions?q=jon+smith&status=HELD', `/transactions?q=${REDACTED}&status=HELD`],
    ['GET', '/transactions?BENEFICIARYIBAN=gb29nwbk60161331926819&%71=x', `/transactions?BENEFICIARYIBAN=${REDACTED}&%71=${REDACTED}`],
    ['GET', '/transactions?sourceAccountId=acc-1&customerId=cus-1', `/transactions?sourceAccountId=${REDACTED}&customerId=${REDACTED}`],
    ['DELETE', '/lists/blocked-beneficiaries/entries/gb29%20nwbk%206016%201331%209268%2019', `/lists/blocked-beneficiaries/entries/${REDACTED}`],
    ['DELETE', '/lists/blocked-accounts/entries/12-34-56%2012345678', `/lists/blocked-accounts/entries/${REDACTED}`],
    ['DELETE', '/lists/blocked-names/entries/Jon%20Smith?x=1', `/lists/blocked-names/entries/${REDACTED}?x=1`],
    ['DELETE', '//Lists/blocked-accounts/%65ntries/12-34-56%2012345678', `//Lists/blocked-accounts/%65ntries/${REDACTED}`],
    ['GET', '/lists/blocked-accounts?limit=50&after=12-34-56%2012345678', `/lists/blocked-accounts?limit=50&after=${REDACTED}`],
    ['DELETE', 'http://tm.example.com/lists/blocked-names/entries/Jon%20Smith', `http://tm.example.com/lists/blocked-names/entries/${REDACTED}`],
  ] as const)('masks what names an account or a person: %s %s', (method, url, expected) => {
    const line = logged(method, url);
    expect(JSON.parse(line).req.url).toBe(expected);
    expect(digitsOf(line)).not.toMatch(/60161331926819|4111111111111111|12345678|smith/i);
  });

  it.each([
    ['a path segment', '/transactions/gb29%20nwbk%206016%201331%209268%2019/claim', `/transactions/${REDACTED}/claim`],
    ['a parameter of no known name', '/transactions?account=GB29+NWBK+6016+1331+9268+19&limit=5', `/transactions?account=${REDACTED}&limit=5`],
    ['a query name', '/transactions?GB29+NWBK+6016+1331+9268+19&limit=5', `/transactions?${REDACTED}&limit=5`],
    ['a list name', '/lists/gb29%20nwbk%206016%201331%209268%2019', `/lists/${REDACTED}`],
    ['a card number with encoded dashes', '/payment-events?ref=4111%2D1111%2D1111%2D1111', `/payment-events?ref=${REDACTED}`],
  ])('masks an IBAN or a card number in %s, however it is encoded', (_where, url, expected) => {
    expect(JSON.parse(logged('GET', url)).req.url).toBe(expected);
  });

  it.each([
    '/transactions?status=PENDING_EXTERNAL_APPROVAL&direction=OUTBOUND&assignee=me&limit=50&currency=EUR&from=2026-11-01&to=2026-12-01T00:00:00Z',
    '/transactions?minAmount=10000.50&maxAmount=50000&cursor=WyIyMDI2LTExLTAxIiwidHgtMSJd',
    '/transactions/tx-0123456789/evidence?format=html',
    '/lists/blocked-beneficiaries',
    '/lists/blocked-beneficiaries/entries',
    '/audit/checkpoints?after=42&limit=10',
    '/payment-events?provider=paystack&outcome=APPLIED&limit=20',
    '/health/live',
  ])('keeps what operators need readable: %s', (url) => {
    expect(JSON.parse(logged('GET', url)).req.url).toBe(url);
  });

  it('writes a target longer than any route takes as its length only', () => {
    const url = `/transactions/${'ab12%20'.repeat(400)}?q=x`;
    expect(JSON.parse(logged('GET', url)).req.url).toBe(`[REDACTED: a target of ${url.length} characters]`);
  });

  it('still masks query values under sensitive names, and keeps a bare name', () => {
    expect(JSON.parse(logged('GET', '/transactions?Token=abc&accountNumber=31926819&flag')).req.url).toBe(
      `/transactions?Token=${REDACTED}&accountNumber=${REDACTED}&flag`,
    );
  });

  it("gives other lines the request's URL as its own line writes it, configured secret names masked too", () => {
    const url = '/transaction/validate?x-toqio-key=old-key-0a1b2c&q=jon+smith&limit=5';
    const written = JSON.parse(logged('GET', url)).req.url;
    expect(written).toBe(`/transaction/validate?x-toqio-key=${REDACTED}&q=${REDACTED}&limit=5`);
    expect(logUrlOf({ url })).toBe(written);
  });
});
