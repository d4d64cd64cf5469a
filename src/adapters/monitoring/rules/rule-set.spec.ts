import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TransactionMother } from '../../../../test/mothers/transaction.mother';
import { ScreeningContext } from '../../../domain/screening-context';
import { aggregatesOf, evaluateRuleSet, parseRuleSet, RuleSetError } from './rule-set';
import { fixedRuleSet, RulesMonitoringProvider } from './rules-monitoring.provider';
import { NO_HISTORY } from '../../../domain/screening-context';
import { sourceAccountCount, withSourceAccountCounts } from '../../../../test/mothers/screening-context.mother';

const shipped = parseRuleSet(readFileSync(join(__dirname, '../../../../config/rules.yaml'), 'utf8'));
const noHistory: ScreeningContext = NO_HISTORY;
const activity = (counts: Record<number, number>): ScreeningContext => withSourceAccountCounts(counts);

describe('the shipped rule set', () => {
  it.each(['KP', 'IR', 'CU', 'SY', 'kp'])('rejects a beneficiary in %s', async (country) => {
    const verdict = evaluateRuleSet(shipped, TransactionMother.toCountry(country), noHistory);
    expect(verdict).toEqual({ status: 'REJECTED', reasons: [`Beneficiary country ${country.toUpperCase()} is under comprehensive sanctions`] });
  });

  it.each(['10000', '10000.00', '250000.5'])('holds %s for review in any currency', async (amount) => {
    for (const currency of ['GBP', 'JPY', 'GOLD']) {
      const verdict = evaluateRuleSet(shipped, TransactionMother.create({ amount, currency }), noHistory);
      expect(verdict.status).toBe('PENDING_EXTERNAL_APPROVAL');
      expect(verdict.reasons[0]).toContain(`is at or above the review threshold of 10000 ${currency}`);
    }
  });

  it('approves just under the threshold, exactly', async () => {
    const verdict = evaluateRuleSet(shipped, TransactionMother.create({ amount: '9999.999999999999999' }), noHistory);
    expect(verdict).toEqual({ status: 'APPROVED', reasons: [] });
  });

  it('holds the eleventh transaction of one source account within a minute', () => {
    expect(aggregatesOf(shipped)).toEqual([sourceAccountCount(60)]);
    const verdict = evaluateRuleSet(shipped, TransactionMother.create({ sourceAccountId: 'acc-9' }), activity({ 60: 11 }));
    expect(verdict.status).toBe('PENDING_EXTERNAL_APPROVAL');
    expect(verdict.reasons).toEqual(['Source account sent 11 transactions in the last 60 s (more than 10)']);
    expect(evaluateRuleSet(shipped, TransactionMother.create(), activity({ 60: 10 }))).toMatchObject({ status: 'APPROVED' });
    expect(evaluateRuleSet(shipped, TransactionMother.create(), activity({ 30: 99 }))).toMatchObject({ status: 'APPROVED' });
  });

  it('lets the strictest hit win and keeps every reason', async () => {
    const transaction = TransactionMother.create({ amount: '50000', beneficiary: { country: 'IR' } });
    const verdict = evaluateRuleSet(shipped, transaction, activity({ 60: 20 }));
    expect(verdict.status).toBe('REJECTED');
    expect(verdict.reasons).toHaveLength(3);
  });
});

describe('parseRuleSet', () => {
  it('reads per-currency thresholds before the default one', async () => {
    const ruleSet = parseRuleSet(`
rules:
  - id: big
    type: amount-at-least
    threshold: "1000"
    currencies: { JPY: "150000" }
    status: PENDING_EXTERNAL_APPROVAL
    reason: "{amount} {currency} >= {threshold}"`);
    expect(evaluateRuleSet(ruleSet, TransactionMother.create({ amount: '149999', currency: 'JPY' }), noHistory)).toMatchObject({ status: 'APPROVED' });
    expect(evaluateRuleSet(ruleSet, TransactionMother.create({ amount: '150000', currency: 'JPY' }), noHistory)).toMatchObject({
      reasons: ['150000 JPY >= 150000'],
    });
    expect(evaluateRuleSet(ruleSet, TransactionMother.create({ amount: '1000', currency: 'EUR' }), noHistory)).toMatchObject({
      status: 'PENDING_EXTERNAL_APPROVAL',
    });
  });

  it('accepts JSON too', () => {
    expect(parseRuleSet(JSON.stringify({ rules: [{ id: 'x', type: 'beneficiary-country', countries: ['RU'], status: 'REJECTED', reason: 'r' }] })).rules).toHaveLength(1);
  });

  it('names a mapping where text or a number belongs, rather than failing on it', () => {
    const hostile = { toString: 1, valueOf: null };
    const document = {
      lists: [{ name: 'held', types: [hostile], description: hostile }],
      rules: [
        { id: 'a', type: 'beneficiary-country', countries: ['GB', hostile], status: 'REJECTED', reason: 'r', suppresses: [hostile] },
        { id: 'b', type: 'aggregate', measure: 'count', window: '1h', groupBy: 'source-account', above: hostile, status: 'REJECTED', reason: 'r' },
        { id: 'c', type: 'list', fields: [hostile], list: 'held', status: 'REJECTED', reason: 'r' },
        { id: 'd', type: 'sanctions-name', threshold: 0.9, lists: [hostile], status: 'PENDING_EXTERNAL_APPROVAL', reason: 'r' },
        { id: 'e', type: 'list', field: 'constructor', list: 'held', status: 'REJECTED', reason: 'r' },
      ],
    };
    let error: unknown;
    try {
      parseRuleSet(JSON.stringify(document));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RuleSetError);
    const problems = (error as RuleSetError).problems;
    for (const where of ['lists[0].types', 'lists[0].description', 'rules[0].countries[1]', 'rules[0].suppresses', 'rules[1].above', 'rules[2].fields[0]', 'rules[3].lists[0]', 'rules[4].field']) {
      expect(problems.some((problem) => problem.startsWith(`${where}:`))).toBe(true);
    }
    expect(problems.join('\n')).not.toMatch(/native code|\[object/);
  });

  it('fills a reason only with what the rule gives, never with what every object inherits', () => {
    const ruleSet = parseRuleSet(JSON.stringify({
      rules: [{ id: 'a', type: 'beneficiary-country', countries: ['KP'], status: 'REJECTED', reason: 'to {country} {constructor} {toString}' }],
    }));
    const [reason] = evaluateRuleSet(ruleSet, TransactionMother.toCountry('KP'), NO_HISTORY).reasons;
    expect(reason).toBe('to KP {constructor} {toString}');
  });

  it('reports every problem of a broken file at once', () => {
    const broken = `
rules:
  - id: a
    type: beneficiary-country
    countries: [KP, Narnia]
    status: BLOCK
    reason: ""
  - id: a
    type: velocity
    maxTransactions: -1
    windowSeconds: 0
    status: REJECTED
    reason: r
  - type: teleport
    status: APPROVED
    reason: r
  - id: c
    type: amount-at-least
    threshold: "-5"
    status: REJECTED
    reason: r`;
    let error: RuleSetError | undefined;
    try {
      parseRuleSet(broken);
    } catch (caught) {
      error = caught as RuleSetError;
    }
    expect(error).toBeInstanceOf(RuleSetError);
    expect(error!.problems).toEqual([
      'rules[0].status: must be APPROVED, REJECTED or PENDING_EXTERNAL_APPROVAL',
      'rules[0].reason: required, a non-empty string',
      'rules[0].countries[1]: "Narnia" is not an ISO 3166-1 alpha-2 code',
      'rules[1].id: "a" is used twice',
      'rules[1].maxTransactions: must be a whole number ≥ 0',
      'rules[1].windowSeconds: must be a whole number of seconds between 1 and 2678400',
      'rules[2].id: required, a non-empty string',
      'rules[2].type: must be one of beneficiary-country, amount-at-least, velocity, aggregate, sanctions-name, list',
      'rules[3].threshold: "-5" is not a positive decimal amount',
    ]);
  });

  it('names a count no whole number can hold, and a threshold a binary double would round, as problems of the rule set', () => {
    const problemsOf = (text: string) => {
      try {
        parseRuleSet(text);
      } catch (caught) {
        expect(caught).toBeInstanceOf(RuleSetError);
        return (caught as RuleSetError).problems;
      }
      return [];
    };
    expect(problemsOf('rules:\n  - { id: v, type: velocity, maxTransactions: 1e30, windowSeconds: 60, status: REJECTED, reason: r }')).toEqual([
      'rules[0].maxTransactions: must be a whole number ≥ 0',
    ]);
    expect(problemsOf('rules:\n  - { id: t, type: amount-at-least, threshold: 1000.00000000000000001, status: REJECTED, reason: r }')).toEqual([
      expect.stringContaining('the number on line 2 has more than 15 significant digits'),
    ]);
  });

  it.each(['', 'rules: []', 'rules: {', 'just text'])('refuses %j', (text) => {
    expect(() => parseRuleSet(text)).toThrow(RuleSetError);
  });

  const problemsOf = (text: string): readonly string[] => {
    try {
      parseRuleSet(text);
    } catch (error) {
      if (error instanceof RuleSetError) return error.problems;
      throw error;
    }
    return [];
  };

  it('refuses text PostgreSQL cannot store, which YAML escapes can make and JSON cannot, naming where each is', () => {
    const rule = (id: string, reason = 'r') => `{ id: "${id}", type: beneficiary-country, countries: [KP], status: REJECTED, reason: "${reason}" }`;
    expect(problemsOf(`rules: [${rule('a\\0b')}, ${rule('c', 'lone \\uD800')}]`)).toEqual([
      'rules[0].id: must not contain NUL characters or unpaired surrogates',
      'rules[1].reason: must not contain NUL characters or unpaired surrogates',
    ]);
    expect(problemsOf(`rules: [${rule('a')}]\n"k\\0": 1`)).toEqual(['document (a key): must not contain NUL characters or unpaired surrogates']);
    expect(problemsOf(`rules: [${rule('a', 'pair 😀 kept')}]`)).toEqual([]);
  });

  it('names a mapping an alias makes hold itself, rather than following it for ever', () => {
    expect(problemsOf('a: &x\n  b: *x')).toEqual(['not valid YAML or JSON: a.b holds itself (an alias of a mapping or list it is in)']);
    expect(problemsOf('rules: &r [*r]')).toEqual(['not valid YAML or JSON: rules[0] holds itself (an alias of a mapping or list it is in)']);
    // An alias used twice, not inside itself, is no cycle.
    expect(problemsOf('x: &c [KP]\nrules: [{ id: a, type: beneficiary-country, countries: *c, status: REJECTED, reason: r }]\ny: *c')).toEqual([]);
  });

  it('takes an unresolved tag as a problem, and prints nothing of the text on stderr', () => {
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      expect(problemsOf('rules:\n  - id: !!x "DE89370400440532013000"\n')).toEqual([expect.stringMatching(/^not valid YAML or JSON: Unresolved tag/)]);
      // A collection as a key: read as a rule without an id or type, and the library's warning about it not printed.
      expect(problemsOf('rules:\n  - ? [DE89370400440532013000, \'4111111111111111\']\n    : 1\n')).toContain('rules[0].id: required, a non-empty string');
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });
});

describe('RulesMonitoringProvider', () => {
  it('asks for the windows of its velocity rules and decides from the counts it is given', async () => {
    const provider = new RulesMonitoringProvider(fixedRuleSet(shipped));
    expect(provider.aggregates).toEqual([sourceAccountCount(60)]);

    await expect(provider.screen(TransactionMother.create(), activity({ 60: 12 }))).resolves.toMatchObject({ status: 'PENDING_EXTERNAL_APPROVAL' });
    await expect(provider.screen(TransactionMother.create(), activity({ 60: 1 }))).resolves.toMatchObject({ status: 'APPROVED' });
  });

  it('is not abortable: it decides in memory, so its callers make no CallAbort for it', () => {
    expect(new RulesMonitoringProvider(fixedRuleSet(shipped)).abortable).toBe(false);
  });
});
