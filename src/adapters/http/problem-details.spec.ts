import { Logger } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { sendProblem, toProblem } from './problem-details';

/** A reply that keeps what was sent. */
function replyRecorder() {
  const sent: { status?: number; body?: unknown } = {};
  const reply = {
    status: (status: number) => ((sent.status = status), reply),
    headers: () => reply,
    type: () => reply,
    send: (body: unknown) => ((sent.body = body), reply),
  };
  return { reply: reply as unknown as FastifyReply, sent };
}

describe('sendProblem', () => {
  const logged: string[] = [];
  beforeEach(() => {
    logged.length = 0;
    const keep = (entry: unknown) => void logged.push(JSON.stringify(entry));
    jest.spyOn(Logger.prototype, 'error').mockImplementation(keep);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(keep);
  });
  afterEach(() => jest.restoreAllMocks());

  it('logs an unexpected failure with its URL masked as the request log writes it: no list entry, no searched name', () => {
    const request = { id: 'r1', method: 'DELETE', url: '/lists/blocked-beneficiaries/entries/12-34-56%2012345678?x=1' } as FastifyRequest;
    const { reply, sent } = replyRecorder();
    sendProblem(new Error('boom'), request, reply);
    expect(sent.status).toBe(500);
    expect(logged.join('\n')).toContain('DELETE /lists/blocked-beneficiaries/entries/[REDACTED]?x=1 failed: Error: boom');
    expect(logged.join('\n')).not.toContain('12345678');
  });

  it('masks the URL of the 503 line too', () => {
    const unavailable = Object.assign(new Error('database "tm" is not currently accepting connections'), { code: '55000' });
    const { reply, sent } = replyRecorder();
    sendProblem(unavailable, { id: 'r2', method: 'GET', url: '/transactions?q=jon+smith&status=PENDING_EXTERNAL_APPROVAL' } as FastifyRequest, reply);
    expect(sent.status).toBe(503);
    expect(logged.join('\n')).toContain('GET /transactions?q=[REDACTED]&status=PENDING_EXTERNAL_APPROVAL answered 503');
  });

  it("writes the request log's own masking of the URL where the request carries it (configured secret names included)", () => {
    // registerRequestLog gives each request its logUrl; the default names alone do not know x-toqio-key.
    const request = { id: 'r3', method: 'POST', url: '/transaction/validate?x-toqio-key=old-key-0a1b2c', logUrl: '/transaction/validate?x-toqio-key=[REDACTED]' };
    sendProblem(new Error('boom'), request as unknown as FastifyRequest, replyRecorder().reply);
    expect(logged.join('\n')).toContain('POST /transaction/validate?x-toqio-key=[REDACTED] failed: Error: boom');
    expect(logged.join('\n')).not.toContain('old-key-0a1b2c');
  });

  it('answers 503 with Retry-After, not 500, to a read-only server and to a deadlock (TypeORM wraps both)', () => {
    const wrapped = (code: string) => Object.assign(new Error('QueryFailedError'), { driverError: Object.assign(new Error('from PostgreSQL'), { code }) });
    for (const code of ['25006', '40P01', '40001']) {
      const { problem, headers, unexpected } = toProblem(wrapped(code));
      expect([problem.status, unexpected, headers['retry-after']]).toEqual([503, false, expect.stringMatching(/^\d+$/)]);
    }
    expect(toProblem(wrapped('42P01')).problem.status).toBe(500);
  });
});
