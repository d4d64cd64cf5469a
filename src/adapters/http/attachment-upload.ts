// File uploads: multipart/form-data only where a route asks for it, read whole up to ATTACHMENT_MAX_BYTES, every failure a 4xx.
import multipart from '@fastify/multipart';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyRequest } from 'fastify';
import { UploadedFile } from '../../application/case-records.use-case';
import { Problem } from './problem-details';
import { acceptsMultipart } from './request-gate';

/** Room for the multipart framing around the file: boundaries, part headers, a long file name. */
const FRAMING_BYTES = 16 * 1024;

export class PayloadTooLargeProblem extends Problem {
  constructor(maxBytes: number) {
    super(413, 'payload-too-large', 'Payload too large', `A file may be at most ${maxBytes} bytes (ATTACHMENT_MAX_BYTES)`);
  }
}

/**
 * Call after the JSON parser is registered (it removes every other parser). The multipart parser
 * reads nothing by itself: the route streams the file. A route that did not ask for multipart
 * answers 415 before anything is read, as it did before this parser existed.
 */
export async function registerAttachmentUploads(app: NestFastifyApplication, maxBytes: number): Promise<void> {
  await app.register(multipart as never, {
    limits: { fileSize: maxBytes, files: 1, fields: 0, parts: 1, fieldNameSize: 100, headerPairs: 20 },
    throwFileSizeLimit: true,
  });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('preValidation', (request, _reply, done) => {
    if (request.isMultipart() && !acceptsMultipart(request)) {
      return done(new Problem(415, 'about:blank', 'Unsupported Media Type', 'Unsupported content type; send application/json'));
    }
    done();
  });
}

/**
 * The one file of a multipart/form-data body, in a part named `file`. A declared length beyond
 * the limit is refused before a byte of the body is read. The body is read to its end before the
 * file is handed over: a part after the file (a second file, a field) trips the parts limit and is
 * refused as a part before it is, so nothing is stored. Whatever follows the file is skipped by the
 * parser, never held.
 */
export async function readUploadedFile(request: FastifyRequest, maxBytes: number): Promise<UploadedFile> {
  if (!request.isMultipart()) throw new Problem(415, 'about:blank', 'Unsupported Media Type', 'Send the file as multipart/form-data, in a part named "file"');
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes + FRAMING_BYTES) throw new PayloadTooLargeProblem(maxBytes);
  try {
    const parts = request.parts();
    const first = await parts.next();
    const part = first.done ? undefined : first.value;
    if (part === undefined) throw new Problem(400, 'invalid-request', 'Invalid request', 'The body holds no file: send it in a part named "file"', [{ field: 'file', message: 'is required' }]);
    if (part.type !== 'file') throw notOneFile();
    if (part.fieldname !== 'file') {
      part.file.resume();
      throw new Problem(400, 'invalid-request', 'Invalid request', `The file must be in a part named "file", not "${part.fieldname.slice(0, 100)}"`, [{ field: 'file', message: 'is required' }]);
    }
    const content = await part.toBuffer();
    // The parts limit makes any further part an error here; a part handed over all the same is refused alike.
    const rest = await parts.next();
    if (!rest.done) {
      if (rest.value.type === 'file') rest.value.file.resume();
      throw notOneFile();
    }
    return { filename: part.filename ?? '', contentType: part.mimetype ?? '', content };
  } catch (error) {
    throw uploadProblem(error, maxBytes);
  }
}

function notOneFile(): Problem {
  return new Problem(413, 'payload-too-large', 'Payload too large', 'Send exactly one file, in a part named "file", and nothing else');
}

/** Whatever reading the body threw, as the client's problem: the body is the client's. */
function uploadProblem(error: unknown, maxBytes: number): Problem {
  if (error instanceof Problem) return error;
  const code = (error as { code?: unknown })?.code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return new PayloadTooLargeProblem(maxBytes);
  if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') return notOneFile();
  // @fastify/multipart refuses a part named after a member of Object.prototype ("toString") before we see it.
  if (code === 'FST_PROTO_VIOLATION') return new Problem(400, 'invalid-request', 'Invalid request', 'The file must be in a part named "file"', [{ field: 'file', message: 'is required' }]);
  return new Problem(400, 'malformed-request', 'Malformed request', 'The multipart/form-data body cannot be read (a missing boundary, or a part cut short)');
}

/**
 * Content-Disposition for a download: always `attachment` (never rendered in the page), the name
 * in plain ASCII for old clients and in full as RFC 8187 `filename*`.
 */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
