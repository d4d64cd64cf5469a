// `beneficiary-country`: fires when beneficiary.country (ISO 3166-1 alpha-2) is in `countries`.
import { RuleCheck, RuleFields, RuleType } from './rule-type';
import { shownValue } from '../../../../domain/shown-value';

export const beneficiaryCountryRule: RuleType = {
  name: 'beneficiary-country',
  parse(entry: RuleFields, where: string, problems: string[]): RuleCheck | undefined {
    const countries = entry.countries;
    if (!Array.isArray(countries) || countries.length === 0) {
      problems.push(`${where}.countries: required, a list of ISO 3166-1 alpha-2 codes`);
      return undefined;
    }
    countries.forEach((code, i) => {
      if (typeof code !== 'string' || !/^[A-Za-z]{2}$/.test(code)) {
        problems.push(`${where}.countries[${i}]: "${shownValue(code)}" is not an ISO 3166-1 alpha-2 code`);
      }
    });
    const listed = new Set(countries.filter((c): c is string => typeof c === 'string').map((c) => c.toUpperCase()));
    return {
      fires: ({ transaction }) => {
        const country = transaction.beneficiaryCountry;
        return country && listed.has(country) ? { country } : undefined;
      },
    };
  },
};
