import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TransactionMother } from '../../../../../test/mothers/transaction.mother';
import { ScreeningContext } from '../../../../domain/screening-context';
import { SanctionsIndexBuilder } from '../../../sanctions/matching/sanctions-index';
import { evaluateRuleSet, parseRuleSet, RuleSetError } from '../rule-set';
import { SanctionsScreen } from './rule-type';
import { NO_HISTORY } from '../../../../domain/screening-context';

const shipped = parseRuleSet(readFileSync(join(__dirname, '../../../../../config/rules.yaml'), 'utf8'));
const noHistory: ScreeningContext = NO_HISTORY;

function screenOf(allowedFor?: string): SanctionsScreen {
  const builder = new SanctionsIndexBuilder();
  builder.add('OFAC-SDN', { entryId: '2674', kind: 'individual', name: 'HUSSEIN, Saddam', aliases: ['Saddam Hussein AL-TIKRITI'], birthDates: ['1937-04-28'], countries: ['IQ'], programmes: [] });
  builder.add('UN', { entryId: 'QDe.121', kind: 'entity', name: 'AL-AKHTAR TRUST INTERNATIONAL', aliases: [], birthDates: [], countries: ['PK'], programmes: [] });
  const index = builder.build([]);
  return { top: (query, customerId, limit) => (customerId !== undefined && customerId === allowedFor ? { hits: [], total: 0 } : index.top(query, limit)) };
}

const to = (beneficiary: Record<string, string>, customerId?: string) => TransactionMother.create({ beneficiary, customerId });

describe('the shipped sanctions rule', () => {
  it('holds a payment to a listed name for review, naming the list, the entry, the alias and the score', () => {
    const verdict = evaluateRuleSet(shipped, to({ name: 'Sadam Husein Al Tikriti', country: 'IQ', dateOfBirth: '1937-04-28' }), noHistory, { sanctions: screenOf() });
    expect(verdict).toEqual({
      status: 'PENDING_EXTERNAL_APPROVAL',
      reasons: ['Beneficiary name "Sadam Husein Al Tikriti" matches OFAC-SDN entry OFAC-SDN:2674 (HUSSEIN, Saddam) as "Saddam Hussein AL-TIKRITI", score 1.000 (date of birth agrees, country agrees)'],
    });
  });

  it('screens the payer of money received', () => {
    const inbound = TransactionMother.create({ direction: 'INBOUND', beneficiary: undefined, attributes: { payer: { accountName: 'Al-Akhtar Trust International', country: 'PK' } } });
    expect(evaluateRuleSet(shipped, inbound, noHistory, { sanctions: screenOf() }).reasons).toEqual([
      'Payer name "Al-Akhtar Trust International" matches UN entry UN:QDe.121 (AL-AKHTAR TRUST INTERNATIONAL) as "AL-AKHTAR TRUST INTERNATIONAL", score 1.000 (country agrees)',
    ]);
  });

  it('does not fire under the threshold, for an allowed customer, or without lists', () => {
    expect(evaluateRuleSet(shipped, to({ name: 'Saddam Hussein', dateOfBirth: '1990-01-01', country: 'GB' }), noHistory, { sanctions: screenOf() })).toMatchObject({ status: 'APPROVED' });
    expect(evaluateRuleSet(shipped, to({ name: 'Ada Lovelace' }), noHistory, { sanctions: screenOf() })).toMatchObject({ status: 'APPROVED' });
    expect(evaluateRuleSet(shipped, to({ name: 'Saddam Hussein' }, 'c-9'), noHistory, { sanctions: screenOf('c-9') })).toMatchObject({ status: 'APPROVED' });
    expect(evaluateRuleSet(shipped, to({ name: 'Saddam Hussein' }), noHistory)).toMatchObject({ status: 'APPROVED' });
  });
});

describe('parsing sanctions-name rules', () => {
  const rule = (fields: string) => `rules:\n  - id: s\n    type: sanctions-name\n    status: PENDING_EXTERNAL_APPROVAL\n    reason: r\n${fields}`;
  it('limits a rule to the lists it names, with its own threshold', () => {
    const ruleSet = parseRuleSet(rule('    threshold: 0.8\n    lists: [UN]\n'));
    expect(evaluateRuleSet(ruleSet, to({ name: 'Saddam Hussein' }), noHistory, { sanctions: screenOf() })).toMatchObject({ status: 'APPROVED' });
    expect(evaluateRuleSet(ruleSet, to({ name: 'Al Akhtar Trust' }), noHistory, { sanctions: screenOf() })).toMatchObject({ status: 'PENDING_EXTERNAL_APPROVAL' });
  });

  it('names every mistake', () => {
    let error: RuleSetError | undefined;
    try {
      parseRuleSet(rule('    threshold: 1.5\n    lists: [UN, INTERPOL]\n'));
    } catch (caught) {
      error = caught as RuleSetError;
    }
    expect(error?.problems).toEqual([
      'rules[0].threshold: must be a score above 0 and at most 1, e.g. 0.9',
      'rules[0].lists[1]: "INTERPOL" is not one of OFAC-SDN, UN, EU, UK',
    ]);
    expect(() => parseRuleSet(rule('    lists: []\n'))).toThrow('rules[0].lists: must be a non-empty list of OFAC-SDN, UN, EU, UK');
  });
});
