// Reads the operator's rule file (RULES_FILE) once at start; a file that cannot be used stops the start, naming each mistake.
import { readFileSync } from 'node:fs';
import { parseRuleSet, RuleSet, RuleSetError } from './rule-set';

export class RulesFileError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid rule file:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'RulesFileError';
  }
}

/** The file's text (what is stored as version 1 on an empty database) and its rule set. */
export interface RulesFile {
  readonly path: string;
  readonly text: string;
  readonly format: 'yaml' | 'json';
  readonly ruleSet: RuleSet;
}

export function readRulesFile(file: string): RulesFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new RulesFileError([`RULES_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`]);
  }
  try {
    return { path: file, text, format: /\.json$/i.test(file) ? 'json' : 'yaml', ruleSet: parseRuleSet(text) };
  } catch (error) {
    if (error instanceof RuleSetError) throw new RulesFileError(error.problems.map((problem) => `RULES_FILE (${file}): ${problem}`));
    throw error;
  }
}
