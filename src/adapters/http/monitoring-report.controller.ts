// Analysts' view of shadow mode: how often the challenger agreed with the live provider, by status pair.
import { Controller, Get, Inject, UseGuards } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ReadProviderVerdicts } from '../../application/read-provider-verdicts.use-case';
import { monitoringConfig } from '../../config/monitoring.config';
import { ANALYST_BEARER_SCHEME, AnalystAuthGuard } from './analyst-auth.guard';
import { ShadowReportDto } from './monitoring.dto';
import { ApiProblemResponses } from './openapi';

@ApiTags('Monitoring providers')
@ApiBearerAuth(ANALYST_BEARER_SCHEME)
@UseGuards(AnalystAuthGuard)
@Controller('monitoring')
export class MonitoringReportController {
  constructor(
    private readonly verdicts: ReadProviderVerdicts,
    @Inject(monitoringConfig.KEY) private readonly monitoring: ConfigType<typeof monitoringConfig>,
  ) {}

  @Get('shadow-report')
  @ApiOperation({
    summary: 'Shadow mode: agreement of the challenger with the live provider',
    description:
      'For every challenger (MONITORING_SHADOW_PROVIDER, now or before): its verdicts counted by (live status answered to Toqio, shadow status). ' +
      'Challenger verdicts never change an answer; they are stored beside the live ones.',
  })
  @ApiOkResponse({ type: ShadowReportDto })
  @ApiProblemResponses(401)
  async report(): Promise<ShadowReportDto> {
    const providers = await this.verdicts.shadowReport();
    const current = this.monitoring.shadowProviders;
    return { currentShadowProviders: current.length > 0 ? [current.join('+')] : [], providers: providers as ShadowReportDto['providers'] };
  }
}
