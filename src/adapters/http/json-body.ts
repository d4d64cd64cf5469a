// JSON request bodies: parsed safely, checked for input PostgreSQL cannot store, raw text kept.
import { isUtf8 } from 'node:buffer';
import { FastifyInstance, FastifyRequest } from 'fastify';
import secureJson from 'secure-json-parse';
import { beyondDouble } from '../../domain/exact-double';
import { BadRequestProblem, Problem } from './problem-details';
import { charsetOtherThanUtf8 } from './json-encoding';
import { repeatedKeyProblem } from './json-repeated-keys';
import { keepsUnstorableJson, rawBodyCheckOf } from './request-gate';

/** Deeper nesting than this is refused: no real payload needs it and it only costs stack. */
export const MAX_JSON_DEPTH = 32;

declare module 'fastify' {
  interface FastifyRequest {
    /** The body exactly as received, for signatures. */
    rawBody?: string;
    /** The JSON document itself: rawBody without a leading byte order mark, as PostgreSQL's json accepts it. */
    jsonText?: string;
    /**
     * On a route that keeps what it cannot store (keepsUnstorableJson), why PostgreSQL cannot hold
     * the parsed document; the body is then passed on rather than refused.
     */
    unstorableJson?: string;
  }
}

/**
 * Replaces Fastify's built-in parsers: JSON (application/json and application/*+json) is the only
 * body this service takes, so text/plain and the rest are answered 415.
 */
export function registerJsonBodyParser(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    /^application\/([\w.+-]+\+)?json(\s*;.*)?$/i,
    { parseAs: 'buffer' },
    (request: FastifyRequest, body: string | Buffer, done: (error: Error | null, value?: unknown) => void) => {
      const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
      const keep = keepsUnstorableJson(request) ? request : undefined;
      // JSON is UTF-8 (RFC 8259). A route that keeps what it cannot read (a signed webhook) takes the bytes whatever they claim.
      const charset = keep ? undefined : charsetOtherThanUtf8(request.headers['content-type']);
      if (charset !== undefined) return done(new Problem(415, 'about:blank', 'Unsupported Media Type', `JSON is read as UTF-8 only; the body declares charset=${charset}`));
      const text = bytes.toString('utf8');
      request.rawBody = text;
      // JSON.parse (and PostgreSQL) refuse a byte order mark, which some senders put first; signatures cover it.
      request.jsonText = withoutByteOrderMark(text);
      // Bytes that are not UTF-8 would be read with U+FFFD in place of what was sent: a name screened and stored other than it was written.
      const parse = () => (isUtf8(bytes) ? parseJson(text, done, keep) : refuseOrKeepUnread('The request body is not valid UTF-8', done, keep));
      const checkRawBody = rawBodyCheckOf(request);
      if (checkRawBody === undefined) return parse();
      // A body signed by its sender is authenticated on its exact bytes before any parsing.
      Promise.resolve()
        .then(() => checkRawBody(bytes))
        .then(parse, (error: Error) => done(error));
    },
  );
}

/** A body that cannot be read: a 400, except on a route that keeps what it cannot read, where it goes on unread with the reason. */
function refuseOrKeepUnread(problem: string, done: (error: Error | null, value?: unknown) => void, keeper?: FastifyRequest): void {
  if (!keeper) return done(new BadRequestProblem(problem));
  keeper.unstorableJson = problem;
  return done(null, null);
}

/** `keeper`: the request of a route that takes a valid document it cannot use or store, marked as such, rather than a 400. */
function parseJson(text: string, done: (error: Error | null, value?: unknown) => void, keeper?: FastifyRequest): void {
  if (text.trim() === '') return done(new BadRequestProblem('The request body is empty; a JSON document is expected'));
  let value: unknown;
  try {
    value = secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (error) {
    // secure-json-parse reports a reserved key as a SyntaxError too, though the document is valid JSON.
    const forbidden = error instanceof SyntaxError && /forbidden (prototype|constructor) property/.test(error.message);
    if (error instanceof SyntaxError && !forbidden) return done(new BadRequestProblem(`The request body is not valid JSON: ${error.message}`));
    // Valid JSON all the same: a keeper keeps it as text, never handed on as an object.
    return refuseOrKeepUnread('The request body uses reserved keys (__proto__ or constructor.prototype)', done, keeper);
  }
  const problem = unstorableInput(value, text.includes('\\u')) ?? unstorableNumber(text) ?? (keeper ? undefined : repeatedKeyProblem(text));
  if (problem && keeper) keeper.unstorableJson = problem;
  return problem && !keeper ? done(new BadRequestProblem(problem)) : done(null, value);
}

/** `text` without a leading U+FEFF (a UTF-8 byte order mark, decoded). */
export function withoutByteOrderMark(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

// A NUL or a lone UTF-16 surrogate is valid JSON but cannot be stored in PostgreSQL text or jsonb.
const UNSTORABLE_CHARACTER = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

interface Node {
  readonly value: unknown;
  readonly depth: number;
  readonly parent?: Node;
  readonly key?: string;
  readonly inArray?: boolean;
}

/**
 * Returns why the value cannot be accepted, or undefined. Iterative, so depth cannot blow the
 * stack; a member's path is spelled out only for the one reported, not for every member walked.
 */
export function unstorableInput(root: unknown, mayHaveEscapes: boolean): string | undefined {
  const stack: Node[] = [{ value: root, depth: 0 }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const { value, depth } = node;
    if (typeof value === 'string') {
      if (mayHaveEscapes && UNSTORABLE_CHARACTER.test(value)) {
        return `${pathOf(node) || 'body'} contains a NUL character or an unpaired UTF-16 surrogate`;
      }
    } else if (value !== null && typeof value === 'object') {
      if (depth >= MAX_JSON_DEPTH) return `The JSON document is nested deeper than ${MAX_JSON_DEPTH} levels`;
      const inArray = Array.isArray(value);
      for (const key of Object.keys(value)) {
        if (mayHaveEscapes && !inArray && UNSTORABLE_CHARACTER.test(key)) {
          return `${pathOf(node) || 'body'} has a key with a NUL character or an unpaired UTF-16 surrogate`;
        }
        stack.push({ value: (value as Record<string, unknown>)[key], depth: depth + 1, parent: node, key, inArray });
      }
    }
  }
  return undefined;
}

function pathOf(node: Node): string {
  let path = '';
  for (let current: Node | undefined = node; current?.parent !== undefined; current = current.parent) {
    path = current.inArray ? `[${current.key}]${path}` : `${current.parent.parent === undefined ? '' : '.'}${current.key}${path}`;
  }
  return path;
}

const NUMBER_LITERAL = /-?(0|[1-9]\d*)(?:\.(\d+))?(?:[eE]([+-]?\d+))?/y;

/** Far beyond any real payload, and well inside PostgreSQL numeric (which jsonb uses for numbers). */
export const MAX_NUMBER_EXPONENT = 1000;
export const MAX_NUMBER_FRACTION_DIGITS = 1000;
export const MAX_NUMBER_INTEGER_DIGITS = 1000;

/**
 * JSON.parse accepts numbers like 1e131072, 0.<20,000 zeros>1 or 140,000 nines (as Infinity or 0),
 * but PostgreSQL refuses to store them (numeric holds 131,072 digits before the point). Scans the (already valid) JSON text, skipping strings.
 */
export function unstorableNumber(json: string): string | undefined {
  return firstFromNumbers(json, ([literal, integer = '', fraction = '', exponent = '0']) => {
    const tooLong = integer.length > MAX_NUMBER_INTEGER_DIGITS || fraction.length > MAX_NUMBER_FRACTION_DIGITS;
    if (!tooLong && exponent.replace(/^[+-]?0*/, '').length <= 4 && Math.abs(Number(exponent)) <= MAX_NUMBER_EXPONENT) return undefined;
    return (
      `The number ${literal.length > 24 ? `${literal.slice(0, 24)}…` : literal} is out of the supported range ` +
      `(exponent within ±${MAX_NUMBER_EXPONENT}, at most ${MAX_NUMBER_INTEGER_DIGITS} digits before the point and ${MAX_NUMBER_FRACTION_DIGITS} after)`
    );
  });
}

/** True when a number of the (valid) JSON text has more significant digits than a double keeps as written. */
export function holdsNumberBeyondDouble(json: string): boolean {
  return firstFromNumbers(json, ([, integer = '', fraction = '']) => (beyondDouble(`${integer}${fraction}`) ? true : undefined)) === true;
}

/**
 * Calls `visit` with each number literal of (valid) JSON text outside strings, in order, with its
 * start: the match holds the literal, then its digits before the point, after it, and of the
 * exponent. Stops at the first value `visit` returns, and returns it.
 */
export function firstFromNumbers<T>(json: string, visit: (match: RegExpExecArray, start: number) => T | undefined): T | undefined {
  let i = 0;
  while (i < json.length) {
    // Character codes rather than a pattern per character: this runs over every byte of every body.
    const c = json.charCodeAt(i);
    if (c === 0x22 /* " */) {
      i = endOfString(json, i);
    } else if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      NUMBER_LITERAL.lastIndex = i;
      const match = NUMBER_LITERAL.exec(json);
      if (!match) {
        i += 1;
        continue;
      }
      const found = visit(match, i);
      if (found !== undefined) return found;
      i += match[0].length;
    } else {
      i += 1;
    }
  }
  return undefined;
}

/**
 * The source text of a number member of the top-level object, e.g. "125.50" for {"amount":125.50}.
 * JSON.parse turns numbers into binary floats; money must keep the digits the client sent.
 * Scans the (already validated) JSON text once; the last occurrence wins, as in JSON.parse.
 */
export function topLevelNumberLiteral(json: string, key: string): string | undefined {
  let depth = 0;
  let expectingKey = false;
  let found: string | undefined;
  let i = 0;
  while (i < json.length) {
    const c = json.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const end = endOfString(json, i);
      if (depth === 1 && expectingKey) {
        const name: unknown = JSON.parse(json.slice(i, end));
        let j = skipWhitespace(json, end);
        j = skipWhitespace(json, j + 1); // past ':'
        if (name === key) {
          NUMBER_LITERAL.lastIndex = j;
          found = NUMBER_LITERAL.exec(json)?.[0];
        }
        expectingKey = false;
        i = j;
        continue;
      }
      i = end;
      continue;
    }
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      depth += 1;
      expectingKey = c === 0x7b && depth === 1;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth -= 1;
    } else if (c === 0x2c /* , */ && depth === 1) {
      expectingKey = true;
    }
    i += 1;
  }
  return found;
}

/** The index just past the string that opens at `start` in (valid) JSON text. */
function endOfString(json: string, start: number): number {
  let i = start + 1;
  while (i < json.length) {
    const c = json.charCodeAt(i);
    if (c === 0x5c /* \ */) i += 2;
    else if (c === 0x22) return i + 1;
    else i += 1;
  }
  return json.length;
}

function skipWhitespace(json: string, i: number): number {
  while (i < json.length && /\s/.test(json[i]!)) i += 1;
  return i;
}
