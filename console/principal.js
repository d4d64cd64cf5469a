// Who the signed-in analyst is (GET /me), asked once per sign-in, and what their role lets them do.
import { getJson, session } from './api.js';

/** Lowest first, as the service orders them: each role may do what the ones before it may. */
const ROLES = ['viewer', 'analyst', 'supervisor', 'admin'];

let askedFor = null;
let answer = null;

/** `{ name, role }` of the token in this tab; asked again after a new sign-in, or after a failure. */
export function principal() {
  const token = session.token();
  if (askedFor !== token || answer === null) {
    askedFor = token;
    answer = getJson('/me').catch((error) => {
      answer = null;
      throw error;
    });
  }
  return answer;
}

/** True when `who` has `role` or a higher one. The service decides in the end; this only hides what it would refuse. */
export function can(who, role) {
  return ROLES.indexOf(who?.role) >= ROLES.indexOf(role);
}

/**
 * True when two names are one analyst to the service: compared in Unicode compatibility form and
 * lower case (analystKey in src/domain/analyst-role.ts), so "Alice" and "alice" are one.
 */
export function sameAnalyst(a, b) {
  const key = (name) => String(name ?? '').normalize('NFKC').toLowerCase();
  return a !== null && a !== undefined && b !== null && b !== undefined && key(a) === key(b);
}
