// A case's evidence pack: everything recorded about it and its verified chain, as JSON or as a printable page.
import { Controller, Get, Param, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { EvidencePack } from '../../application/evidence-pack.use-case';
import { ANALYST_BEARER_SCHEME, AnalystAuthGuard } from './analyst-auth.guard';
import { EvidenceDto, EvidenceQuery } from './audit.dto';
import { EVIDENCE_STYLE_SOURCE, renderEvidenceHtml } from './evidence-html';
import { evidenceView } from './evidence-view';
import { withRawPayload } from './json-view';
import { ApiProblemResponses } from './openapi';
import { PathIdPipe } from './path-params';
import { StrictValidationPipe } from './validation.pipe';

/** The page needs its own stylesheet and nothing else: no script, no image, no request anywhere. */
const EVIDENCE_PAGE_POLICY = `default-src 'none'; style-src ${EVIDENCE_STYLE_SOURCE}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

@ApiTags('Analysts')
@ApiBearerAuth(ANALYST_BEARER_SCHEME)
@UseGuards(AnalystAuthGuard)
@Controller('transactions')
export class EvidenceController {
  constructor(private readonly evidence: EvidencePack) {}

  @Get(':transactionId/evidence')
  @ApiOperation({
    summary: 'The evidence pack of a case',
    description:
      'Everything recorded about the transaction in one document: the payload as received, the verdicts, the decisions, the notes, ' +
      'the attachments (names and SHA-256 digests), the notifications to Toqio with their attempts and the payment events, with its ' +
      'hash chain and the result of verifying it (the rules of `npm run audit:verify`). JSON by default; `format=html` gives a printable page.',
  })
  @ApiProduces('application/json', 'text/html')
  @ApiOkResponse({ type: EvidenceDto })
  @ApiProblemResponses(400, 401, 404)
  async pack(
    @Param('transactionId', new PathIdPipe('transactionId')) transactionId: string,
    @Query(new StrictValidationPipe(EvidenceQuery)) query: EvidenceQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const evidence = await this.evidence.of(transactionId);
    void reply.header('cache-control', 'private, no-store');
    if (query.format === 'html') {
      void reply.type('text/html; charset=utf-8').header('content-security-policy', EVIDENCE_PAGE_POLICY);
      return renderEvidenceHtml(evidence);
    }
    void reply.type('application/json; charset=utf-8');
    return withRawPayload(evidenceView(evidence), evidence.detail.payloadJson);
  }
}
