// What every rule type of the embedded engine provides: a parser of its own fields and the check it builds.
import { ListDeclaration, ListType } from '../../../../domain/managed-list';
import { AggregateQuery } from '../../../../domain/aggregate';
import { ScreeningContext } from '../../../../domain/screening-context';
import { Transaction } from '../../../../domain/transaction';
import { NameQuery, ScreenedHits } from '../../../sanctions/matching/sanctions-index';

/** A rule entry as read from YAML or JSON, before its type has checked it. */
export type RuleFields = Readonly<Record<string, unknown>>;

/** Values for a reason's {placeholders}. */
export type Placeholders = Readonly<Record<string, string | number>>;

/** Everything a check may read about one transaction; state the engine holds in memory is added here. */
export interface RuleInput {
  readonly transaction: Transaction;
  /** History gathered from PostgreSQL with the claim: the aggregates the checks asked for. */
  readonly context: ScreeningContext;
  /** The loaded sanctions lists, in memory; absent where the engine runs without them. */
  readonly sanctions?: SanctionsScreen;
  /** The managed lists' entries, in memory; absent where the engine runs without them (nothing is listed). */
  readonly lists?: ListLookup;
}

/** Whether a list holds a value (canonical for its type, see canonicalListValue). */
export interface ListLookup {
  has(list: string, type: ListType, value: string): boolean;
}

/** What a rule's parser may consult beyond its own fields. */
export interface ParseContext {
  /** The lists the rule set declares, by name. */
  readonly lists: ReadonlyMap<string, ListDeclaration>;
}

/** Screens a name against the loaded sanctions lists, less what analysts allowed for the customer. */
export interface SanctionsScreen {
  /** The best `limit` hits, and how many entries the name hit in all. */
  top(query: NameQuery, customerId: string | undefined, limit: number): ScreenedHits;
}

/** One parsed rule's test, built once from its fields. */
export interface RuleCheck {
  /** The reason's placeholder values when the rule fires on this input; undefined when it does not. */
  fires(input: RuleInput): Placeholders | undefined;
  /** The aggregates over history this check reads from the context. */
  readonly aggregates?: readonly AggregateQuery[];
}

export interface RuleType {
  /** The value of `type:` in the rule set. */
  readonly name: string;
  /**
   * Reads the type's own fields (id, status and reason are read by the rule set), pushing one
   * problem per mistake prefixed by `where` and never stopping at the first; the check is only
   * used when no problem was pushed anywhere in the rule set.
   */
  parse(entry: RuleFields, where: string, problems: string[], context?: ParseContext): RuleCheck | undefined;
}
