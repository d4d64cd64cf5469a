// A payment platform described in PAYMENT_PLATFORMS_FILE: how its webhooks are signed, where its fields are, what each event means.

/** What an event of the platform does (the words operators write in the file). */
export const PLATFORM_EFFECTS = ['inbound', 'settled', 'failed', 'refunded', 'record'] as const;
export type PlatformEffect = (typeof PLATFORM_EFFECTS)[number];

export const SIGNATURE_SCHEMES = ['hmac-sha256', 'hmac-sha512', 'standard-webhooks'] as const;
export type SignatureScheme = (typeof SIGNATURE_SCHEMES)[number];

export type PlatformSignature =
  | {
      readonly scheme: 'hmac-sha256' | 'hmac-sha512';
      readonly encoding: 'hex' | 'base64';
      /** Lower-case header name. */
      readonly header: string;
      /** Text before the digest in the header (`sha256=`), empty for none. */
      readonly prefix: string;
      /** With a timestamp header, the signed content is `<timestamp>.<body>` and the timestamp (Unix seconds) must be this close to now. */
      readonly timestamp?: { readonly header: string; readonly toleranceSeconds: number };
    }
  | { readonly scheme: 'standard-webhooks' };

/** A field's place in the body: the keys (or array indexes) from the top. */
export type FieldPath = readonly string[];

export interface PlatformFields {
  readonly event: FieldPath;
  readonly eventId?: FieldPath;
  readonly reference?: FieldPath;
  readonly amount?: FieldPath;
  readonly currency?: FieldPath;
  readonly counterpartyName?: FieldPath;
  readonly status?: FieldPath;
}

export interface PlatformDefinition {
  /** Its route is POST /webhooks/platforms/<name>; also the provider name its events are stored under. */
  readonly name: string;
  /** The environment variable holding its secret. */
  readonly secretEnv: string;
  readonly signature: PlatformSignature;
  readonly fields: PlatformFields;
  /** minor: whole numbers of the currency's smallest unit; major: decimals in the currency's unit. */
  readonly amountUnit: 'minor' | 'major';
  /** Digits of the minor unit per currency, for `minor` amounts; DEFAULT_MINOR_DIGITS for any other. */
  readonly minorUnitDigits: Readonly<Record<string, number>>;
  readonly events: ReadonlyMap<string, PlatformEffect>;
}

export const DEFAULT_MINOR_DIGITS = 2;

/** A definition with its secret, read from the environment. */
export interface Platform extends PlatformDefinition {
  readonly secret: string;
}

/** Names the service's own adapters store events under: a platform may not take them. */
export const RESERVED_PLATFORM_NAMES: readonly string[] = ['paystack', 'payto', 'unknown'];

/** The field paths each effect needs to act. */
export const FIELDS_NEEDED: Readonly<Record<PlatformEffect, readonly (keyof PlatformFields)[]>> = {
  inbound: ['reference', 'amount', 'currency'],
  settled: ['reference'],
  failed: ['reference'],
  refunded: [],
  record: [],
};
