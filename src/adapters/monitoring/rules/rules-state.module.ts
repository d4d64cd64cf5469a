// What the rules engine holds in memory on every replica beside its rules: the managed lists, read before traffic and followed after.
import { Inject, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { ManagedListStore } from '../../../application/ports/managed-list-store.port';
import { monitoringConfig } from '../../../config/monitoring.config';
import { PersistenceModule } from '../../persistence/persistence.module';
import { LiveManagedLists } from './live-managed-lists';
import { readRulesFile } from './rules-file';

@Module({
  imports: [PersistenceModule],
  providers: [{ provide: LiveManagedLists, inject: [ManagedListStore], useFactory: (store: ManagedListStore) => new LiveManagedLists(store, new Logger('ManagedLists')) }],
  exports: [LiveManagedLists],
})
export class RulesStateModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly lists: LiveManagedLists,
    @Inject(monitoringConfig.KEY) private readonly monitoring: ConfigType<typeof monitoringConfig>,
  ) {}

  /** Migrations run before modules initialise (PersistenceModule), so the tables exist by now. */
  async onModuleInit(): Promise<void> {
    await this.lists.start(readRulesFile(this.monitoring.rulesFile).lists);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.lists.stop();
  }
}
