// An outbound payment Toqio asks us to screen, as the domain sees it.
import { Money } from './money';
import { TransactionConflictError } from './domain-error';

export type JsonObject = { readonly [key: string]: unknown };

/** OUTBOUND: a payment Toqio asks about. INBOUND: money a payment provider reports arriving. */
export type Direction = 'OUTBOUND' | 'INBOUND';

/** The fields whose change turns a repeat of a transactionId into a conflict. */
export interface TransactionContent {
  readonly money: Money;
  readonly beneficiary?: JsonObject;
}

export interface TransactionProps extends TransactionContent {
  readonly id: string;
  /** OUTBOUND unless given. */
  readonly direction?: Direction;
  readonly sourceAccountId?: string;
  readonly customerId?: string;
  readonly companyId?: string;
  readonly userId?: string;
  readonly paymentScheme?: string;
  readonly reference?: string;
  /** The request body as parsed, unknown fields included, for providers that use them. */
  readonly attributes: JsonObject;
  /** The request body exactly as received (JSON text), kept for audit. */
  readonly originalPayload: string;
}

export class Transaction implements TransactionContent {
  readonly id: string;
  readonly direction: Direction;
  readonly money: Money;
  readonly beneficiary?: JsonObject;
  readonly sourceAccountId?: string;
  readonly customerId?: string;
  readonly companyId?: string;
  readonly userId?: string;
  readonly paymentScheme?: string;
  readonly reference?: string;
  readonly attributes: JsonObject;
  readonly originalPayload: string;

  constructor(props: TransactionProps) {
    this.id = props.id;
    this.direction = props.direction ?? 'OUTBOUND';
    this.money = props.money;
    this.beneficiary = props.beneficiary;
    this.sourceAccountId = props.sourceAccountId;
    this.customerId = props.customerId;
    this.companyId = props.companyId;
    this.userId = props.userId;
    this.paymentScheme = props.paymentScheme;
    this.reference = props.reference;
    this.attributes = props.attributes;
    this.originalPayload = props.originalPayload;
  }

  /** ISO 3166-1 alpha-2, upper-cased, so that "kp" cannot slip past a sanctions list. */
  get beneficiaryCountry(): string | undefined {
    const country = this.beneficiary?.['country'];
    return typeof country === 'string' ? country.toUpperCase() : undefined;
  }

  /** Throws TransactionConflictError when `earlier` carried different money or beneficiary. */
  assertSameContentAs(earlier: TransactionContent): void {
    const differing = contentDifferences(earlier, this);
    if (differing.length > 0) throw new TransactionConflictError(this.id, differing);
  }
}

export function contentDifferences(a: TransactionContent, b: TransactionContent): string[] {
  const differing: string[] = [];
  if (!a.money.amount.equals(b.money.amount)) differing.push('amount');
  if (a.money.currency !== b.money.currency) differing.push('currency');
  if (canonicalJson(a.beneficiary ?? null) !== canonicalJson(b.beneficiary ?? null)) differing.push('beneficiary');
  return differing;
}

/**
 * JSON with object keys sorted at every level, so equal content gives equal text. Built by
 * appending, without the intermediate arrays of map, filter and join: it runs twice a validate,
 * for the decision chain's hashes. Its text is what stored chains were hashed over, so it must
 * not change (the spec pins it).
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    let text = '[';
    for (let index = 0; index < value.length; index++) text += (index === 0 ? '' : ',') + canonicalJson(value[index]);
    return `${text}]`;
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    let text = '{';
    for (const key of keys) {
      const member = (value as Record<string, unknown>)[key];
      if (member === undefined) continue;
      text += `${text.length === 1 ? '' : ','}${JSON.stringify(key)}:${canonicalJson(member)}`;
    }
    return `${text}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
