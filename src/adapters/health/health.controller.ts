// Liveness and readiness probes for operators and orchestrators.
import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { FastifyReply } from 'fastify';
import { MigrationsHealthIndicator, MonitoringHealthIndicator, ValidateHealthIndicator, withoutErrorText } from './readiness.indicators';

@ApiTags('Operators')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly migrations: MigrationsHealthIndicator,
    private readonly monitoring: MonitoringHealthIndicator,
    private readonly validate: ValidateHealthIndicator,
  ) {}

  /** 200 while the process runs and its event loop turns. */
  @Get('live')
  @ApiOperation({ summary: 'Liveness: 200 while the process runs' })
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /** 200 when the database answers, validate's statements are served, and every migration is applied; 503 otherwise. */
  @Get('ready')
  @ApiOperation({
    summary: 'Readiness: 200 when the database answers, validate can use it, and migrations are applied; 503 otherwise',
    description: 'details.monitoring lists each monitoring provider (breaker state, consecutive failures, last success and failure times; the error text is in the log, not here) for information: a provider that is down never fails readiness, since validate answers FALLBACK_STATUS without it.',
  })
  @HealthCheck()
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () => withoutErrorText('database', 'the database does not answer', this.database.pingCheck('database', { timeout: 1000 })),
        () => this.validate.check('validate'),
        () => this.migrations.check('migrations'),
        () => this.monitoring.check('monitoring'),
      ]);
    } catch (error) {
      // Terminus says 503 by throwing its report. Answered as the report itself, which says what is
      // down; the problem filter would keep none of it and log a stack trace for every probe, when
      // the indicators already log the cause.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      void reply.status(503);
      return error.getResponse() as HealthCheckResult;
    }
  }
}
