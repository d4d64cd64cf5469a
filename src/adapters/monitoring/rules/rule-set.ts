// The embedded rules engine: a rule set read from YAML or JSON, evaluated per transaction.
// Each rule type (its fields and its test) lives in types/, registered in types/index.ts.
import { ListDeclaration } from '../../../domain/managed-list';
import { AggregateQuery, distinctAggregates } from '../../../domain/aggregate';
import { ScreeningContext } from '../../../domain/screening-context';
import { Transaction } from '../../../domain/transaction';
import { isStorableText } from '../../../domain/storable-text';
import { isTransactionStatus, strictest, TransactionStatus } from '../../../domain/transaction-status';
import { Verdict } from '../../../domain/verdict';
import { readYaml } from '../../yaml/read-yaml';
import { parseListDeclarations } from './rule-set-lists';
import { RULE_TYPES } from './types';
import { ListLookup, ParseContext, Placeholders, RuleCheck, RuleFields, RuleInput, SanctionsScreen } from './types/rule-type';

export interface Rule {
  readonly id: string;
  readonly type: string;
  readonly status: TransactionStatus;
  /** Template with {placeholders}, filled per hit. */
  readonly reason: string;
  readonly check: RuleCheck;
  /** Rules whose hits this one lifts when it fires (an allow list lifting the amount hold). */
  readonly suppresses: readonly string[];
}

export interface RuleSet {
  readonly rules: readonly Rule[];
  /** The managed lists the rules match against. */
  readonly lists: readonly ListDeclaration[];
}

/** What the engine holds in memory beside the rule set. */
export interface EngineState {
  readonly sanctions?: SanctionsScreen;
  readonly lists?: ListLookup;
}

export class RuleSetError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
  }
}

const TYPES_BY_NAME = new Map(RULE_TYPES.map((type) => [type.name, type]));

/** Parses YAML (or JSON, which YAML includes) and reports every problem at once. */
export function parseRuleSet(text: string, options: { readonly stored?: boolean } = {}): RuleSet {
  const problems: string[] = [];
  const document = readDocument(text, options.stored === true, problems);
  if (typeof document !== 'object' || document === null || Array.isArray(document)) throw new RuleSetError(['must be a mapping with a non-empty "rules" list']);
  const { rules: list, lists: declared } = document as { rules?: unknown; lists?: unknown };
  // Said alone: the checks below would quote the very text.
  if (problems.length > 0) throw new RuleSetError(problems);
  const lists = parseListDeclarations(declared, problems);
  if (!Array.isArray(list) || list.length === 0) {
    throw new RuleSetError([...problems, 'rules: must be a non-empty list']);
  }
  const ids = new Set<string>();
  const context: ParseContext = { lists: new Map(lists.map((l) => [l.name, l])) };
  // Each kept with its place in the document, so that a problem names the rule as written even when one before it did not parse.
  const parsed = list.flatMap((raw: unknown, index) => {
    const rule = parseRule(raw, `rules[${index}]`, ids, problems, context);
    return rule ? [{ rule, index }] : [];
  });
  for (const { rule, index } of parsed) {
    for (const id of rule.suppresses) if (!ids.has(id) || id === rule.id) problems.push(`rules[${index}].suppresses: "${id}" is not the id of another rule`);
  }
  const rules = parsed.map(({ rule }) => rule);
  if (problems.length > 0) throw new RuleSetError(problems);
  return { rules, lists };
}

/**
 * A version `stored` before a check was added (warnings, cycles, unstorable text) is read as the
 * release that stored it read it: a check added since must not stop a replica from starting.
 * Otherwise every key and string of the document must be text PostgreSQL can store: YAML's escapes
 * ("\0", "\uD800") make what JSON input cannot carry, and a rule's id or reason is stored with the
 * verdicts and backtests it gives. Each one that is not goes into `problems`.
 */
function readDocument(text: string, stored: boolean, problems: string[]): unknown {
  const onText = (value: string, where: string, isKey: boolean) => {
    if (isStorableText(value)) return;
    problems.push(`${isKey ? `${where || 'document'} (a key)` : where || 'document'}: must not contain NUL characters or unpaired surrogates`);
  };
  const read = readYaml(text, { lenient: stored, onText });
  if ('problem' in read) throw new RuleSetError([read.problem]);
  return read.document;
}

function parseRule(raw: unknown, where: string, ids: Set<string>, problems: string[], context: ParseContext): Rule | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.push(`${where}: must be a mapping`);
    return undefined;
  }
  const entry = raw as RuleFields;
  const id = typeof entry.id === 'string' && entry.id.trim() !== '' ? entry.id : undefined;
  if (!id) problems.push(`${where}.id: required, a non-empty string`);
  else if (ids.has(id)) problems.push(`${where}.id: "${id}" is used twice`);
  else ids.add(id);
  const status = entry.status;
  if (!isTransactionStatus(status)) {
    problems.push(`${where}.status: must be APPROVED, REJECTED or PENDING_EXTERNAL_APPROVAL`);
  }
  const reason = entry.reason;
  if (typeof reason !== 'string' || reason.trim() === '') problems.push(`${where}.reason: required, a non-empty string`);
  const suppresses = entry.suppresses ?? [];
  if (!Array.isArray(suppresses) || suppresses.some((s) => typeof s !== 'string')) problems.push(`${where}.suppresses: must be a list of rule ids`);
  const type = typeof entry.type === 'string' ? TYPES_BY_NAME.get(entry.type) : undefined;
  if (!type) {
    problems.push(`${where}.type: must be one of ${RULE_TYPES.map((known) => known.name).join(', ')}`);
    return undefined;
  }
  const check = type.parse(entry, where, problems, context);
  if (!check) return undefined;
  const lifted = Array.isArray(suppresses) && suppresses.every((s) => typeof s === 'string') ? [...(suppresses as string[])] : [];
  return { id: id ?? where, type: type.name, status: status as TransactionStatus, reason: reason as string, check, suppresses: lifted };
}

/** Whether the rule set reads the sanctions index (which is built only while something does). */
export const usesSanctionsNames = (ruleSet: RuleSet): boolean => ruleSet.rules.some((rule) => rule.type === 'sanctions-name');

/** The aggregates over history the rules read, each once. */
export function aggregatesOf(ruleSet: RuleSet): AggregateQuery[] {
  return distinctAggregates(ruleSet.rules.flatMap((rule) => rule.check.aggregates ?? []));
}

/**
 * Evaluates every rule; the strictest status wins and each hit contributes its reason. A rule
 * that fires lifts the hits of the rules it suppresses, and says so only when it lifted one.
 */
export function evaluateRuleSet(ruleSet: RuleSet, transaction: Transaction, context: ScreeningContext, state: EngineState = {}): Verdict {
  return explainRuleSet(ruleSet, transaction, context, state).verdict;
}

/** The verdict, and the ids of the rules whose hits it kept (a backtest counts them). */
export function explainRuleSet(ruleSet: RuleSet, transaction: Transaction, context: ScreeningContext, state: EngineState = {}): { verdict: Verdict; fired: string[] } {
  const input: RuleInput = { transaction, context, sanctions: state.sanctions, lists: state.lists };
  const hits: { rule: Rule; reason: string }[] = [];
  const lifted = new Set<string>();
  for (const rule of ruleSet.rules) {
    const values = rule.check.fires(input);
    if (!values) continue;
    hits.push({ rule, reason: fill(rule.reason, values) });
    for (const id of rule.suppresses) lifted.add(id);
  }
  const kept = hits.filter(({ rule }) => !lifted.has(rule.id) && (rule.suppresses.length === 0 || rule.suppresses.some((id) => hits.some((hit) => hit.rule.id === id))));
  return {
    verdict: { status: strictest(kept.map((hit) => hit.rule.status)), reasons: kept.map((hit) => hit.reason) },
    fired: kept.map((hit) => hit.rule.id),
  };
}

function fill(template: string, values: Placeholders): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (Object.hasOwn(values, key) ? String(values[key]) : whole));
}
