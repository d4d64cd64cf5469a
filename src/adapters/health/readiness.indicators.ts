// Readiness indicators beside the database ping: validate's own statements, the schema's migrations, and the monitoring providers for information.
import { Injectable, Logger } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { ProviderHealth, ProviderStatus } from '../../application/ports/provider-health.port';
import { SchemaStatus } from '../../application/ports/schema-status.port';
import { PostgresTransactionStore } from '../persistence/postgres-transaction.store';

/*
 * Readiness answers whoever reaches its port, so error text (a provider's answer, a database
 * message naming hosts and users) goes to the log and the answer says only what is down.
 */
const logger = new Logger('Readiness');

function downBecause(what: string, error: unknown): { message: string } {
  logger.warn(`${what}: ${(error as Error)?.message ?? String(error)}`);
  return { message: `${what}; the reason is in the service's log` };
}

/**
 * A Terminus indicator's result with its error text moved to the log: its own indicators (the
 * database ping) put the driver's message ("password authentication failed for user ...") in
 * `message`.
 */
export async function withoutErrorText(key: string, what: string, result: PromiseLike<HealthIndicatorResult>): Promise<HealthIndicatorResult> {
  const outcome = await result;
  const details = outcome[key];
  if (details?.status !== 'down') return outcome;
  return { [key]: { status: 'down', ...downBecause(what, String(details.message ?? 'no reason given')) } };
}

/** What readiness shows of a provider: its state, without its last error's text. */
function publicStatus({ lastError: _lastError, ...status }: ProviderStatus): Omit<ProviderStatus, 'lastError'> {
  return status;
}

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
      return session.down(downBecause('the schema cannot be read', error));
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
    return this.indicators.check(key).up({ providers: this.providers.providers().map(publicStatus) });
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
      return session.down(downBecause('validate\'s database probe failed', error));
    }
    const problem = this.transactions.health.problem();
    return problem ? session.down(downBecause("validate's statements are failing or stuck", problem)) : session.up();
  }
}
