// Liveness and readiness probes for operators and orchestrators.
import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { ProviderHealth } from '../../application/ports/provider-health.port';
import { MigrationRunner } from '../persistence/migration-runner';
import { PostgresTransactionStore } from '../persistence/postgres-transaction.store';

@ApiTags('Operators')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly migrations: MigrationRunner,
    private readonly providers: ProviderHealth,
    private readonly transactions: PostgresTransactionStore,
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
    description: 'details.monitoring lists each monitoring provider (breaker state, consecutive failures, last error) for information: a provider that is down never fails readiness, since validate answers FALLBACK_STATUS without it.',
  })
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 1000 }),
      // Validate's own pool and table: a lock held on transactions, or an exhausted pool, fails it
      // as surely as a refused connection; so do validate statements failing in the last seconds.
      async () => {
        const session = this.indicators.check('validate');
        try {
          await this.transactions.probe(1000);
        } catch (error) {
          return session.down({ message: (error as Error).message });
        }
        const problem = this.transactions.health.problem();
        return problem ? session.down({ message: problem }) : session.up();
      },
      async () => {
        const session = this.indicators.check('migrations');
        try {
          return (await this.migrations.isUpToDate()) ? session.up() : session.down({ message: 'pending migrations' });
        } catch (error) {
          return session.down({ message: (error as Error).message });
        }
      },
      // Informational: a provider that is down makes validate answer the fallback, which is not a reason to take this replica out.
      () => this.indicators.check('monitoring').up({ providers: this.providers.providers() }),
    ]);
  }
}
