// The analyst API of a case's file: notes and attachments, each appended to the transaction's hash chain.
import { Body, Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CaseRecords } from '../../application/case-records.use-case';
import { Analyst, ANALYST_BEARER_SCHEME, AnalystAuthGuard } from './analyst-auth.guard';
import { NoteDto, NoteRequest } from './case-records.dto';
import { asJsonView } from './json-view';
import { ApiProblemResponses } from './openapi';
import { PathIdPipe } from './path-params';
import { GatedBy } from './request-gate';
import { StrictValidationPipe } from './validation.pipe';

/** A note of 10,000 characters, every one of them escaped (\uXXXX), still fits. */
const NOTE_BODY_LIMIT = 64 * 1024;

@ApiTags('Analysts')
@ApiBearerAuth(ANALYST_BEARER_SCHEME)
@UseGuards(AnalystAuthGuard)
@Controller('transactions')
export class CaseRecordsController {
  constructor(private readonly records: CaseRecords) {}

  @Post(':transactionId/notes')
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
}
