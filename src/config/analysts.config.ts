// The `analysts` namespace: who may decide and with which role, when a second approval is needed, claims, and when a pending case is overdue.
import { ANALYST_ROLES, analystKey, AnalystRole, hasRole, isAnalystRole } from '../domain/analyst-role';
import { Decimal } from '../domain/decimal';
import { EnvSection } from './env-section';
import { EnvRule, HttpUrl, listOf, weakSecretProblems, WholeNumber } from './env-rules';
import { defineNamespace } from './namespace';
import { Secret } from './secrets';

export interface AnalystToken {
  readonly name: string;
  readonly token: string;
  readonly role: AnalystRole;
}

/**
 * One entry of ANALYST_TOKENS: `name:token` or `name:token:role`. With three parts or more the
 * last is the role, so a token itself never contains a colon.
 */
function tokenEntryOf(entry: string): { name: string; token: string; role: string } {
  const parts = entry.split(':').map((part) => part.trim());
  if (parts.length < 3) return { name: parts[0] ?? '', token: parts[1] ?? '', role: 'analyst' };
  return { name: parts[0]!, token: parts.slice(1, -1).join(':'), role: parts[parts.length - 1]! };
}

/** ANALYST_TOKENS: `name:token[:role]` entries, each name and token used once, the role `analyst` when absent. */
function analystTokensOf(raw: string | undefined, production: boolean): { tokens: AnalystToken[]; problems: string[] } {
  const tokens: AnalystToken[] = [];
  const problems: string[] = [];
  for (const entry of listOf(raw)) {
    const { name, token, role } = tokenEntryOf(entry);
    if (!name || !token) {
      problems.push('every entry must be name:token or name:token:role');
    } else if (!isAnalystRole(role)) {
      problems.push(`the role of "${name}" is "${role}"; it must be one of ${ANALYST_ROLES.join(', ')}`);
    } else if (tokens.some((existing) => analystKey(existing.name) === analystKey(name) || existing.token === token)) {
      problems.push(`the name or token of "${name}" is used twice (names in any case)`);
    } else if (production && weakSecretProblems(token).length > 0) {
      problems.push(...weakSecretProblems(token).map((problem) => `the token of "${name}" ${problem}`));
    } else {
      tokens.push({ name, token, role });
    }
  }
  return { tokens, problems };
}

function positiveDecimal(raw: string): Decimal | undefined {
  try {
    const amount = Decimal.parse(raw);
    return amount.isPositive() ? amount : undefined;
  } catch {
    return undefined;
  }
}

/** The roles that may decide, so the least role FOUR_EYES_SECOND_ROLE may name. */
const DECIDING_ROLES: readonly string[] = ANALYST_ROLES.filter((role) => hasRole(role, 'analyst'));

const OIDC_VARIABLES = ['ANALYST_OIDC_ISSUER', 'ANALYST_OIDC_AUDIENCE', 'ANALYST_OIDC_ROLES_CLAIM'] as const;

/** Single sign-on needs all three of its variables, or none. */
function oidcTogetherProblems(env: AnalystsEnv): string[] {
  const missing = OIDC_VARIABLES.filter((name) => env[name] === undefined);
  return missing.length === 0 || missing.length === OIDC_VARIABLES.length
    ? []
    : [`single sign-on needs ${OIDC_VARIABLES.join(', ')} together; ${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} missing`];
}

export class AnalystsEnv extends EnvSection {
  @EnvRule('analystTokens', (raw, env) => analystTokensOf(raw, env.production).problems)
  @Secret((raw) => analystTokensOf(raw, false).tokens.map(({ token }) => token))
  ANALYST_TOKENS?: string;

  @EnvRule('positiveAmount', (raw) =>
    raw === undefined || positiveDecimal(raw) !== undefined ? [] : [`must be a positive decimal amount (got "${raw}")`],
  )
  FOUR_EYES_THRESHOLD?: string;

  // A viewer cannot decide at all: as the second approver's least role it would act as analyst while /me said viewer.
  @EnvRule('decidingRole', (raw) =>
    raw === undefined || DECIDING_ROLES.includes(raw) ? [] : [`must be one of ${DECIDING_ROLES.join(', ')}, the roles that may decide (got "${raw}")`],
  )
  FOUR_EYES_SECOND_ROLE?: string;

  @WholeNumber(1, 525_600)
  PENDING_SLA_MINUTES?: string;

  @WholeNumber(1, 10_080)
  CLAIM_TTL_MINUTES?: string;

  @HttpUrl()
  @EnvRule<AnalystsEnv>('oidcTogether', (_raw, env) => oidcTogetherProblems(env))
  ANALYST_OIDC_ISSUER?: string;

  ANALYST_OIDC_AUDIENCE?: string;

  ANALYST_OIDC_ROLES_CLAIM?: string;

  /** The one claim that names a signed-in analyst: no fallback to another, whose value could differ for the same person. */
  ANALYST_OIDC_NAME_CLAIM?: string;

  /** How soon a token signed with an unknown key may make the JWKS be fetched again. */
  @WholeNumber(0, 3_600)
  ANALYST_OIDC_JWKS_COOLDOWN_SECONDS?: string;
}

export const analystsConfig = defineNamespace('analysts', AnalystsEnv, (env) => ({
  tokens: analystTokensOf(env.ANALYST_TOKENS, env.production).tokens as readonly AnalystToken[],
  /** Exact decimal, in major units; unset means one approval suffices. */
  fourEyesThreshold: env.FOUR_EYES_THRESHOLD === undefined ? undefined : positiveDecimal(env.FOUR_EYES_THRESHOLD)!.toString(),
  /** The least role that may give the second of two four-eyes approvals. */
  fourEyesSecondRole: (env.FOUR_EYES_SECOND_ROLE ?? 'analyst') as AnalystRole,
  /** Pending longer than this is overdue; unset: never. */
  pendingSlaMinutes: env.PENDING_SLA_MINUTES === undefined ? undefined : Number(env.PENDING_SLA_MINUTES),
  /** A claim on a case lapses this long after it was taken or renewed. */
  claimTtlMinutes: Number(env.CLAIM_TTL_MINUTES ?? 30),
  /** Single sign-on: bearer JWTs from this issuer, for this audience, with the role in this claim; unset: tokens only. */
  oidc:
    env.ANALYST_OIDC_ISSUER === undefined
      ? undefined
      : {
          issuer: env.ANALYST_OIDC_ISSUER,
          audience: env.ANALYST_OIDC_AUDIENCE!,
          rolesClaim: env.ANALYST_OIDC_ROLES_CLAIM!,
          nameClaim: env.ANALYST_OIDC_NAME_CLAIM ?? 'preferred_username',
          jwksCooldownMs: Number(env.ANALYST_OIDC_JWKS_COOLDOWN_SECONDS ?? 30) * 1_000,
        },
}));
