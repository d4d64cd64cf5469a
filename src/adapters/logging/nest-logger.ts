// Nest's own log lines (boot, modules, workers' Logger calls) written by the service's pino logger.
import { LoggerService } from '@nestjs/common';
import { Level, Logger } from 'pino';

/**
 * Nest calls log(message, ...params) with an optional context last, and error(message, stack?,
 * context?). Each becomes one JSON line with `context` beside the message; an Error is logged
 * under `err` with its stack.
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    // Nest passes (message, stack, context) for an exception it caught; a lone string is a stack
    // when it reads like one (as Nest's ConsoleLogger decides), else the context.
    const [stack, context] = params.length >= 2 ? params : isStack(params[0]) ? [params[0], undefined] : [undefined, params[0]];
    const fields = { context: typeof context === 'string' ? context : undefined, ...(typeof stack === 'string' ? { err: { stack } } : {}) };
    this.emit('error', message, fields);
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    if (!this.logger.isLevelEnabled(level)) return;
    const context = params.length > 0 && typeof params[params.length - 1] === 'string' ? (params[params.length - 1] as string) : undefined;
    this.emit(level, message, { context });
  }

  private emit(level: Level, message: unknown, fields: Record<string, unknown>): void {
    if (message instanceof Error) this.logger[level]({ ...fields, err: message }, message.message);
    else if (message !== null && typeof message === 'object') this.logger[level]({ ...fields, ...(message as object) });
    else this.logger[level](fields, String(message));
  }
}

function isStack(value: unknown): boolean {
  return typeof value === 'string' && /\n\s+at /.test(value);
}
