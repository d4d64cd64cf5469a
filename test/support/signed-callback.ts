// Sends a provider callback signed with Standard Webhooks, as a monitoring provider would.
import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

export interface SignedCallbackOptions {
  readonly provider?: string;
  readonly id?: string;
  /** Signs with this secret: a forger's own. */
  readonly secret: string;
  readonly headers?: Record<string, string>;
}

export function decidedEvent(transactionId: string, status: 'APPROVED' | 'REJECTED', reasons: string[] = ['Cleared by the case tool']) {
  return { type: 'transaction.decided', timestamp: new Date().toISOString(), data: { transactionId, status, reasons } };
}

export async function sendCallback(baseUrl: string, body: unknown, options: SignedCallbackOptions): Promise<{ status: number; headers: Headers; body: Record<string, any> }> {
  const text = JSON.stringify(body);
  const id = options.id ?? `msg_${randomUUID()}`;
  const at = new Date();
  const response = await fetch(`${baseUrl}/webhooks/monitoring/${options.provider ?? 'rules'}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(options.secret).sign(id, at, text),
      ...options.headers,
    },
    body: text,
  });
  const answer = await response.text();
  return { status: response.status, headers: response.headers, body: answer ? (JSON.parse(answer) as Record<string, any>) : {} };
}
