// Small helpers for the analyst API.
import { AnalystRole } from '../../src/domain/analyst-role';
import { httpCall, HttpTarget } from './http';

/** Each analyst's token; ROLES gives their role. alice and bob are analysts. */
export const ANALYSTS = {
  alice: 'alice-token-0123456789',
  bob: 'bob-token-0123456789',
  carol: 'carol-token-0123456789',
  sue: 'sue-token-0123456789',
  vic: 'vic-token-0123456789',
} as const;

export const ROLES: Readonly<Record<keyof typeof ANALYSTS, AnalystRole>> = { alice: 'analyst', bob: 'analyst', carol: 'admin', sue: 'supervisor', vic: 'viewer' };

/** Analysts who may decide (every role but viewer). */
export const DECIDERS = [ANALYSTS.alice, ANALYSTS.bob, ANALYSTS.carol, ANALYSTS.sue] as const;

export const ANALYST_TOKENS = Object.entries(ANALYSTS)
  .map(([name, token]) => `${name}:${token}:${ROLES[name as keyof typeof ANALYSTS]}`)
  .join(',');

export interface ApiCall {
  status: number;
  contentType: string;
  headers: Headers;
  body: Record<string, any>;
}

export async function analystCall(target: HttpTarget, method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<ApiCall> {
  const headers: Record<string, string> = {};
  if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const call = await httpCall(target, method, path, { headers, body });
  return { status: call.status, contentType: call.contentType, headers: call.headers, body: call.body };
}

export function decide(target: HttpTarget, transactionId: string, analyst: keyof typeof ANALYSTS, status: 'APPROVED' | 'REJECTED', reason = `${analyst} checked it`): Promise<ApiCall> {
  return analystCall(target, 'POST', `/transactions/${encodeURIComponent(transactionId)}/decision`, { token: ANALYSTS[analyst], body: { status, reason } });
}
