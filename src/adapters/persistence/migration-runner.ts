// Applies pending migrations at start, one replica at a time.
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SchemaStatus } from '../../application/ports/schema-status.port';

/** Arbitrary but fixed: every replica takes the same advisory lock around migrations. */
const MIGRATION_LOCK = 7_370_001;

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
      await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
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
}
