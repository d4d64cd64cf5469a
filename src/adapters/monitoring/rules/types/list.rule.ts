// `list`: fires when a field of the transaction (beneficiary.iban, customerId, ...) is on a managed list, whatever its spelling.
import { canonicalListValue, ListType, maskedListValue } from '../../../../domain/managed-list';
import { Transaction } from '../../../../domain/transaction';
import { RuleCheck, RuleFields, RuleType } from './rule-type';
import { shownValue } from '../../../../domain/shown-value';
import { knownCode } from '../../../../domain/known-code';

interface ListField {
  readonly type: ListType;
  readonly read: (transaction: Transaction) => string | undefined;
}

const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value : undefined);
const beneficiary = (key: string) => (transaction: Transaction) => text(transaction.beneficiary?.[key]);

/** The fields a list may be matched on, and the type of value each holds. */
export const LIST_FIELDS: Readonly<Record<string, ListField>> = {
  'beneficiary.iban': { type: 'iban', read: beneficiary('iban') },
  'beneficiary.accountNumber': {
    type: 'account-number',
    // A UK account number means nothing without its sort code: the list holds the pair.
    read: (transaction) => {
      const account = beneficiary('accountNumber')(transaction);
      const sortCode = beneficiary('sortCode')(transaction);
      return account && sortCode ? `${sortCode} ${account}` : undefined;
    },
  },
  'beneficiary.bic': { type: 'bic', read: beneficiary('bic') },
  'beneficiary.name': { type: 'name', read: beneficiary('name') },
  'beneficiary.country': { type: 'country', read: beneficiary('country') },
  customerId: { type: 'customer-id', read: (transaction) => transaction.customerId },
  sourceAccountId: { type: 'source-account', read: (transaction) => transaction.sourceAccountId },
};

export const listRule: RuleType = {
  name: 'list',
  parse(entry: RuleFields, where, problems, context): RuleCheck | undefined {
    const names = entry.fields ?? (entry.field === undefined ? undefined : [entry.field]);
    const known = Object.keys(LIST_FIELDS).join(', ');
    if (!Array.isArray(names) || names.length === 0) {
      problems.push(`${where}.field: required (or "fields", a list), one of ${known}`);
      return undefined;
    }
    const listName = entry.list;
    const list = typeof listName === 'string' ? context?.lists.get(listName) : undefined;
    if (!list) problems.push(`${where}.list: must name a list declared under "lists"${typeof listName === 'string' ? ` ("${listName}" is not)` : ''}`);
    const fields: { name: string; field: ListField }[] = [];
    names.forEach((name, i) => {
      const field = typeof name === 'string' ? knownCode(LIST_FIELDS, name) : undefined;
      const at = entry.fields ? `${where}.fields[${i}]` : `${where}.field`;
      if (!field) problems.push(`${at}: "${shownValue(name)}" is not one of ${known}`);
      else if (list && !list.types.includes(field.type)) problems.push(`${at}: ${shownValue(name)} holds ${field.type} values, which list "${list.name}" (${list.types.join(', ')}) cannot hold`);
      else fields.push({ name: name as string, field });
    });
    if (!list) return undefined;
    return {
      fires: ({ transaction, lists }) => {
        if (!lists) return undefined;
        for (const { name, field } of fields) {
          const raw = field.read(transaction);
          if (raw === undefined) continue;
          const value = canonicalListValue(field.type, raw);
          if (lists.has(list.name, field.type, value)) return { list: list.name, field: name, value: maskedListValue(field.type, value) };
        }
        return undefined;
      },
    };
  },
};
