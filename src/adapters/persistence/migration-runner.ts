// Applies pending migrations at start, one replica at a time.
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource, QueryRunner } from 'typeorm';
import { SchemaStatus } from '../../application/ports/schema-status.port';

/**
 * Arbitrary but fixed: every replica takes the same advisory lock around migrations. Releases
 * before migration 1765500000000 waited on 7_370_001 in pg_advisory_lock; a replica of theirs
 * starting while this release builds an index CONCURRENTLY (a rollback, a crash loop) would block
 * the build for ever (see takeLock). On a key of its own, it never waits for this release: it has
 * no migration pending on a database this release has migrated, so it needs no lock from it.
 */
export const MIGRATION_LOCK = 7_370_002;

/** How often a replica waiting for another's migrations tries the lock again. */
const LOCK_RETRY_MS = 250;

/** How often a replica still waiting says so. */
const WAITING_LOG_MS = 10_000;

/** The pool's client under TypeORM's PostgreSQL query runner: released with an error, pg closes it. */
interface PostgresRunner extends QueryRunner {
  releasePostgresConnection(error?: Error): Promise<void>;
}

@Injectable()
export class MigrationRunner extends SchemaStatus implements OnModuleInit {
  private readonly logger = new Logger(MigrationRunner.name);

  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async onModuleInit(): Promise<void> {
    const lock = this.dataSource.createQueryRunner() as PostgresRunner;
    await lock.connect();
    let held = false;
    try {
      await this.takeLock(lock);
      held = true;
      const applied = await this.dataSource.runMigrations({ transaction: 'each' });
      if (applied.length > 0) this.logger.log(`applied migrations: ${applied.map((m) => m.name).join(', ')}`);
    } finally {
      await this.releaseLock(lock, held);
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
    let told: number | undefined;
    for (;;) {
      const [row] = (await lock.query('SELECT pg_try_advisory_lock($1) AS taken', [MIGRATION_LOCK])) as { taken: boolean }[];
      if (row?.taken) return;
      if (told === undefined || Date.now() - told >= WAITING_LOG_MS) {
        told = Date.now();
        this.logger.log(`another replica is applying the migrations: waiting for it (${Math.round((told - started) / 1000)} s so far)`);
      }
      await new Promise((resolve) => setTimeout(resolve, LOCK_RETRY_MS));
    }
  }

  /**
   * A session lock stays with its connection: one that cannot be seen released is closed, not
   * given back to the pool, where it would keep every later start waiting.
   */
  private async releaseLock(lock: PostgresRunner, held: boolean): Promise<void> {
    let failure: Error | undefined;
    if (held) {
      try {
        const [row] = (await lock.query('SELECT pg_advisory_unlock($1) AS released', [MIGRATION_LOCK])) as { released: boolean }[];
        if (!row?.released) failure = new Error('the migration lock was not held at release');
      } catch (error) {
        failure = error as Error;
      }
    }
    await lock.releasePostgresConnection(failure);
  }
}
