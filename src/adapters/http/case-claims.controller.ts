// The analyst API of claims: take a pending case for a while, and give it back.
import { Controller, Delete, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ClaimCase } from '../../application/claim-case.use-case';
import { Principal } from '../../domain/analyst-role';
import { ANALYST_BEARER_SCHEME, AnalystAuthGuard, CurrentPrincipal, RequiresRole } from './analyst-auth.guard';
import { ClaimDto } from './case-claims.dto';
import { asJsonView } from './json-view';
import { ApiProblemResponses } from './openapi';
import { PathIdPipe } from './path-params';
import { GatedBy } from './request-gate';

@ApiTags('Analysts')
@ApiBearerAuth(ANALYST_BEARER_SCHEME)
@UseGuards(AnalystAuthGuard)
@Controller('transactions')
export class CaseClaimsController {
  constructor(private readonly claims: ClaimCase) {}

  @Post(':transactionId/claim')
  @RequiresRole('analyst')
  @GatedBy(AnalystAuthGuard)
  @HttpCode(200)
  @ApiOperation({
    summary: 'Claim a pending case',
    description:
      'Takes the case for CLAIM_TTL_MINUTES (30 by default), or renews the caller\'s own claim; no body. While the claim holds, other analysts ' +
      'get 409 when they claim or decide it (a supervisor may still decide it, or release the claim). The claim lapses by itself; a decision ' +
      'ends it. 409 when another analyst\'s claim holds or the case is no longer pending. Every claim is kept in the case\'s `claimHistory`.',
  })
  @ApiOkResponse({ type: ClaimDto })
  @ApiProblemResponses(400, 401, 404, 409)
  async claim(@Param('transactionId', new PathIdPipe('transactionId')) transactionId: string, @CurrentPrincipal() by: Principal): Promise<ClaimDto> {
    const { assignee, claimedUntil } = await this.claims.claim(transactionId, by);
    return asJsonView({ assignee, claimedUntil });
  }

  @Delete(':transactionId/claim')
  @RequiresRole('analyst')
  @GatedBy(AnalystAuthGuard)
  @HttpCode(204)
  @ApiOperation({
    summary: 'Release the claim on a case',
    description:
      'Ends the caller\'s own claim; a supervisor may end anyone\'s (403 for an analyst). 204 also when no claim holds (none, lapsed, or the case was decided).',
  })
  @ApiNoContentResponse({ description: 'No claim holds the case now' })
  @ApiProblemResponses(400, 401, 404)
  async release(@Param('transactionId', new PathIdPipe('transactionId')) transactionId: string, @CurrentPrincipal() by: Principal): Promise<void> {
    await this.claims.release(transactionId, by);
  }
}
