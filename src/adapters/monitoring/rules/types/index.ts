// The rule types the embedded engine knows, in the order their names are listed to operators.
// Adding a type: a file beside this one exporting a RuleType, and one entry here.
import { aggregateRule } from './aggregate.rule';
import { amountAtLeastRule } from './amount-at-least.rule';
import { beneficiaryCountryRule } from './beneficiary-country.rule';
import { listRule } from './list.rule';
import { RuleType } from './rule-type';
import { sanctionsNameRule } from './sanctions-name.rule';
import { velocityRule } from './velocity.rule';

export const RULE_TYPES: readonly RuleType[] = [beneficiaryCountryRule, amountAtLeastRule, velocityRule, aggregateRule, sanctionsNameRule, listRule];
