// The analyst API of bulk decisions: many held transactions decided in one request, each answered on its own.
import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { BulkItem, DecideInBulk } from '../../application/decide-in-bulk.use-case';
import { Principal } from '../../domain/analyst-role';
import { ANALYST_BEARER_SCHEME, AnalystAuthGuard, CurrentPrincipal } from './analyst-auth.guard';
import { BULK_DECISIONS_BODY_LIMIT, BulkDecisionAnswerDto, BulkDecisionPipe, BulkDecisionRequest, MAX_BULK_ITEMS } from './bulk-decisions.dto';
import { ApiProblemResponses } from './openapi';
import { GatedBy } from './request-gate';

@ApiTags('Analysts')
@ApiBearerAuth(ANALYST_BEARER_SCHEME)
@UseGuards(AnalystAuthGuard)
@Controller('transactions')
export class BulkDecisionsController {
  constructor(private readonly bulk: DecideInBulk) {}

  @Post('decisions')
  @GatedBy(AnalystAuthGuard, { bodyLimit: BULK_DECISIONS_BODY_LIMIT })
  @HttpCode(200)
  @ApiOperation({
    summary: 'Decide many held transactions at once',
    description:
      `1 to ${MAX_BULK_ITEMS} items (400 beyond, or for any invalid item, naming it as items[i].field; nothing is decided then). ` +
      'Each item is decided exactly as POST /transactions/{id}/decision would decide it, in its own database transaction: four eyes, claims and ' +
      'roles apply, and each final decision queues its notification to Toqio with it. 200 with one result per item, in order. A transactionId ' +
      'repeated in the request is decided at its first item only; each repeat is CONFLICT. Needs the analyst role.',
  })
  @ApiBody({ type: BulkDecisionRequest })
  @ApiOkResponse({ type: BulkDecisionAnswerDto })
  @ApiProblemResponses(400, 401)
  async decide(@Body(new BulkDecisionPipe()) items: BulkItem[], @CurrentPrincipal() analyst: Principal): Promise<BulkDecisionAnswerDto> {
    return { results: await this.bulk.decide(items, analyst) };
  }
}
