// class-validator rules for environment variables, each message naming the variable and what it must be.
import { isIP } from 'node:net';
import { registerDecorator, ValidationArguments } from 'class-validator';
import { EnvSection } from './env-section';
import { Secret } from './secrets';

/** Checks one variable (undefined when unset) and returns its problems, none when it is fine. */
export type EnvCheck<T extends EnvSection = EnvSection> = (value: string | undefined, env: T) => readonly string[];

/**
 * The generic rule: runs even when the variable is unset (being unset may be the problem), and may
 * name several problems of one variable, each on its own line of the message.
 */
export function EnvRule<T extends EnvSection>(name: string, check: EnvCheck<T>): PropertyDecorator {
  return (target, propertyName) => {
    const problemsOf = (args: ValidationArguments) => check(args.value as string | undefined, args.object as T);
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (_value: unknown, args: ValidationArguments) => problemsOf(args).length === 0,
        defaultMessage: (args: ValidationArguments) => problemsOf(args).map((problem) => `${args.property}: ${problem}`).join('\n'),
      },
    });
  };
}

/** Unset is fine (the default applies); set, it must be a whole number in the range. `why` explains a bound that is not obvious. */
export function WholeNumber(min: number, max: number, why?: string): PropertyDecorator {
  return EnvRule('wholeNumber', (raw) =>
    raw === undefined || (/^\d+$/.test(raw) && Number(raw) >= min && Number(raw) <= max)
      ? []
      : [`must be a whole number between ${min} and ${max} (got "${raw}")${why === undefined ? '' : `; ${why}`}`],
  );
}

export function RequiredInProduction<T extends EnvSection>(why: string, when: (env: T) => boolean = () => true): PropertyDecorator {
  return EnvRule<T>('requiredInProduction', (value, env) =>
    env.production && when(env) && value === undefined ? [`required when NODE_ENV=production (${why})`] : [],
  );
}

/** The shortest secret production accepts: 16 random characters are beyond guessing online. */
export const MIN_SECRET_LENGTH = 16;
/** Words of the values templates ship (deploy/k8s/secret.example.yaml has "CHANGE-ME"). */
const PLACEHOLDER_WORD = /change[-_ ]?me|replace[-_ ]?me|placeholder/i;
/** Template markup: "<your key>" or "...". */
const PLACEHOLDER_MARKUP = /<[^>]*>|\.\.\./;

/** A value left from a template, as a problem for production. */
export function placeholderProblems(secret: string): string[] {
  const word = PLACEHOLDER_WORD.exec(secret)?.[0];
  if (word !== undefined) return [`must not be a placeholder ("${word}") when NODE_ENV=production`];
  return PLACEHOLDER_MARKUP.test(secret) ? ['must not be a placeholder ("<...>" or "...") when NODE_ENV=production'] : [];
}

/** Why `secret` would be weak in production: a placeholder left from a template, or too short. */
export function weakSecretProblems(secret: string): string[] {
  const placeholder = placeholderProblems(secret);
  if (placeholder.length > 0) return placeholder;
  return secret.length < MIN_SECRET_LENGTH ? [`must be at least ${MIN_SECRET_LENGTH} characters when NODE_ENV=production`] : [];
}

/**
 * A secret, masked in logs (see Secret) and, in production, once set, at least MIN_SECRET_LENGTH characters and no placeholder.
 * `secretsOf` picks the secrets out of the value (the entries of a list, a credential after its
 * scheme); unset is left to RequiredInProduction.
 */
export function ProductionSecret(secretsOf: (value: string) => readonly string[] = (value) => [value]): PropertyDecorator {
  return (target, property) => {
    Secret(secretsOf)(target, property);
    EnvRule('productionSecret', (value, env) => (env.production && value !== undefined ? [...new Set(secretsOf(value).flatMap(weakSecretProblems))] : []))(target, property);
  };
}

/** A Standard Webhooks secret ("whsec_" and base64), strong in production and masked in logs. */
export function StandardWebhooksSecret(): PropertyDecorator {
  return (target, property) => {
    ProductionSecret()(target, property);
    EnvRule('webhookSecret', (secret) => {
      const key = secret?.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
      return key === undefined || (/^[A-Za-z0-9+/]+={0,2}$/.test(key) && Buffer.from(key, 'base64').length >= 24)
        ? []
        : ['must be a Standard Webhooks secret, "whsec_" then at least 24 bytes in base64'];
    })(target, property);
  };
}

export function NoWhitespace(): PropertyDecorator {
  return EnvRule('noWhitespace', (value) => (value !== undefined && /\s/.test(value) ? ['must not contain whitespace'] : []));
}

/** An http(s) URL, https and no placeholder in production; unset is left to RequiredInProduction. */
export function HttpUrl(): PropertyDecorator {
  return EnvRule('httpUrl', (value, env) => (value === undefined ? [] : httpUrlProblems(value, env.production)));
}

/**
 * Why `url` will not do: not http(s); in production, not https, or still a template's placeholder
 * (deploy/k8s/configmap.yaml ships TOQIO_WEBHOOK_URL with "<INTEGRATION>"), refused as in secrets.
 */
export function httpUrlProblems(url: string, production: boolean): string[] {
  if (!isUrl(url, ['https:', 'http:'])) return ['must be an http(s) URL'];
  if (!production) return [];
  // Pasted through a browser or a URL encoder, "<INTEGRATION>" arrives as "%3CINTEGRATION%3E": judged decoded too.
  return [...(url.startsWith('http:') ? ['must use https when NODE_ENV=production'] : []), ...placeholderProblems(decodedOrAsIs(url))];
}

function decodedOrAsIs(url: string): string {
  try {
    return decodeURIComponent(url);
  } catch {
    return url;
  }
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export function HeaderName(): PropertyDecorator {
  return EnvRule('headerName', (value) => (value === undefined || HEADER_NAME.test(value) ? [] : [`"${value}" is not a valid HTTP header name`]));
}

export function IpAddresses(): PropertyDecorator {
  return EnvRule('ipAddresses', (value) => listOf(value).flatMap((ip) => (isIP(ip) === 0 ? [`"${ip}" is not an IP address`] : [])));
}

export function isUrl(value: string, protocols: readonly string[]): boolean {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** A comma-separated variable's entries, blanks dropped. */
export function listOf(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** PEM keys often arrive in one-line environment variables with literal "\n": a class-transformer Transform. */
export const pemFromEnv = ({ value }: { value: string }) => (value.includes('\\n') ? value.replace(/\\n/g, '\n') : value);

/** A log line holds text JSON-escaped on one line: a PEM key's base64 lines are masked one by one. */
export const pemSecretLines = (pem: string): string[] => pem.split('\n').filter((line) => line.length >= 16 && !line.startsWith('-----'));
