// Reconciliation over real HTTP on a real database: decisions beside what Paystack reported, JSON and CSV, paging, the daily report.
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ReconciliationStore } from '../src/application/ports/reconciliation-store.port';
import { ReconcilePayments } from '../src/application/reconcile-payments.use-case';
import { dueUtcDays } from '../src/domain/reconciliation';
import { MetricsRecorder } from '../src/adapters/metrics/metrics-recorder';
import { PostgresReconciliationStore } from '../src/adapters/persistence/postgres-reconciliation.store';
import { analystCall, ANALYST_TOKENS, ANALYSTS } from './support/analyst-api';
import { httpCall } from './support/http';
import { chargeSuccess, deliver, SECRET, transfer } from './support/paystack-events';
import { deliverToPlatform, examplePlatformBody } from './support/platform-events';
import { postValidate, startTestApp, TestApp } from './support/test-app';
import { readUntil } from './support/waiting';
import { temporaryDirectory } from './support/temp-dir';

const DAY = 86_400_000;

/** A platform that calls its refunds charge.refunded, and whose refund.processed is something else that is only kept. */
const OTHER_PAY_SECRET = 'other-pay-webhook-secret-0123456789';
function otherPayFile(): string {
  const file = join(temporaryDirectory('reconciliation'), 'platforms.yaml');
  writeFileSync(
    file,
    [
      'platforms:',
      '  - name: other-pay',
      '    secretEnv: OTHER_PAY_WEBHOOK_SECRET',
      '    signature: { scheme: hmac-sha512, encoding: hex, header: x-example-signature }',
      '    fields: { event: event, reference: data.transaction_id, amount: data.amount, currency: data.currency, status: data.status }',
      '    amountUnit: minor',
      '    events: { charge.refunded: refunded, refund.processed: record }',
    ].join('\n'),
  );
  return file;
}

describe('Reconciliation', () => {
  let t: TestApp;
  const ids = { unsettled: '', mismatch: '', failed: '', reversed: '', rejected: '', settled: '', charge: '', orphanCode: '', pendingCharge: '', platformRefund: '' };
  const from = new Date(Date.now() - 2 * DAY).toISOString();
  const to = new Date(Date.now() + DAY).toISOString();
  const report = (query: string, headers: Record<string, string> = {}) =>
    httpCall(t.server, 'GET', `/reconciliation?${query}`, { headers: { authorization: `Bearer ${ANALYSTS.alice}`, ...headers } });

  async function outbound(amount: number, country = 'NG'): Promise<string> {
    const transactionId = `rec-${randomUUID()}`;
    const call = await postValidate(t.server, { transactionId, amount, currency: 'NGN', beneficiary: { name: 'Jekanmo Padie', country } });
    expect(call.status).toBe(200);
    return transactionId;
  }

  beforeAll(async () => {
    t = await startTestApp({
      env: {
        PAYSTACK_SECRET_KEY: SECRET,
        ANALYST_TOKENS,
        NOTIFICATION_POLL_MS: '100',
        RECONCILIATION_SETTLE_HOURS: '1',
        PAYMENT_PLATFORMS_FILE: otherPayFile(),
        OTHER_PAY_WEBHOOK_SECRET: OTHER_PAY_SECRET,
      },
    });
    ids.unsettled = await outbound(1000);
    await t.db.query(`UPDATE transactions SET received_at = received_at - interval '3 hours' WHERE id = $1`, [ids.unsettled]);
    ids.mismatch = await outbound(1000);
    expect((await deliver(t.server, transfer('transfer.success', ids.mismatch, `TRF_${randomUUID()}`, 150_000))).status).toBe(200);
    ids.failed = await outbound(1000);
    expect((await deliver(t.server, transfer('transfer.failed', ids.failed, `TRF_${randomUUID()}`))).status).toBe(200);
    ids.reversed = await outbound(1000);
    const code = `TRF_${randomUUID()}`;
    expect((await deliver(t.server, transfer('transfer.success', ids.reversed, code))).status).toBe(200);
    expect((await deliver(t.server, transfer('transfer.reversed', ids.reversed, code))).status).toBe(200);
    ids.rejected = await outbound(1000, 'KP');
    expect((await deliver(t.server, transfer('transfer.success', ids.rejected, `TRF_${randomUUID()}`))).status).toBe(200);
    ids.settled = await outbound(1000);
    expect((await deliver(t.server, transfer('transfer.success', ids.settled, `TRF_${randomUUID()}`))).status).toBe(200);
    // An earlier payment of the same transaction, through another provider, that failed: the latest payment is the one that counts.
    await t.db.query(
      `WITH e AS (INSERT INTO payment_events (id, provider, event_type, dedupe_key, transaction_id, status, amount, currency, summary, payload, effect, outcome)
                  VALUES (gen_random_uuid(), 'payto', 'pir.outcome', $2, $1, 'RJCT', 1000, 'NGN', 'earlier', '{}', '{"kind":"PAYMENT_PROGRESS"}', 'APPLIED') RETURNING id)
       INSERT INTO payments (provider, payment_key, transaction_id, progress, provider_status, amount, currency, last_event_id, updated_at)
       SELECT 'payto', $2, $1, 'FAILED', 'RJCT', 1000, 'NGN', id, now() - interval '1 hour' FROM e`,
      [ids.settled, `pir:${randomUUID()}`],
    );
    // Refunds are counted by what the platform's mapping says they are, not by their name.
    const otherPay = (body: unknown) => deliverToPlatform(t.server, body, { platform: 'other-pay', secret: OTHER_PAY_SECRET });
    expect((await otherPay(examplePlatformBody('refund.processed', ids.settled, 4000))).status).toBe(200);
    ids.platformRefund = await outbound(1000);
    expect((await deliver(t.server, transfer('transfer.success', ids.platformRefund, `TRF_${randomUUID()}`))).status).toBe(200);
    expect((await otherPay(examplePlatformBody('charge.refunded', ids.platformRefund, 2500))).status).toBe(200);
    ids.orphanCode = `TRF_${randomUUID()}`;
    expect((await deliver(t.server, transfer('transfer.success', `unknown-${randomUUID()}`, ids.orphanCode, 33_333))).status).toBe(200);
    const reference = `rc-${randomUUID()}`;
    ids.charge = `paystack:${reference}`;
    expect((await deliver(t.server, chargeSuccess(reference, 1_234_567))).status).toBe(200);
    // Held for review by the shipped rules (10,000 or more): screened all the same.
    const held = await readUntil(() => t.db.query<{ state: string }>(`SELECT state FROM transactions WHERE id = $1`, [ids.charge]), (rows) => rows[0]?.state === 'PENDING_EXTERNAL_APPROVAL', 30_000);
    expect(held[0]?.state).toBe('PENDING_EXTERNAL_APPROVAL');
    const refund = { event: 'refund.processed', data: { id: `rf-${randomUUID()}`, status: 'processed', transaction_reference: reference, amount: 10_050, currency: 'NGN' } };
    expect((await deliver(t.server, refund)).status).toBe(200);
    // Money received whose screening has not happened yet: its follow-up waits until tomorrow.
    ids.pendingCharge = `charge.success:${randomUUID()}`;
    await t.db.query(
      `WITH e AS (INSERT INTO payment_events (id, provider, event_type, dedupe_key, transaction_id, status, amount, currency, summary, payload, effect, outcome)
                  VALUES (gen_random_uuid(), 'paystack', 'charge.success', $1, 'paystack:later', 'success', 77.7, 'NGN', 'later', '{}',
                          '{"kind":"INBOUND_PAYMENT","transactionId":"paystack:later","amount":"77.7","currency":"NGN","attributes":{}}', 'FOLLOW_UP') RETURNING id)
       INSERT INTO payment_follow_ups (event_id, next_attempt_at) SELECT id, now() + interval '1 day' FROM e`,
      [ids.pendingCharge],
    );
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists each class next to the decision and what Paystack reported, with exact totals per currency', async () => {
    const call = await report(`from=${from}&to=${to}&limit=1000`);
    expect(call.status).toBe(200);
    const byId = new Map<string | null, any>(call.body.items.map((item: any) => [item.transactionId ?? item.paymentKey, item]));
    expect(byId.get(ids.unsettled)).toMatchObject({ decision: 'APPROVED', paymentProgress: null, classes: ['APPROVED_NOT_SETTLED'] });
    expect(byId.get(ids.mismatch)).toMatchObject({ amount: '1000', providerAmount: '1500', paymentProgress: 'SETTLED', classes: ['MISMATCH'] });
    expect(byId.get(ids.failed)).toMatchObject({ decision: 'APPROVED', paymentProgress: 'FAILED', classes: ['FAILED_AFTER_APPROVAL'] });
    expect(byId.get(ids.reversed)).toMatchObject({ paymentProgress: 'REVERSED', classes: ['REFUNDED'] });
    expect(byId.get(ids.rejected)).toMatchObject({ decision: 'REJECTED', paymentProgress: 'SETTLED', classes: ['MOVED_NOT_APPROVED'] });
    expect(byId.get(ids.charge)).toMatchObject({ direction: 'INBOUND', paymentProgress: 'RECEIVED', providerAmount: '12345.67', refundedAmount: '100.5', classes: ['REFUNDED'] });
    const orphan = call.body.items.find((item: any) => item.transactionId === null && item.paymentProgress === 'SETTLED');
    expect(orphan).toMatchObject({ decision: null, provider: 'paystack', providerAmount: '333.33', classes: ['MOVED_UNSCREENED'] });
    expect(byId.get(ids.pendingCharge)).toMatchObject({ transactionId: null, paymentProgress: 'RECEIVED', providerAmount: '77.7', classes: ['MOVED_UNSCREENED'] });
    expect(byId.has(ids.settled)).toBe(false);
    expect(byId.get(ids.platformRefund)).toMatchObject({ decision: 'APPROVED', paymentProgress: 'SETTLED', refundedAmount: '25', classes: ['REFUNDED'] });

    expect(call.body.counts).toEqual({ APPROVED_NOT_SETTLED: 1, MOVED_UNSCREENED: 2, MOVED_NOT_APPROVED: 1, MISMATCH: 1, FAILED_AFTER_APPROVAL: 1, REFUNDED: 3 });
    expect(call.body.totals).toEqual([
      {
        currency: 'NGN',
        transactions: 8,
        approved: '6000',
        rejected: '1000',
        pending: '12345.67',
        settled: '5833.33',
        received: '12423.37',
        failed: '1000',
        refunded: '125.5',
        movedUnscreened: '411.03',
      },
    ]);
    expect(call.body.settleHours).toBe(1);
  });

  it('pages through the same rows without repeating or skipping any', async () => {
    const all = (await report(`from=${from}&to=${to}`)).body.items.map((item: any) => item.transactionId ?? item.paymentKey);
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 20; pages += 1) {
      const call = await report(`from=${from}&to=${to}&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(call.status).toBe(200);
      if (cursor) expect(call.body.totals).toBeNull();
      seen.push(...call.body.items.map((item: any) => item.transactionId ?? item.paymentKey));
      cursor = call.body.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(all);
    expect(seen).toHaveLength(9);
  });

  it('takes back a cursor at money whose reference holds a tab and runs to 500 characters', async () => {
    // Paystack's references are any text up to 500 characters: this one makes a key of 518, a cursor of over 1,024.
    const references = [`odd\tref-${'€'.repeat(480)}`, `plain-${randomUUID()}`];
    for (const reference of references) expect((await deliver(t.server, transfer('transfer.success', reference, `TRF_${randomUUID()}`))).status).toBe(200);
    // A day of their own, the odd one first.
    await t.db.query(
      `UPDATE payments SET updated_at = timestamptz '2026-02-10T12:00:00Z' + (CASE WHEN payment_key = $1 THEN 0 ELSE 1 END) * interval '1 second' WHERE payment_key = ANY($2)`,
      [`transfer:${references[0]}`, references.map((reference) => `transfer:${reference}`)],
    );
    const first = await report('from=2026-02-10&to=2026-02-11&limit=1');
    expect(first.body.items).toEqual([expect.objectContaining({ paymentKey: `transfer:${references[0]}`, classes: ['MOVED_UNSCREENED'] })]);
    const second = await report(`from=2026-02-10&to=2026-02-11&limit=1&cursor=${first.body.nextCursor}`);
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ items: [expect.objectContaining({ paymentKey: `transfer:${references[1]}` })], nextCursor: null });
  });

  it('flags every refund reported, and sums only those in the transaction\'s currency', async () => {
    const otherPay = (body: unknown) => deliverToPlatform(t.server, body, { platform: 'other-pay', secret: OTHER_PAY_SECRET });
    const [withoutAmount, twoCurrencies] = [await outbound(1000), await outbound(1000)];
    for (const id of [withoutAmount, twoCurrencies]) expect((await deliver(t.server, transfer('transfer.success', id, `TRF_${randomUUID()}`))).status).toBe(200);
    expect((await otherPay({ event: 'charge.refunded', data: { transaction_id: withoutAmount, status: 'success' } })).status).toBe(200);
    expect((await otherPay(examplePlatformBody('charge.refunded', twoCurrencies, 2500))).status).toBe(200);
    expect((await otherPay(examplePlatformBody('charge.refunded', twoCurrencies, 1000, 'GHS'))).status).toBe(200);
    // A day of their own.
    await t.db.query(`UPDATE transactions SET received_at = '2026-02-12T12:00:00Z' WHERE id = ANY($1)`, [[withoutAmount, twoCurrencies]]);

    const call = await report('from=2026-02-12&to=2026-02-13');
    expect(call.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ transactionId: withoutAmount, refundedAmount: null, classes: ['REFUNDED'] }),
        expect.objectContaining({ transactionId: twoCurrencies, refundedAmount: '25', classes: ['REFUNDED'] }),
      ]),
    );
    expect(call.body.counts.REFUNDED).toBe(2);
    expect(call.body.totals).toEqual([expect.objectContaining({ currency: 'NGN', transactions: 2, refunded: '25' })]);
  });

  it('answers CSV with every field quoted when asked for text/csv', async () => {
    const call = await report(`from=${from}&to=${to}&limit=2`, { accept: 'text/csv' });
    expect(call.status).toBe(200);
    expect(call.contentType).toContain('text/csv');
    const lines = call.text.split('\r\n');
    expect(lines[0]).toBe(
      '"transactionId","direction","decision","amount","currency","at","provider","paymentKey","paymentProgress","providerStatus","providerAmount","providerCurrency","refundedAmount","classes","disagreements"',
    );
    expect(lines).toHaveLength(4); // header, two rows, and the final CRLF
    expect(lines[1]).toMatch(/^"[^"]*","OUTBOUND","APPROVED","1000","NGN",/);
    expect(call.headers.get('x-next-cursor')).toEqual(expect.any(String));
  });

  it.each([
    ['no from', `to=${to}`, 'from'],
    ['a from that is not a date', `from=yesterday&to=${to}`, 'from'],
    ['to before from', `from=${to}&to=${from}`, 'to'],
    ['a range over 31 days', 'from=2026-01-01&to=2026-03-01', 'to'],
    ['a zero limit', `from=${from}&to=${to}&limit=0`, 'limit'],
    ['a limit over 1000', `from=${from}&to=${to}&limit=1001`, 'limit'],
    ['a cursor this service never issued', `from=${from}&to=${to}&cursor=${Buffer.from('["x","y"]').toString('base64url')}`, 'cursor'],
    ['an unknown parameter', `from=${from}&to=${to}&status=x`, 'status'],
  ])('refuses %s with 400 problem+json naming the field', async (_what, query, field) => {
    const call = await report(query);
    expect(call.status).toBe(400);
    expect(call.contentType).toContain('application/problem+json');
    expect(call.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  });

  it.each([
    ['a week date', 'from=2026-W48&to=2026-12-01', 'from'],
    ['an ordinal date', 'from=2026-11-30&to=2026-335', 'to'],
    ['a basic date', 'from=20261130&to=2026-12-01', 'from'],
    ['a decimal comma', 'from=2026-11-30&to=2026-11-30T10:00:00,5Z', 'to'],
  ])('refuses %s, strict ISO 8601 that JavaScript cannot read, with 400 saying so of that field', async (_what, query, field) => {
    const call = await report(query);
    expect(call.status).toBe(400);
    expect(call.body.errors).toEqual([{ field, message: expect.stringContaining('must be a date (YYYY-MM-DD) or date-time') }]);
  });

  describe('while the payments table is locked, so that the read waits', () => {
    beforeEach(async () => {
      await t.db.query('BEGIN');
      await t.db.query('LOCK TABLE payments IN ACCESS EXCLUSIVE MODE');
    });
    afterEach(async () => {
      await t.db.query('ROLLBACK');
    });

    it('answers 503 with Retry-After, not 500, when PostgreSQL cancels the read', async () => {
      const answer = report(`from=${from}&to=${to}`);
      // The page and the summary, each on its connection, waiting for the lock (pg_stat_activity
      // shows the statement before theirs while they wait in their Parse step).
      const waiting = () => t.db.query<{ pid: number }>(`SELECT pid FROM pg_locks WHERE relation = 'payments'::regclass AND NOT granted`);
      const reads = await readUntil(waiting, (rows) => rows.length >= 2);
      for (const { pid } of reads) await t.db.query('SELECT pg_cancel_backend($1)', [pid]);
      const call = await answer;
      expect(call.status).toBe(503);
      expect(call.contentType).toContain('application/problem+json');
      expect(Number(call.headers.get('retry-after'))).toBeGreaterThan(0);
    });

    it('stops a read that runs past its statement timeout', async () => {
      const pool = new Pool({ connectionString: t.db.url, max: 2 });
      try {
        const store = new PostgresReconciliationStore(pool, 300);
        const query = { range: { from: new Date(from), to: new Date(to) }, settleBefore: new Date() };
        await expect(store.rows(query, undefined, 10)).rejects.toMatchObject({ code: '57014', message: expect.stringContaining('statement timeout') });
        await expect(store.summary(query)).rejects.toMatchObject({ code: '57014' });
      } finally {
        await pool.end();
      }
    });
  });

  it('is for analysts only', async () => {
    expect((await httpCall(t.server, 'GET', `/reconciliation?from=${from}&to=${to}`)).status).toBe(401);
    expect((await httpCall(t.server, 'GET', '/reconciliation/daily')).status).toBe(401);
  });

  it('stores, at start, the last day that ended RECONCILIATION_SETTLE_HOURS ago and every missing day of the week before it', async () => {
    const daily = await analystCall(t.server, 'GET', '/reconciliation/daily', { token: ANALYSTS.bob });
    expect(daily.status).toBe(200);
    const days = dueUtcDays(new Date(), 1, 7).map(({ day }) => expect.objectContaining({ day, settleHours: 1 }));
    expect(daily.body.items).toEqual(days.reverse());
  });

  it('stores a day once it ended 24 hours ago, whichever of two replicas gets there first, and counts its classes in metrics', async () => {
    const second = await startTestApp({ db: t.db, env: { PAYSTACK_SECRET_KEY: SECRET, ANALYST_TOKENS, RECONCILIATION_SETTLE_HOURS: '1' } });
    try {
      // A day of its own (no worker builds it): 2026-03-01, with two of the transactions moved into it.
      await t.db.query(`UPDATE transactions SET received_at = '2026-03-01T12:00:00Z' WHERE id = ANY($1)`, [[ids.unsettled, ids.failed]]);
      // With the default 24 hours, 1 March is due once it ended 24 hours ago, when its afternoon's approval is overdue.
      let now = new Date('2026-03-02T00:10:00Z');
      const replicas = [t, second].map(
        (app) =>
          new ReconcilePayments(app.app.get(ReconciliationStore), { settleHours: 24, dailyRowCap: 1 }, {
            now: () => now,
            onDailyStored: (_day, counts) => app.app.get(MetricsRecorder).reconciliationDay(counts),
          }),
      );
      expect((await replicas[0]!.storeDueDailyReports()).at(-1)).toBe('2026-02-28');
      now = new Date('2026-03-03T00:10:00Z');
      const stored = await Promise.all(replicas.map((replica) => replica.storeDueDailyReports()));
      expect(stored.flat()).toEqual(['2026-03-01']);
      expect(await replicas[0]!.storeDueDailyReports()).toEqual([]);

      const daily = await analystCall(t.server, 'GET', '/reconciliation/daily', { token: ANALYSTS.bob });
      expect(daily.body.items).toContainEqual(expect.objectContaining({ day: '2026-03-01', settleHours: 24, truncated: true }));
      const day = daily.body.items.find((item: { day: string }) => item.day === '2026-03-01');
      expect(day.counts).toEqual({ APPROVED_NOT_SETTLED: 1, MOVED_UNSCREENED: 0, MOVED_NOT_APPROVED: 0, MISMATCH: 0, FAILED_AFTER_APPROVAL: 1, REFUNDED: 0 });
      expect(day.totals).toEqual([expect.objectContaining({ currency: 'NGN', transactions: 2, approved: '2000', failed: '1000' })]);
      // The cap kept one row; the counts and totals cover both.
      expect(await t.db.query(`SELECT jsonb_array_length(rows) AS n FROM reconciliation_reports WHERE day = '2026-03-01'`)).toEqual([{ n: 1 }]);

      const metrics = await Promise.all([t, second].map(async (app) => (await httpCall(app.server, 'GET', '/metrics')).text));
      const counted = metrics.map((text) => Number(/tm_reconciliation_items_total\{class="FAILED_AFTER_APPROVAL"\} (\d+)/.exec(text)?.[1] ?? 'NaN'));
      expect(counted.reduce((a, b) => a + b, 0)).toBe(1);
    } finally {
      await second.close();
    }
  });
});
