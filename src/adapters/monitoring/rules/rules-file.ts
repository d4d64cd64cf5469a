// Reads the operator's rule file (RULES_FILE) once at start; a file that cannot be used stops the start, naming each mistake.
import { readFileSync } from 'node:fs';
import { parseRuleSet, RuleSet, RuleSetError } from './rule-set';

export class RulesFileError extends Error {
  constructor(
    readonly problems: readonly string[],
    /** The same mistakes as the configuration check names them, after "RULES_FILE: ". */
    readonly details: readonly string[] = problems,
  ) {
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
    const cannot = `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
    throw new RulesFileError([`RULES_FILE: ${cannot}`], [cannot]);
  }
  try {
    return { path: file, text, format: /\.json$/i.test(file) ? 'json' : 'yaml', ruleSet: parseRuleSet(text) };
  } catch (error) {
    if (error instanceof RuleSetError) {
      throw new RulesFileError(
        error.problems.map((problem) => `RULES_FILE (${file}): ${problem}`),
        error.problems.map((problem) => `${file}: ${problem}`),
      );
    }
    throw error;
  }
}

/**
 * The file's mistakes (none: it can be used), for the configuration check, so that a broken file
 * is one more line of the one message that stops the start, beside any other variable's.
 */
export function rulesFileProblems(file: string): string[] {
  try {
    readRulesFile(file);
    return [];
  } catch (error) {
    if (error instanceof RulesFileError) return [...error.details];
    throw error;
  }
}
