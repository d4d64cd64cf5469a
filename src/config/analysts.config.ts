// The `analysts` namespace: who may decide, when a second approval is needed, and when a pending case is overdue.
import { Decimal } from '../domain/decimal';
import { EnvSection } from './env-section';
import { EnvRule, listOf, WholeNumber } from './env-rules';
import { defineNamespace } from './namespace';

export interface AnalystToken {
  readonly name: string;
  readonly token: string;
}

/** ANALYST_TOKENS: `name:token` pairs, each name and token used once. */
function analystTokensOf(raw: string | undefined, production: boolean): { tokens: AnalystToken[]; problems: string[] } {
  const tokens: AnalystToken[] = [];
  const problems: string[] = [];
  for (const pair of listOf(raw)) {
    const separator = pair.indexOf(':');
    const name = separator > 0 ? pair.slice(0, separator).trim() : '';
    const token = separator > 0 ? pair.slice(separator + 1).trim() : '';
    if (!name || !token) {
      problems.push('every entry must be name:token');
    } else if (tokens.some((existing) => existing.name === name || existing.token === token)) {
      problems.push(`the name or token of "${name}" is used twice`);
    } else if (production && token.length < 16) {
      problems.push(`the token of "${name}" must be at least 16 characters when NODE_ENV=production`);
    } else {
      tokens.push({ name, token });
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

export class AnalystsEnv extends EnvSection {
  @EnvRule('analystTokens', (raw, env) => analystTokensOf(raw, env.production).problems)
  ANALYST_TOKENS?: string;

  @EnvRule('positiveAmount', (raw) =>
    raw === undefined || positiveDecimal(raw) !== undefined ? [] : [`must be a positive decimal amount (got "${raw}")`],
  )
  FOUR_EYES_THRESHOLD?: string;

  @WholeNumber(1, 525_600)
  PENDING_SLA_MINUTES?: string;
}

export const analystsConfig = defineNamespace('analysts', AnalystsEnv, (env) => ({
  tokens: analystTokensOf(env.ANALYST_TOKENS, env.production).tokens as readonly AnalystToken[],
  /** Exact decimal, in major units; unset means one approval suffices. */
  fourEyesThreshold: env.FOUR_EYES_THRESHOLD === undefined ? undefined : positiveDecimal(env.FOUR_EYES_THRESHOLD)!.toString(),
  /** Pending longer than this is overdue; unset: never. */
  pendingSlaMinutes: env.PENDING_SLA_MINUTES === undefined ? undefined : Number(env.PENDING_SLA_MINUTES),
}));
