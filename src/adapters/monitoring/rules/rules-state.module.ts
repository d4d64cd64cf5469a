// What the rules engine holds in memory on every replica: the active rule set and the managed lists, read before traffic and followed after.
import { Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { ManagedListStore } from '../../../application/ports/managed-list-store.port';
import { RuleSetStore } from '../../../application/ports/rule-set-store.port';
import { monitoringConfig } from '../../../config/monitoring.config';
import { PersistenceModule } from '../../persistence/persistence.module';
import { LiveManagedLists } from './live-managed-lists';
import { LiveRuleSet } from './live-rule-set';
import { readRulesFile } from './rules-file';

@Module({
  imports: [PersistenceModule],
  providers: [
    { provide: LiveManagedLists, inject: [ManagedListStore], useFactory: (store: ManagedListStore) => new LiveManagedLists(store, new Logger('ManagedLists')) },
    {
      provide: LiveRuleSet,
      inject: [RuleSetStore, monitoringConfig.KEY],
      useFactory: (store: RuleSetStore, monitoring: ConfigType<typeof monitoringConfig>) => new LiveRuleSet(store, readRulesFile(monitoring.rulesFile), new Logger('RuleSet')),
    },
  ],
  exports: [LiveManagedLists, LiveRuleSet],
})
export class RulesStateModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly ruleSet: LiveRuleSet,
    private readonly lists: LiveManagedLists,
  ) {}

  /** Migrations run before modules initialise (PersistenceModule), so the tables exist by now. */
  async onModuleInit(): Promise<void> {
    await this.ruleSet.start();
    await this.lists.start(this.ruleSet.current().ruleSet.lists);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.ruleSet.stop();
    await this.lists.stop();
  }
}
