import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TransactionMother } from '../../../../../test/mothers/transaction.mother';
import { listEntryKey } from '../../../../application/ports/managed-list-store.port';
import { ListType, parseListValue } from '../../../../domain/managed-list';
import { NO_HISTORY, ScreeningContext } from '../../../../domain/screening-context';
import { withSourceAccountCounts } from '../../../../../test/mothers/screening-context.mother';
import { evaluateRuleSet, parseRuleSet, RuleSet, RuleSetError } from '../rule-set';
import { ListLookup } from './rule-type';

const shipped = parseRuleSet(readFileSync(join(__dirname, '../../../../../config/rules.yaml'), 'utf8'));
const noHistory: ScreeningContext = NO_HISTORY;
const busy: ScreeningContext = withSourceAccountCounts({ 60: 30 });

/** A hand-written lookup: list name → entries as `type NUL value`. */
function listing(entries: Record<string, [ListType, string][]>): ListLookup {
  const sets = new Map(Object.entries(entries).map(([list, values]) => [list, new Set(values.map(([type, value]) => listEntryKey(type, value)))]));
  return { has: (list, type, value) => sets.get(list)?.has(listEntryKey(type, value)) ?? false };
}

/** The entries a value added through the API becomes, as the list's declaration reads it. */
function addedTo(ruleSet: RuleSet, list: string, raw: string): [ListType, string][] {
  const parsed = parseListValue(ruleSet.lists.find((declared) => declared.name === list)!.types, raw);
  if (!Array.isArray(parsed)) throw new Error(`${raw}: ${parsed.problem}`);
  return parsed.map(({ type, value }) => [type, value]);
}

const toIban = (iban: string, amount = '120') => TransactionMother.create({ amount, beneficiary: { name: 'B', iban, country: 'GB' } });
const toAccount = (sortCode: string, accountNumber: string, amount = '120') => TransactionMother.create({ amount, beneficiary: { name: 'B', sortCode, accountNumber, country: 'GB' } });

describe('the list rule type', () => {
  const lists = listing({
    'blocked-beneficiaries': [['iban', 'GB82WEST12345698765432'], ['account-number', '404784/70872490']],
    'trusted-beneficiaries': [['iban', 'DE89370400440532013000']],
  });

  it('rejects a blocked IBAN in any spacing or case, naming the list and only the ends of the account', () => {
    expect(evaluateRuleSet(shipped, toIban('gb82 west 1234 5698 7654 32'), noHistory, { lists })).toEqual({
      status: 'REJECTED',
      reasons: ['Beneficiary account GB****5432 is on the list blocked-beneficiaries'],
    });
    expect(evaluateRuleSet(shipped, toIban('GB33BUKB20201555555555'), noHistory, { lists })).toEqual({ status: 'APPROVED', reasons: [] });
  });

  it('rejects a blocked sort code and account number, read together', () => {
    expect(evaluateRuleSet(shipped, toAccount('40-47-84', '70872490'), noHistory, { lists })).toMatchObject({ status: 'REJECTED' });
    expect(evaluateRuleSet(shipped, toAccount('40-47-85', '70872490'), noHistory, { lists })).toMatchObject({ status: 'APPROVED' });
  });

  it('lifts the amount and velocity holds for a trusted beneficiary, and says so; nothing else', () => {
    const trusted = evaluateRuleSet(shipped, toIban('DE89 3704 0044 0532 0130 00', '25000'), busy, { lists });
    expect(trusted).toEqual({ status: 'APPROVED', reasons: ['Amount and velocity holds lifted: beneficiary account DE****3000 is on the list trusted-beneficiaries'] });
    expect(evaluateRuleSet(shipped, toIban('DE89370400440532013000', '10'), noHistory, { lists })).toEqual({ status: 'APPROVED', reasons: [] });
    expect(evaluateRuleSet(shipped, toIban('GB33BUKB20201555555555', '25000'), noHistory, { lists })).toMatchObject({ status: 'PENDING_EXTERNAL_APPROVAL' });
    const sanctionedCountry = TransactionMother.create({ amount: '25000', beneficiary: { name: 'B', iban: 'DE89370400440532013000', country: 'KP' } });
    expect(evaluateRuleSet(shipped, sanctionedCountry, noHistory, { lists })).toMatchObject({ status: 'REJECTED' });
  });

  it('never fires without the lists in memory', () => {
    expect(evaluateRuleSet(shipped, toIban('GB82WEST12345698765432'), noHistory)).toMatchObject({ status: 'APPROVED' });
  });

  it('matches customers, source accounts, names and countries too', () => {
    const ruleSet = parseRuleSet(`
lists:
  - { name: watched, types: [customer-id, source-account] }
  - { name: people, type: name }
rules:
  - { id: a, type: list, fields: [customerId, sourceAccountId], list: watched, status: PENDING_EXTERNAL_APPROVAL, reason: "{field} {value}" }
  - { id: b, type: list, field: beneficiary.name, list: people, status: REJECTED, reason: "{value}" }`);
    const lookup = listing({ watched: addedTo(ruleSet, 'watched', 'acc-7'), people: addedTo(ruleSet, 'people', 'José Núñez') });
    expect(evaluateRuleSet(ruleSet, TransactionMother.create({ sourceAccountId: 'acc-7' }), noHistory, { lists: lookup })).toEqual({
      status: 'PENDING_EXTERNAL_APPROVAL',
      reasons: ['sourceAccountId acc-7'],
    });
    expect(evaluateRuleSet(ruleSet, TransactionMother.create({ customerId: 'acc-7' }), noHistory, { lists: lookup })).toEqual({
      status: 'PENDING_EXTERNAL_APPROVAL',
      reasons: ['customerId acc-7'],
    });
    expect(evaluateRuleSet(ruleSet, TransactionMother.create({ beneficiary: { name: 'NÚÑEZ, José' } }), noHistory, { lists: lookup })).toMatchObject({ status: 'REJECTED' });
  });

  it('names every mistake: an undeclared list, an unknown field, a field the list cannot hold, a bad declaration, an unknown suppressed rule', () => {
    let problems: readonly string[] = [];
    try {
      parseRuleSet(`
lists:
  - { name: ibans, type: iban }
  - { name: Bad_Name, types: [iban, phone] }
rules:
  - { id: a, type: list, field: beneficiary.iban, list: nowhere, status: REJECTED, reason: r }
  - { id: b, type: list, fields: [beneficiary.phone, beneficiary.name], list: ibans, status: REJECTED, reason: r }
  - { id: c, type: list, list: ibans, status: APPROVED, reason: r, suppresses: [zzz] }`);
    } catch (error) {
      problems = (error as RuleSetError).problems;
    }
    expect(problems).toEqual([
      'lists[1].name: required, lower-case letters, digits and hyphens (at most 63), e.g. blocked-beneficiaries',
      'lists[1].types: "phone" not one of iban, account-number, bic, name, customer-id, source-account, country',
      'rules[0].list: must name a list declared under "lists" ("nowhere" is not)',
      expect.stringContaining('rules[1].fields[0]: "beneficiary.phone" is not one of beneficiary.iban'),
      'rules[1].fields[1]: beneficiary.name holds name values, which list "ibans" (iban) cannot hold',
      expect.stringContaining('rules[2].field: required (or "fields", a list)'),
    ]);
  });

  it('refuses a suppression of a rule that does not exist', () => {
    expect(() => parseRuleSet(`
rules:
  - { id: a, type: beneficiary-country, countries: [KP], status: APPROVED, reason: r, suppresses: [zzz] }`)).toThrow('rules[0].suppresses: "zzz" is not the id of another rule');
  });

  it('names a bad suppression by its place in the document, after a rule that did not parse', () => {
    expect(() => parseRuleSet(`
rules:
  - { id: a, type: teleport, status: APPROVED, reason: r }
  - { id: b, type: beneficiary-country, countries: [KP], status: APPROVED, reason: r, suppresses: [zzz] }`)).toThrow('rules[1].suppresses: "zzz" is not the id of another rule');
  });
});
