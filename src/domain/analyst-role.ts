// Analysts' roles, ordered: each role may do everything the ones below it may.

/** Lowest first: a viewer reads; an analyst also claims and decides; a supervisor also overrides claims and gives supervised second approvals; an admin also administers. */
export const ANALYST_ROLES = ['viewer', 'analyst', 'supervisor', 'admin'] as const;

export type AnalystRole = (typeof ANALYST_ROLES)[number];

/** Who is calling the analyst API: the name the history records, and what they may do. */
export interface Principal {
  readonly name: string;
  readonly role: AnalystRole;
}

export function isAnalystRole(value: unknown): value is AnalystRole {
  return typeof value === 'string' && (ANALYST_ROLES as readonly string[]).includes(value);
}

/** True when `role` includes everything `required` may do. */
export function hasRole(role: AnalystRole, required: AnalystRole): boolean {
  return ANALYST_ROLES.indexOf(role) >= ANALYST_ROLES.indexOf(required);
}

/** The highest known role among `values` (an identity provider's groups, say); unknown words are ignored. */
export function highestRole(values: readonly unknown[]): AnalystRole | undefined {
  let highest: AnalystRole | undefined;
  for (const value of values) {
    if (isAnalystRole(value) && (highest === undefined || hasRole(value, highest))) highest = value;
  }
  return highest;
}

/**
 * Who an analyst's name stands for, whatever its case or Unicode form: "Alice" and "alice" are one
 * person to four-eyes, and a signed-in name may not take an ANALYST_TOKENS analyst's in another case.
 */
export function analystKey(name: string): string {
  return name.normalize('NFKC').toLowerCase();
}
