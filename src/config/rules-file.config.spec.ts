import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configProblemsOf as problemsOf } from '../../test/support/config-problems';

describe('RULES_FILE in the configuration check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rules-file-config-'));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('names a file that cannot be read or used beside every other bad variable, in the one message', () => {
    const missing = join(dir, 'missing.yaml');
    expect(problemsOf({ PORT: 'abc', RULES_FILE: missing })).toEqual([expect.stringMatching(/^PORT: /), `RULES_FILE: cannot read ${missing} (ENOENT)`]);
    expect(problemsOf({ RULES_FILE: dir })).toEqual([`RULES_FILE: cannot read ${dir} (EISDIR)`]);
    const broken = file('broken.yaml', 'rules:\n  - { id: a, type: teleport, status: APPROVED, reason: r }\n');
    expect(problemsOf({ RULES_FILE: broken })).toEqual([expect.stringMatching(new RegExp(`^RULES_FILE: ${broken}: rules\\[0\\]\\.type: must be one of `))]);
    const empty = file('empty.yaml', '');
    expect(problemsOf({ RULES_FILE: empty })).toEqual([`RULES_FILE: ${empty}: must be a mapping with a non-empty "rules" list`]);
  });

  it('takes a usable file, and the shipped one by default', () => {
    const usable = file('usable.json', JSON.stringify({ rules: [{ id: 'kp', type: 'beneficiary-country', countries: ['KP'], status: 'REJECTED', reason: 'r' }] }));
    expect(problemsOf({ RULES_FILE: usable })).toEqual([]);
    expect(problemsOf({})).toEqual([]);
  });
});
