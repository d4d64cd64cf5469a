// The signed checkpoints of the audit chains, exported for keeping outside the database.
import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditCheckpoints } from '../../application/audit-checkpoints.use-case';
import { ANALYST_BEARER_SCHEME, AnalystAuthGuard } from './analyst-auth.guard';
import { CheckpointPageDto, ListCheckpointsQuery } from './audit.dto';
import { asJsonView } from './json-view';
import { ApiProblemResponses } from './openapi';
import { integerFromQuery, positionFromQuery, StrictValidationPipe } from './validation.pipe';

@ApiTags('Audit')
@ApiBearerAuth(ANALYST_BEARER_SCHEME)
@UseGuards(AnalystAuthGuard)
@Controller('audit')
export class AuditCheckpointsController {
  constructor(private readonly checkpoints: AuditCheckpoints) {}

  @Get('checkpoints')
  @ApiOperation({
    summary: 'Signed checkpoints of the audit chains, oldest first',
    description:
      'With AUDIT_SIGNING_KEY set, the service signs the heads of the chains that moved every AUDIT_CHECKPOINT_INTERVAL_SECONDS. ' +
      'Keep these outside the database: `npm run audit:verify -- --public-key FILE` checks each one against the chains, and a copy kept ' +
      'elsewhere shows a checkpoint that was removed. Page with `after` (the `next` of the previous page).',
  })
  @ApiOkResponse({ type: CheckpointPageDto })
  @ApiProblemResponses(400, 401)
  async list(@Query(new StrictValidationPipe(ListCheckpointsQuery, { after: positionFromQuery, limit: integerFromQuery })) query: ListCheckpointsQuery): Promise<CheckpointPageDto> {
    const page = await this.checkpoints.list(query.after ?? 0, query.limit ?? 100);
    return { items: asJsonView(page.items) as CheckpointPageDto['items'], next: page.next };
  }
}
