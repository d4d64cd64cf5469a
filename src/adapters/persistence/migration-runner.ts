// Applies pending migrations at start, one replica at a time.
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource, QueryRunner } from 'typeorm';
import { SchemaStatus } from '../../application/ports/schema-status.port';

/** Arbitrary but fixed: every replica takes the same advisory lock around migrations. */
const MIGRATION_LOCK = 7_370_001;

/** How often a replica waiting for another's migrations tries the lock again. */
const LOCK_RETRY_MS = 250;

/** How often a replica still waiting says so. */
const WAITING_LOG_MS = 10_000;

@Injectable()
export class MigrationRunner extends SchemaStatus implements OnModuleInit {
  private readonly logger = new Logger(MigrationRunner.name);

  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async onModuleInit(): Promise<void> {
    const lock = this.dataSource.createQueryRunner();
    await lock.connect();
    try {
      await this.takeLock(lock);
      const applied = await this.dataSource.runMigrations({ transaction: 'each' });
      if (applied.length > 0) this.logger.log(`applied migrations: ${applied.map((m) => m.name).join(', ')}`);
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
      await lock.release();
    }
  }

  async isUpToDate(): Promise<boolean> {
    return !(await this.dataSource.showMigrations());
  }

  /**
   * Tries the lock until it is free, idle in between, rather than waiting in pg_advisory_lock: a
   * statement waiting there holds a snapshot, and CREATE INDEX CONCURRENTLY in the migrating
   * replica waits for every snapshot older than its own to go. The lock is held by another
   * session than the one building the index, so PostgreSQL saw no deadlock, and every replica
   * starting together waited for ever.
   */
  private async takeLock(lock: QueryRunner): Promise<void> {
    const started = Date.now();
    let told = started;
    for (;;) {
      const [row] = (await lock.query('SELECT pg_try_advisory_lock($1) AS taken', [MIGRATION_LOCK])) as { taken: boolean }[];
      if (row?.taken) return;
      if (Date.now() - told >= WAITING_LOG_MS) {
        told = Date.now();
        this.logger.log(`waiting ${Math.round((told - started) / 1000)} s for another replica to apply the migrations`);
      }
      await new Promise((resolve) => setTimeout(resolve, LOCK_RETRY_MS));
    }
  }
}
