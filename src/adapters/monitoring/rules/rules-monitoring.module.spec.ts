import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Test } from '@nestjs/testing';
import { AppConfigModule } from '../../../config/config.module';
import { loadConfiguration } from '../../../config/configuration';
import { readRulesFile, RulesFileError } from './rules-file';
import { RulesMonitoringModule } from './rules-monitoring.module';
import { RulesMonitoringProvider } from './rules-monitoring.provider';
import { temporaryDirectory } from '../../../../test/support/temp-dir';

function problemsOf(file: string): readonly string[] {
  try {
    readRulesFile(file);
  } catch (error) {
    if (error instanceof RulesFileError) return error.problems;
    throw error;
  }
  return [];
}

function compile(env: Record<string, string>) {
  return Test.createTestingModule({ imports: [AppConfigModule.forRoot(loadConfiguration(env)), RulesMonitoringModule] }).compile();
}

describe('the rule file', () => {
  const broken = join(temporaryDirectory('rules'), 'rules.yaml');
  beforeAll(() => writeFileSync(broken, 'rules:\n  - id: x\n    type: nope\n    status: APPROVED\n    reason: r\n'));

  it('is refused with mistakes, naming the file and each mistake', () => {
    expect(problemsOf(broken)).toEqual([`RULES_FILE (${broken}): rules[0].type: must be one of beneficiary-country, amount-at-least, velocity, aggregate, sanctions-name, list`]);
    expect(problemsOf('/nonexistent/rules.yaml')).toEqual(['RULES_FILE: cannot read /nonexistent/rules.yaml (ENOENT)']);
  });

  it('is read from RULES_FILE when the module starts; the shipped one by default', async () => {
    const moduleRef = await compile({});
    expect(moduleRef.get(RulesMonitoringProvider).aggregates.length).toBeGreaterThan(0);
    await moduleRef.close();
  });

  it('stops the start when it cannot be used, in the configuration check, with a message naming the problem', () => {
    expect(() => compile({ RULES_FILE: broken })).toThrow(`Invalid configuration:\n  - RULES_FILE: ${broken}: rules[0].type: must be one of`);
  });
});
