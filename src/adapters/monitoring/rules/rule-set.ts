// The embedded rules engine: a rule set read from YAML or JSON, evaluated per transaction.
// Each rule type (its fields and its test) lives in types/, registered in types/index.ts.
import { parse as parseYaml } from 'yaml';
import { AggregateQuery, distinctAggregates } from '../../../domain/aggregate';
import { ScreeningContext } from '../../../domain/screening-context';
import { Transaction } from '../../../domain/transaction';
import { isTransactionStatus, strictest, TransactionStatus } from '../../../domain/transaction-status';
import { Verdict } from '../../../domain/verdict';
import { RULE_TYPES } from './types';
import { Placeholders, RuleCheck, RuleFields, RuleInput, SanctionsScreen } from './types/rule-type';

export interface Rule {
  readonly id: string;
  readonly type: string;
  readonly status: TransactionStatus;
  /** Template with {placeholders}, filled per hit. */
  readonly reason: string;
  readonly check: RuleCheck;
}

export interface RuleSet {
  readonly rules: readonly Rule[];
}

export class RuleSetError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
  }
}

const TYPES_BY_NAME = new Map(RULE_TYPES.map((type) => [type.name, type]));

/** Parses YAML (or JSON, which YAML includes) and reports every problem at once. */
export function parseRuleSet(text: string): RuleSet {
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw new RuleSetError([`not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}`]);
  }
  const list = (document as { rules?: unknown } | null)?.rules;
  if (!Array.isArray(list) || list.length === 0) {
    throw new RuleSetError(['must have a non-empty "rules" list']);
  }
  const problems: string[] = [];
  const ids = new Set<string>();
  const rules = list.flatMap((raw: unknown, index) => parseRule(raw, `rules[${index}]`, ids, problems) ?? []);
  if (problems.length > 0) throw new RuleSetError(problems);
  return { rules };
}

function parseRule(raw: unknown, where: string, ids: Set<string>, problems: string[]): Rule | undefined {
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
  const type = typeof entry.type === 'string' ? TYPES_BY_NAME.get(entry.type) : undefined;
  if (!type) {
    problems.push(`${where}.type: must be one of ${RULE_TYPES.map((known) => known.name).join(', ')}`);
    return undefined;
  }
  const check = type.parse(entry, where, problems);
  if (!check) return undefined;
  return { id: id ?? where, type: type.name, status: status as TransactionStatus, reason: reason as string, check };
}

/** The aggregates over history the rules read, each once. */
export function aggregatesOf(ruleSet: RuleSet): AggregateQuery[] {
  return distinctAggregates(ruleSet.rules.flatMap((rule) => rule.check.aggregates ?? []));
}

/** Evaluates every rule; the strictest status wins and each hit contributes its reason. */
export function evaluateRuleSet(ruleSet: RuleSet, transaction: Transaction, context: ScreeningContext, sanctions?: SanctionsScreen): Verdict {
  const input: RuleInput = { transaction, context, sanctions };
  const hits: { status: TransactionStatus; reason: string }[] = [];
  for (const rule of ruleSet.rules) {
    const values = rule.check.fires(input);
    if (values) hits.push({ status: rule.status, reason: fill(rule.reason, values) });
  }
  return { status: strictest(hits.map((hit) => hit.status)), reasons: hits.map((hit) => hit.reason) };
}

function fill(template: string, values: Placeholders): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}
