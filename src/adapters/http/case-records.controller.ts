// The analyst API of a case's file: notes and attachments, each appended to the transaction's hash chain.
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { CaseRecords } from '../../application/case-records.use-case';
import { Analyst, ANALYST_BEARER_SCHEME, AnalystAuthGuard, RequiresRole } from './analyst-auth.guard';
import { auditConfig } from '../../config/audit.config';
import { contentDisposition, readUploadedFile } from './attachment-upload';
import { AttachmentDto, AttachmentUploadDto, NoteDto, NoteRequest } from './case-records.dto';
import { asJsonView } from './json-view';
import { ApiProblemResponses } from './openapi';
import { PathIdPipe } from './path-params';
import { GatedBy } from './request-gate';
import { StrictValidationPipe } from './validation.pipe';

/** A note of 10,000 characters, every one of them escaped (\uXXXX, an emoji as two), still fits. */
const NOTE_BODY_LIMIT = 128 * 1024;

@ApiTags('Analysts')
@ApiBearerAuth(ANALYST_BEARER_SCHEME)
@UseGuards(AnalystAuthGuard)
@Controller('transactions')
export class CaseRecordsController {
  private readonly maxBytes: number;

  constructor(
    private readonly records: CaseRecords,
    @Inject(auditConfig.KEY) audit: ConfigType<typeof auditConfig>,
  ) {
    this.maxBytes = audit.attachmentMaxBytes;
  }

  @Post(':transactionId/notes')
  @RequiresRole('analyst')
  @GatedBy(AnalystAuthGuard, { bodyLimit: NOTE_BODY_LIMIT })
  @HttpCode(201)
  @ApiOperation({
    summary: 'Add a note to the case',
    description: 'Free text, 1 to 10,000 characters once trimmed. Notes are append-only: they enter the transaction\'s hash chain (checked by `npm run audit:verify`) and are never edited or deleted.',
  })
  @ApiBody({ type: NoteRequest })
  @ApiCreatedResponse({ type: NoteDto })
  @ApiProblemResponses(400, 401, 404, 503)
  async addNote(
    @Param('transactionId', new PathIdPipe('transactionId')) transactionId: string,
    @Body(new StrictValidationPipe(NoteRequest)) body: NoteRequest,
    @Analyst() analyst: string,
  ): Promise<NoteDto> {
    const { author, text, at } = await this.records.addNote(transactionId, analyst, body.text);
    return asJsonView({ author, text, at });
  }

  @Post(':transactionId/attachments')
  @RequiresRole('analyst')
  @GatedBy(AnalystAuthGuard, { multipart: true })
  @HttpCode(201)
  @ApiOperation({
    summary: 'Attach a file to the case',
    description:
      'multipart/form-data with one file in a part named `file`, at most ATTACHMENT_MAX_BYTES (10 MiB by default). Accepted: PDF, PNG, JPEG, ' +
      'plain text and CSV (UTF-8). 415 for another content type, 422 when the bytes are not what the content type says (magic bytes; ' +
      'valid UTF-8 without NUL for text). Its name is kept ending as its type is known (report.html sent as text/plain is kept as report.html.txt). ' +
      'The file is kept in PostgreSQL and its SHA-256 enters the hash chain.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: AttachmentUploadDto })
  @ApiCreatedResponse({ type: AttachmentDto })
  @ApiProblemResponses(400, 401, 404, 422, 503)
  async addAttachment(
    @Param('transactionId', new PathIdPipe('transactionId')) transactionId: string,
    @Req() request: FastifyRequest,
    @Analyst() analyst: string,
  ): Promise<AttachmentDto> {
    const file = await readUploadedFile(request, this.maxBytes);
    const { attachmentId, filename, contentType, size, sha256, author, at } = await this.records.addAttachment(transactionId, analyst, file);
    return asJsonView({ id: attachmentId, filename, contentType, size, sha256, by: author, at });
  }

  @Get(':transactionId/attachments/:attachmentId')
  @ApiOperation({
    summary: 'Download an attachment',
    description: 'The file as stored, with its content type, `Content-Disposition: attachment` and `X-Content-Type-Options: nosniff`; never shown inline.',
  })
  @ApiProduces('application/pdf', 'image/png', 'image/jpeg', 'text/plain', 'text/csv')
  @ApiOkResponse({ description: 'The file', schema: { type: 'string', format: 'binary', example: '%PDF-1.7 …' } })
  @ApiProblemResponses(400, 401, 404)
  async attachment(
    @Param('transactionId', new PathIdPipe('transactionId')) transactionId: string,
    @Param('attachmentId', new PathIdPipe('attachmentId', 36)) attachmentId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const file = await this.records.attachment(transactionId, attachmentId);
    await reply
      .headers({
        'content-type': file.contentType.startsWith('text/') ? `${file.contentType}; charset=utf-8` : file.contentType,
        'content-disposition': contentDisposition(file.filename),
        'x-content-type-options': 'nosniff',
        'content-security-policy': "default-src 'none'; sandbox",
        'cache-control': 'private, no-store',
      })
      .send(Buffer.from(file.content.buffer, file.content.byteOffset, file.content.byteLength));
  }
}
