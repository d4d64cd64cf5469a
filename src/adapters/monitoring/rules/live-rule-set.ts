// The active rule set every replica screens with: version 1 from RULES_FILE on an empty database, then whichever version is activated, followed within a second.
import { RuleSetStore } from '../../../application/ports/rule-set-store.port';
import { ScreeningContext } from '../../../domain/screening-context';
import { Transaction } from '../../../domain/transaction';
import { aggregateFieldOf, aggregateKey } from '../../../domain/aggregate';
import { aggregatesOf, parseRuleSet, RuleSet } from './rule-set';
import { RulesFile } from './rules-file';
import { RuleSetSource, VersionedRuleSet } from './rules-monitoring.provider';
import { ChangeFollower } from '../../background/change-follower';

/** The version poll backs up LISTEN/NOTIFY. */
export const RULE_SET_POLL_MS = 500;
/** Earlier versions kept for transactions whose aggregates were gathered under them (see covering). */
const KEPT = 4;

/**
 * Readies what a version needs before it becomes active on this replica (the sanctions index).
 * The version becomes active once the promise resolves, and the function it resolves to, if any,
 * runs then; a rejection keeps the version in use, and the next poll tries again.
 */
export type ActivationGate = (next: RuleSet) => Promise<(() => void) | undefined>;

interface Log {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export class LiveRuleSet implements RuleSetSource {
  /** Newest activation first: the first is the active one. Until start, the file's rule set. */
  private loaded: VersionedRuleSet[];
  private readonly follower: ChangeFollower;
  private gate?: ActivationGate;

  constructor(
    private readonly store: RuleSetStore,
    private readonly file: RulesFile,
    private readonly logger: Log,
    pollMs = RULE_SET_POLL_MS,
  ) {
    this.follower = new ChangeFollower(() => this.update(), logger, { subject: 'rule set', changes: 'rule set activations', pollMs });
    this.loaded = [{ ruleSet: file.ruleSet, aggregates: aggregatesOf(file.ruleSet) }];
  }

  /** Stores the file as version 1 on an empty database, loads the active version (the start waits), then follows activations. */
  async start(): Promise<void> {
    await this.store.seed({ source: this.file.text, format: this.file.format, createdBy: 'RULES_FILE' });
    await this.update();
    const active = await this.store.active();
    this.logger.log(`rule set version ${active?.version} is active`);
    if (active && active.source !== this.file.text) {
      this.logger.warn(`RULES_FILE (${this.file.path}) differs from the active rule set (version ${active.version}): the database's active version is used; store a new version (POST /rules/versions) and activate it to change the rules`);
    }
    await this.follower.follow((listener) => this.store.onChange(listener));
  }

  stop(): Promise<void> {
    return this.follower.stop();
  }

  /**
   * Sets the gate every later activation passes, and passes the version already active through it
   * (none before start: start's first load passes it).
   */
  async gateActivations(gate: ActivationGate): Promise<void> {
    this.gate = gate;
    const active = this.loaded[0]!;
    if (active.version !== undefined) (await gate(active.ruleSet))?.();
  }

  current(): VersionedRuleSet {
    return this.loaded[0]!;
  }

  /**
   * A look-up (or claim) gathers the aggregates the active rule set asked for when it was made. When a version
   * needing others was activated since, its values cannot serve it: the newest loaded
   * version whose aggregates were all gathered screens instead (and the verdict says which). An
   * aggregate grouped by a field the transaction lacks is never gathered, and never missed.
   */
  covering(transaction: Transaction, context: ScreeningContext): VersionedRuleSet {
    const gathered = context.aggregates;
    const covers = (candidate: VersionedRuleSet) =>
      candidate.aggregates.every((query) => aggregateFieldOf(transaction, query.groupBy) === undefined || gathered.has(aggregateKey(query)));
    return this.loaded.find(covers) ?? this.loaded[0]!;
  }

  /** Loads the active version when it changed; calls made meanwhile are folded into one more pass. */
  refresh(): Promise<void> {
    return this.follower.refresh();
  }

  private async update(): Promise<void> {
    const version = await this.store.activeVersion();
    if (version === undefined || version === this.loaded[0]?.version) return;
    const stored = await this.store.get(version);
    if (!stored) return;
    // Versions are checked when stored, and read as stored (a check added since does not apply);
    // a version this code cannot read keeps the one in use.
    const ruleSet = parseRuleSet(stored.source, { stored: true });
    const next = { version, ruleSet, aggregates: aggregatesOf(ruleSet) };
    const settle = await this.gate?.(ruleSet);
    this.loaded = [next, ...this.loaded.filter((kept) => kept.version !== undefined && kept.version !== version)].slice(0, KEPT);
    settle?.();
    this.logger.log(`rule set version ${version} is now active`);
  }
}
