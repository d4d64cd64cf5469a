// Rules administration flow: the managed lists (read by analysts, changed by admins) and the versioned rule sets.
import { Module } from '@nestjs/common';
import { ManageLists } from '../application/manage-lists.use-case';
import { ManageRuleSets } from '../application/manage-rule-sets.use-case';
import { ManagedListStore } from '../application/ports/managed-list-store.port';
import { RuleSetChecker } from '../application/ports/rule-set-checker.port';
import { RuleSetStore } from '../application/ports/rule-set-store.port';
import { RulesEngineChecker } from '../adapters/monitoring/rules/rule-set.checker';
import { PersistenceModule } from '../adapters/persistence/persistence.module';

@Module({
  imports: [PersistenceModule],
  providers: [
    { provide: RuleSetChecker, useValue: new RulesEngineChecker() },
    { provide: ManageLists, inject: [ManagedListStore], useFactory: (store: ManagedListStore) => new ManageLists(store) },
    {
      provide: ManageRuleSets,
      inject: [RuleSetStore, RuleSetChecker, ManagedListStore],
      useFactory: (store: RuleSetStore, checker: RuleSetChecker, lists: ManagedListStore) => new ManageRuleSets(store, checker, lists),
    },
  ],
  exports: [ManageLists, ManageRuleSets],
})
export class RulesAdminModule {}
