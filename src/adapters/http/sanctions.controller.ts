// Analysts clear a sanctions hit as a false positive for one customer, so that it stops recurring.
import { Body, Controller, HttpCode, Post, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { AllowanceView, AllowSanctionsMatch } from '../../application/allow-sanctions-match.use-case';
import { Principal } from '../../domain/analyst-role';
import { ANALYST_BEARER_SCHEME, AnalystAuthGuard, CurrentPrincipal, RequiresRole } from './analyst-auth.guard';
import { ApiProblemResponses } from './openapi';
import { GatedBy } from './request-gate';
import { AllowSanctionsMatchRequest, SanctionsAllowanceDto } from './sanctions.dto';
import { StrictValidationPipe } from './validation.pipe';

@ApiTags('Analysts')
@ApiBearerAuth(ANALYST_BEARER_SCHEME)
@UseGuards(AnalystAuthGuard)
@Controller('sanctions')
export class SanctionsController {
  constructor(private readonly allowMatch: AllowSanctionsMatch) {}

  @Post('allowed')
  @GatedBy(AnalystAuthGuard)
  @RequiresRole('analyst')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Allow a sanctions hit for one customer (a cleared false positive)',
    description:
      "From then on this customer's transactions to this name no longer hit this entry, on every replica within seconds; another name, " +
      'customer or entry still does. Who and when are recorded. 201 when new, 200 when it renews an allowance of the same customer, entry ' +
      'and name (with this reason and analyst). 400 when no loaded list has the entry. Needs the analyst role.',
  })
  @ApiBody({ type: AllowSanctionsMatchRequest })
  @ApiCreatedResponse({ type: SanctionsAllowanceDto, description: 'Allowed' })
  @ApiOkResponse({ type: SanctionsAllowanceDto, description: 'An existing allowance renewed' })
  @ApiProblemResponses(400, 401, 403)
  async allow(
    @Body(new StrictValidationPipe(AllowSanctionsMatchRequest)) body: AllowSanctionsMatchRequest,
    @CurrentPrincipal() analyst: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AllowanceView> {
    const { allowance, created } = await this.allowMatch.execute({
      customerId: body.customerId.trim(),
      entryId: body.entryId.trim(),
      name: body.name.trim(),
      reason: body.reason.trim(),
      analyst: analyst.name,
    });
    if (!created) void reply.status(200);
    return allowance;
  }
}
