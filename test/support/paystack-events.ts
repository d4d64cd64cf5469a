// Paystack webhooks as the suites send them: signed like Paystack signs, shaped like its published examples.
import { createHmac } from 'node:crypto';
import { httpCall, HttpTarget } from './http';

export const SECRET = 'sk_test_4f1d2c3b5a69788796a5b4c3d2e1f0a1b2c3d4e5';

export interface WebhookCall {
  status: number;
  contentType: string;
  body: Record<string, any>;
}

/** Signs the exact text like Paystack does (HMAC-SHA512, hex) unless told otherwise, and POSTs it. */
export async function deliver(
  target: HttpTarget,
  body: unknown,
  options: { secret?: string; signature?: string | null; headers?: Record<string, string>; tamper?: (text: string) => string } = {},
): Promise<WebhookCall> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const signature = options.signature === undefined ? createHmac('sha512', options.secret ?? SECRET).update(text).digest('hex') : options.signature;
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (signature !== null) headers['x-paystack-signature'] = signature;
  const { status, contentType, body: answer } = await httpCall(target, 'POST', '/webhooks/paystack', { headers, body: options.tamper ? options.tamper(text) : text });
  return { status, contentType, body: answer };
}

/** Shaped like Paystack's published charge.success example; amounts in kobo. */
export function chargeSuccess(reference: string, kobo: number | string, id: number = Math.floor(Math.random() * 1e9)) {
  return {
    event: 'charge.success',
    data: {
      id,
      domain: 'test',
      status: 'success',
      reference,
      amount: kobo,
      message: null,
      gateway_response: 'Successful',
      paid_at: '2026-11-20T10:32:40.000Z',
      created_at: '2026-11-20T10:32:31.000Z',
      channel: 'card',
      currency: 'NGN',
      ip_address: '197.210.54.33',
      metadata: { invoice: 'INV-1009' },
      fees: 1500,
      customer: { id: 84312, first_name: 'Ada', last_name: 'Obi', email: 'ada@example.com', customer_code: 'CUS_xnxdt6s1zg1f4nx', phone: null, metadata: null, risk_action: 'default' },
      authorization: {
        authorization_code: 'AUTH_8dfhjjdt',
        bin: '539999',
        last4: '8877',
        exp_month: '08',
        exp_year: '2029',
        channel: 'card',
        card_type: 'mastercard DEBIT',
        bank: 'Guaranty Trust Bank',
        country_code: 'NG',
        brand: 'mastercard',
        reusable: true,
      },
    },
  };
}

/** Shaped like Paystack's published transfer.success example (PaystackOSS/doc-code-snippets). */
export function transfer(event: 'transfer.success' | 'transfer.failed' | 'transfer.reversed', reference: string, transferCode: string, kobo = 100_000) {
  return {
    event,
    data: {
      amount: kobo,
      createdAt: '2026-11-20T10:32:40.000Z',
      currency: 'NGN',
      domain: 'test',
      failures: null,
      id: 860703114,
      reason: 'Supplier payment',
      reference,
      source: 'balance',
      status: event.slice('transfer.'.length),
      transfer_code: transferCode,
      updatedAt: '2026-11-20T10:32:41.000Z',
      recipient: { name: 'Jekanmo Padie', recipient_code: 'RCP_gd9vgag7n5lr5ix', type: 'nuban', details: { account_number: '0123456789', bank_code: '044', bank_name: 'Access Bank' } },
    },
  };
}

