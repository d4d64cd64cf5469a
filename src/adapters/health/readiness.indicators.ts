// Readiness indicators beside the database ping: validate's own statements, the schema's migrations, and the monitoring providers for information.
import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { ProviderHealth } from '../../application/ports/provider-health.port';
import { SchemaStatus } from '../../application/ports/schema-status.port';
import { PostgresTransactionStore } from '../persistence/postgres-transaction.store';

@Injectable()
export class MigrationsHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly schema: SchemaStatus,
  ) {}

  async check(key: string): Promise<HealthIndicatorResult> {
    const session = this.indicators.check(key);
    try {
      return (await this.schema.isUpToDate()) ? session.up() : session.down({ message: 'pending migrations' });
    } catch (error) {
      return session.down({ message: (error as Error).message });
    }
  }
}

/** Always up: a provider that is down makes validate answer the fallback, which is not a reason to take this replica out. */
@Injectable()
export class MonitoringHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly providers: ProviderHealth,
  ) {}

  check(key: string): HealthIndicatorResult {
    return this.indicators.check(key).up({ providers: this.providers.providers() });
  }
}

/**
 * Validate's own pool and table: a lock held on transactions, or an exhausted pool, fails it as
 * surely as a refused connection; so do validate's statements failing or stuck right now.
 */
@Injectable()
export class ValidateHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly transactions: PostgresTransactionStore,
  ) {}

  async check(key: string): Promise<HealthIndicatorResult> {
    const session = this.indicators.check(key);
    try {
      await this.transactions.probe(1000);
    } catch (error) {
      return session.down({ message: (error as Error).message });
    }
    const problem = this.transactions.health.problem();
    return problem ? session.down({ message: problem }) : session.up();
  }
}
