// Reads the operator's rule file (RULES_FILE) once at start; a file that cannot be used stops the start, naming each mistake.
import { readFileSync } from 'node:fs';
import { parseRuleSet, RuleSet, RuleSetError } from './rule-set';

export class RulesFileError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid rule file:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'RulesFileError';
  }
}

export function readRulesFile(file: string): RuleSet {
  try {
    return parseRuleSet(readFileSync(file, 'utf8'));
  } catch (error) {
    if (error instanceof RuleSetError) throw new RulesFileError(error.problems.map((problem) => `RULES_FILE (${file}): ${problem}`));
    throw new RulesFileError([`RULES_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`]);
  }
}
