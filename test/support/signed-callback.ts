// Sends a provider callback signed with Standard Webhooks, as a monitoring provider would.
import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { httpCall, HttpTarget } from './http';

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

export async function sendCallback(target: HttpTarget, body: unknown, options: SignedCallbackOptions): Promise<{ status: number; headers: Headers; body: Record<string, any> }> {
  const text = JSON.stringify(body);
  const id = options.id ?? `msg_${randomUUID()}`;
  const at = new Date();
  const { status, headers, body: answer } = await httpCall(target, 'POST', `/webhooks/monitoring/${options.provider ?? 'rules'}`, {
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(options.secret).sign(id, at, text),
      ...options.headers,
    },
    body: text,
  });
  return { status, headers, body: answer };
}
