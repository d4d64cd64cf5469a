// Versioned rule sets: anyone reads the active one and its history, analysts store new versions (checked, every problem named), admins activate one.
import { InvalidRuleSetError, RuleSetVersionNotFoundError } from '../domain/rules-errors';
import { ManagedListStore } from './ports/managed-list-store.port';
import { RuleSetChecker, RuleSummary } from './ports/rule-set-checker.port';
import { RuleSetFormat, RuleSetStore, RuleSetVersionSummary, StoredRuleSet } from './ports/rule-set-store.port';
import { ListDeclaration } from '../domain/managed-list';
import { isStorableText } from '../domain/storable-text';

export interface RuleSetVersionView {
  readonly version: number;
  readonly format: RuleSetFormat;
  readonly active: boolean;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly activatedBy: string | null;
  readonly activatedAt: string | null;
}

export interface RuleSetView extends RuleSetVersionView {
  readonly source: string;
  readonly rules: readonly RuleSummary[];
  readonly lists: readonly ListDeclaration[];
}

/** Rule set texts larger than this are refused (a rule set is a few kilobytes). */
export const MAX_RULE_SET_LENGTH = 256 * 1024;

export class ManageRuleSets {
  constructor(
    private readonly store: RuleSetStore,
    private readonly checker: RuleSetChecker,
    private readonly lists: ManagedListStore,
  ) {}

  async active(): Promise<RuleSetView> {
    const active = await this.store.active();
    if (!active) throw new RuleSetVersionNotFoundError(1);
    return this.view(active);
  }

  async versions(): Promise<RuleSetVersionView[]> {
    return (await this.store.versions()).map(versionView);
  }

  async version(version: number): Promise<RuleSetView> {
    const stored = await this.store.get(version);
    if (!stored) throw new RuleSetVersionNotFoundError(version);
    return this.view(stored);
  }

  /** Checks the text and stores it as the next version, inactive; lists it declares that do not exist yet are created (empty). */
  async create(source: string, format: RuleSetFormat, by: string): Promise<RuleSetView> {
    if (source.length > MAX_RULE_SET_LENGTH) throw new InvalidRuleSetError([`ruleSet: at most ${MAX_RULE_SET_LENGTH} characters`]);
    if (!isStorableText(source)) throw new InvalidRuleSetError(['ruleSet: must not contain NUL characters or unpaired surrogates']);
    const reading = this.checker.read(source);
    if (reading.problems.length > 0) throw new InvalidRuleSetError(reading.problems);
    const existing = new Set((await this.lists.summaries()).map((list) => list.name));
    await this.lists.declare(reading.lists.filter((list) => !existing.has(list.name)));
    return this.view(await this.store.create({ source, format, createdBy: by }));
  }

  /** Makes the version active on every replica (within a second); its list declarations (types, descriptions) take effect with it. */
  async activate(version: number, by: string): Promise<RuleSetView> {
    const stored = await this.store.get(version);
    if (!stored) throw new RuleSetVersionNotFoundError(version);
    await this.lists.declare(this.checker.read(stored.source).lists);
    const activated = await this.store.activate(version, by);
    if (!activated) throw new RuleSetVersionNotFoundError(version);
    return this.view(activated);
  }

  private view(stored: StoredRuleSet): RuleSetView {
    const reading = this.checker.read(stored.source);
    return { ...versionView(stored), source: stored.source, rules: reading.rules, lists: reading.lists };
  }
}

function versionView(summary: RuleSetVersionSummary): RuleSetVersionView {
  return {
    version: summary.version,
    format: summary.format,
    active: summary.active,
    createdBy: summary.createdBy,
    createdAt: summary.createdAt.toISOString(),
    activatedBy: summary.activatedBy ?? null,
    activatedAt: summary.activatedAt?.toISOString() ?? null,
  };
}
