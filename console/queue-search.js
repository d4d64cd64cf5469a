// The queue's search form: every filter GET /transactions takes, kept in the address so that a search can be bookmarked or shared.
import { h } from './dom.js';

/** [parameter, label, input attributes]; the API checks every value and names the wrong ones. */
const FIELDS = [
  ['q', 'Search', { type: 'search', placeholder: 'Id, reference, name or IBAN', size: 28 }],
  ['sourceAccountId', 'Source account', { size: 14 }],
  ['customerId', 'Customer', { size: 14 }],
  ['beneficiaryIban', 'Beneficiary IBAN', { size: 24, spellcheck: 'false' }],
  ['minAmount', 'Amount from', { inputmode: 'decimal', size: 10, placeholder: '10000' }],
  ['maxAmount', 'Amount to', { inputmode: 'decimal', size: 10 }],
  ['currency', 'Currency', { size: 5, placeholder: 'EUR', autocapitalize: 'characters' }],
  // UTC days, as the API reads them and as the console shows every time.
  ['from', 'Held from (UTC day)', { type: 'date' }],
  ['to', 'Held before (UTC day)', { type: 'date' }],
];

export const SEARCH_KEYS = FIELDS.map(([key]) => key);

/** The search filters in `params` (URLSearchParams), without empty ones. */
export function searchOf(params) {
  const search = {};
  for (const key of SEARCH_KEYS) {
    const value = params.get(key)?.trim();
    if (value) search[key] = value;
  }
  return search;
}

/** The form's fields filled from `search`, and a function that reads them back. */
export function searchFields(search) {
  const inputs = FIELDS.map(([key, label, attributes]) => {
    const input = h('input', { id: `search-${key}`, name: key, type: 'text', autocomplete: 'off', ...attributes, value: search[key] ?? '' });
    return { key, input, field: h('div', { class: 'field' }, h('label', { for: `search-${key}` }, label), input) };
  });
  return {
    fields: h('div', { class: 'search-fields' }, inputs.map(({ field }) => field)),
    read: () => Object.fromEntries(inputs.map(({ key, input }) => [key, input.value.trim()]).filter(([, value]) => value)),
    /** Marks the fields the service refused (problem+json `errors`). */
    markInvalid(errors) {
      const refused = new Set((errors ?? []).map((error) => error.field));
      for (const { key, input } of inputs) input.setAttribute('aria-invalid', refused.has(key) ? 'true' : 'false');
    },
  };
}
