// Liveness and readiness probes for operators and orchestrators.
import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { MigrationRunner } from '../persistence/migration-runner';

@ApiTags('Operators')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly migrations: MigrationRunner,
  ) {}

  /** 200 while the process runs and its event loop turns. */
  @Get('live')
  @ApiOperation({ summary: 'Liveness: 200 while the process runs' })
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /** 200 when the database answers and every migration is applied; 503 otherwise. */
  @Get('ready')
  @ApiOperation({ summary: 'Readiness: 200 when the database answers and migrations are applied, 503 otherwise' })
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 1000 }),
      async () => {
        const session = this.indicators.check('migrations');
        try {
          return (await this.migrations.isUpToDate()) ? session.up() : session.down({ message: 'pending migrations' });
        } catch (error) {
          return session.down({ message: (error as Error).message });
        }
      },
    ]);
  }
}
