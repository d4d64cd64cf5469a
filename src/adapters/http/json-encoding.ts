// What JSON bodies say of their encoding: only UTF-8 is read, and bytes that are not UTF-8 are never read with replacement characters.
import { FastifyRequest } from 'fastify';
import { BadRequestProblem } from './problem-details';

/**
 * A body whose bytes are not UTF-8 would be read with U+FFFD in place of what was sent: a name
 * screened and stored other than it was written. Refused, except on a route that keeps what it
 * cannot read (as the text decoded so far, marked unparsed), so that its sender stops resending it.
 */
export function notUtf8(done: (error: Error | null, value?: unknown) => void, keeper?: FastifyRequest): void {
  const problem = 'The request body is not valid UTF-8';
  if (!keeper) return done(new BadRequestProblem(problem));
  keeper.unstorableJson = problem;
  return done(null, null);
}

/** The charset a Content-Type declares, lower-cased; undefined when it declares none. */
export function declaredCharset(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]*)"?/i.exec(contentType ?? '');
  return match ? match[1]!.toLowerCase() : undefined;
}
