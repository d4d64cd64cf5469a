import pino from 'pino';
import { PinoNestLogger } from './nest-logger';
import { requestLogLevel } from './request-log';

function setUp(level = 'info') {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level, base: undefined, timestamp: false, formatters: { level: (label) => ({ level: label }) } }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { nest: new PinoNestLogger(logger), lines };
}

describe('PinoNestLogger', () => {
  it('writes a message with its context, as Nest passes it last', () => {
    const { nest, lines } = setUp();
    nest.log('Nest application successfully started', 'NestApplication');
    nest.warn('breaker open', 'Monitoring');
    expect(lines).toEqual([
      { level: 'info', context: 'NestApplication', msg: 'Nest application successfully started' },
      { level: 'warn', context: 'Monitoring', msg: 'breaker open' },
    ]);
  });

  it('keeps the fields of an object message, and the stack Nest gives with an error', () => {
    const { nest, lines } = setUp();
    nest.warn({ req: { id: 'r-1' }, msg: 'answered 503' }, 'Problem');
    nest.error('handler failed', 'Error: boom\n    at x', 'ExceptionsHandler');
    expect(lines).toEqual([
      { level: 'warn', context: 'Problem', req: { id: 'r-1' }, msg: 'answered 503' },
      { level: 'error', context: 'ExceptionsHandler', err: { stack: 'Error: boom\n    at x' }, msg: 'handler failed' },
    ]);
  });

  it('tells a lone stack from a lone context, as Nest does', () => {
    const { nest, lines } = setUp();
    nest.error('failed', 'Error: boom\n    at y');
    nest.error('failed', 'Scheduler');
    expect(lines).toEqual([
      { level: 'error', err: { stack: 'Error: boom\n    at y' }, msg: 'failed' },
      { level: 'error', context: 'Scheduler', msg: 'failed' },
    ]);
  });

  it('logs an Error under err, with its message as the line', () => {
    const { nest, lines } = setUp();
    nest.error(new Error('database gone'), undefined, 'Worker');
    expect(lines[0]).toMatchObject({ level: 'error', context: 'Worker', msg: 'database gone', err: { message: 'database gone', type: 'Error' } });
  });

  it('skips what the level leaves out', () => {
    const { nest, lines } = setUp('warn');
    nest.log('quiet');
    nest.debug('quieter');
    nest.verbose('quietest');
    expect(lines).toEqual([]);
  });
});

describe('requestLogLevel', () => {
  it('logs server errors as errors, successful probes at debug, and everything else at info', () => {
    expect(requestLogLevel('/transaction/validate', 503)).toBe('error');
    expect(requestLogLevel('/health/ready', 200)).toBe('debug');
    expect(requestLogLevel('/metrics', 200)).toBe('debug');
    expect(requestLogLevel('/health/ready', 503)).toBe('error');
    expect(requestLogLevel('/metrics-export', 200)).toBe('info');
    expect(requestLogLevel('/transaction/validate', 401)).toBe('info');
  });
});
