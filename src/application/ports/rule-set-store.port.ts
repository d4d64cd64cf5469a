// Port to the versioned rule sets in PostgreSQL: each version's text, which one is active, and who made and activated each.
export type RuleSetFormat = 'yaml' | 'json';

export interface RuleSetVersionSummary {
  readonly version: number;
  readonly format: RuleSetFormat;
  readonly createdBy: string;
  readonly createdAt: Date;
  /** The latest activation of this version, if any. */
  readonly activatedBy?: string;
  readonly activatedAt?: Date;
  readonly active: boolean;
}

export interface StoredRuleSet extends RuleSetVersionSummary {
  /** The rule set as it was submitted: YAML or JSON text. */
  readonly source: string;
}

export interface NewRuleSet {
  readonly source: string;
  readonly format: RuleSetFormat;
  readonly createdBy: string;
}

export abstract class RuleSetStore {
  /** On a database without any version: stores `first` as version 1 and activates it. Does nothing otherwise. */
  abstract seed(first: NewRuleSet): Promise<void>;
  /** Stores the next version (inactive) and returns it. */
  abstract create(ruleSet: NewRuleSet): Promise<StoredRuleSet>;
  /** Makes `version` the active one (logged with who and when); undefined when it is not stored. */
  abstract activate(version: number, by: string): Promise<StoredRuleSet | undefined>;
  abstract active(): Promise<StoredRuleSet | undefined>;
  abstract get(version: number): Promise<StoredRuleSet | undefined>;
  /** Newest first. */
  abstract versions(): Promise<RuleSetVersionSummary[]>;
  /** The active version number: cheap enough to poll. */
  abstract activeVersion(): Promise<number | undefined>;
  /** Calls `listener` when any process activates a version (and after a lost connection is back); resolves to a stop function. */
  abstract onChange(listener: () => void): Promise<() => Promise<void>>;
}
