// Rules administration flow: the managed lists, the versioned rule sets and their backtests (with the worker that runs them).
import { Module } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { Backtests } from '../application/backtests.use-case';
import { ManageLists } from '../application/manage-lists.use-case';
import { ManageRuleSets } from '../application/manage-rule-sets.use-case';
import { BacktestStore } from '../application/ports/backtest-store.port';
import { ManagedListStore } from '../application/ports/managed-list-store.port';
import { RuleSetChecker } from '../application/ports/rule-set-checker.port';
import { RuleSetEvaluator } from '../application/ports/rule-set-evaluator.port';
import { RuleSetStore } from '../application/ports/rule-set-store.port';
import { TransactionHistory } from '../application/ports/transaction-history.port';
import { RunBacktests } from '../application/run-backtests.use-case';
import { BacktestWorker } from '../adapters/background/backtest.worker';
import { LiveManagedLists } from '../adapters/monitoring/rules/live-managed-lists';
import { RulesStateModule } from '../adapters/monitoring/rules/rules-state.module';
import { RulesEngineChecker } from '../adapters/monitoring/rules/rule-set.checker';
import { RulesEngineEvaluator } from '../adapters/monitoring/rules/rule-set.evaluator';
import { PersistenceModule } from '../adapters/persistence/persistence.module';
import { LiveSanctionsIndex } from '../adapters/sanctions/live-sanctions-index';

/** The sanctions index exists only where the rules provider is enabled; a backtest without it screens no names, one with it holds it (built while held). */
function sanctionsOf(moduleRef: ModuleRef): LiveSanctionsIndex | undefined {
  try {
    return moduleRef.get(LiveSanctionsIndex, { strict: false });
  } catch {
    return undefined;
  }
}

@Module({
  imports: [PersistenceModule, RulesStateModule],
  providers: [
    { provide: RuleSetChecker, useValue: new RulesEngineChecker() },
    {
      provide: RuleSetEvaluator,
      inject: [LiveManagedLists, ModuleRef],
      useFactory: (lists: LiveManagedLists, moduleRef: ModuleRef) => new RulesEngineEvaluator(() => ({ lists, sanctions: sanctionsOf(moduleRef) }), () => sanctionsOf(moduleRef)),
    },
    { provide: ManageLists, inject: [ManagedListStore], useFactory: (store: ManagedListStore) => new ManageLists(store) },
    {
      provide: ManageRuleSets,
      inject: [RuleSetStore, RuleSetChecker, ManagedListStore],
      useFactory: (store: RuleSetStore, checker: RuleSetChecker, lists: ManagedListStore) => new ManageRuleSets(store, checker, lists),
    },
    {
      provide: BacktestWorker,
      inject: [BacktestStore, TransactionHistory, RuleSetEvaluator],
      useFactory: (store: BacktestStore, history: TransactionHistory, evaluator: RuleSetEvaluator) => new BacktestWorker(new RunBacktests(store, history, evaluator)),
    },
    {
      provide: Backtests,
      inject: [BacktestStore, RuleSetStore, RuleSetEvaluator, BacktestWorker],
      useFactory: (store: BacktestStore, ruleSets: RuleSetStore, evaluator: RuleSetEvaluator, worker: BacktestWorker) => new Backtests(store, ruleSets, evaluator, () => worker.wake()),
    },
  ],
  exports: [ManageLists, ManageRuleSets, Backtests],
})
export class RulesAdminModule {}
