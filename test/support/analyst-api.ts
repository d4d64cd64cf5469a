// Small helpers for the analyst API over real HTTP.
export const ANALYSTS = { alice: 'alice-token-0123456789', bob: 'bob-token-0123456789', carol: 'carol-token-0123456789' } as const;
export const ANALYST_TOKENS = Object.entries(ANALYSTS)
  .map(([name, token]) => `${name}:${token}`)
  .join(',');

export interface ApiCall {
  status: number;
  contentType: string;
  headers: Headers;
  body: Record<string, any>;
}

export async function analystCall(baseUrl: string, method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<ApiCall> {
  const headers: Record<string, string> = {};
  if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', headers: response.headers, body: text ? JSON.parse(text) : {} };
}

export function decide(baseUrl: string, transactionId: string, analyst: keyof typeof ANALYSTS, status: 'APPROVED' | 'REJECTED', reason = `${analyst} checked it`): Promise<ApiCall> {
  return analystCall(baseUrl, 'POST', `/transactions/${encodeURIComponent(transactionId)}/decision`, { token: ANALYSTS[analyst], body: { status, reason } });
}
