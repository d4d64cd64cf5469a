// Whose names a sanctions rule screens: the beneficiary of a payment out, the payer of money received.
import { JsonObject, Transaction } from '../../domain/transaction';
import { birthDate } from './formats/birth-dates';

export interface ScreenedParty {
  readonly role: 'beneficiary' | 'payer';
  readonly name: string;
  /** `YYYY[-MM[-DD]]`, from `dateOfBirth` (or `birthDate`) beside the name, when given. */
  readonly birthDate?: string;
  /** ISO 3166-1 alpha-2, upper case. */
  readonly country?: string;
}

const MAX_NAME_LENGTH = 300;

/**
 * `beneficiary.name` with `beneficiary.dateOfBirth` and `beneficiary.country`; on an INBOUND
 * transaction also the payer as the payment provider described it (`payer.name`, or Paystack's
 * `payer.accountName`, with `payer.dateOfBirth` and `payer.country`).
 */
export function screenedParties(transaction: Transaction): ScreenedParty[] {
  const parties: ScreenedParty[] = [];
  const beneficiary = party('beneficiary', transaction.beneficiary, 'name');
  if (beneficiary) parties.push(beneficiary);
  if (transaction.direction === 'INBOUND') {
    const payer = transaction.attributes['payer'];
    const found = isObject(payer) ? (party('payer', payer, 'name') ?? party('payer', payer, 'accountName')) : undefined;
    if (found) parties.push(found);
  }
  return parties;
}

function party(role: ScreenedParty['role'], fields: JsonObject | undefined, nameField: string): ScreenedParty | undefined {
  const name = text(fields?.[nameField]);
  if (!name) return undefined;
  const country = text(fields?.['country']);
  return {
    role,
    name: name.slice(0, MAX_NAME_LENGTH),
    birthDate: birthDate(text(fields?.['dateOfBirth']) ?? text(fields?.['birthDate'])),
    country: country && /^[A-Za-z]{2}$/.test(country) ? country.toUpperCase() : undefined,
  };
}

const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);
