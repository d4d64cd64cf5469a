// Port to the rules engine as a backtest uses it: a candidate rule set, ready to screen stored transactions off validate's path.
import { AggregateQuery } from '../../domain/aggregate';
import { ScreeningContext } from '../../domain/screening-context';
import { Transaction } from '../../domain/transaction';
import { Verdict } from '../../domain/verdict';

export interface CandidateRuleSet {
  /** The aggregates over history its rules read. */
  readonly aggregates: readonly AggregateQuery[];
  /**
   * Readies the in-memory state its rules read (the sanctions index, built while anyone holds it)
   * and resolves to the function that lets it go; rejects when that state cannot be had.
   */
  hold(): Promise<() => void>;
  /** The verdict, and the ids of the rules that decided it. */
  screen(transaction: Transaction, context: ScreeningContext): { verdict: Verdict; fired: readonly string[] };
}

export abstract class RuleSetEvaluator {
  /** The candidate, or the problems that make it unusable. */
  abstract compile(source: string): CandidateRuleSet | { problems: readonly string[] };
}
