// ANZ PayTo webhooks over real HTTP: signed (and encrypted) payloads made with jose and real RSA keys.
import { generateKeyPairSync, KeyObject, randomBytes, randomUUID } from 'node:crypto';
import { CompactEncrypt, CompactSign, SignJWT, UnsecuredJWT } from 'jose';
import { analystCall, ANALYST_TOKENS, ANALYSTS } from './support/analyst-api';
import { httpCall, HttpTarget } from './support/http';
import { postValidate, startTestApp, TestApp } from './support/test-app';
import { readUntil } from './support/waiting';

const API_KEY = 'payto-shared-key-0123456789abcdef';
const anz = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ours = generateKeyPairSync('rsa', { modulusLength: 2048 });
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = (key: KeyObject, type: 'spki' | 'pkcs8') => key.export({ type, format: 'pem' }).toString();
const ANZ_PUBLIC_PEM = pem(anz.publicKey, 'spki');

async function sign(payload: Record<string, unknown>, key: KeyObject = anz.privateKey, extra: { exp?: number } = {}): Promise<string> {
  const jwt = new SignJWT(payload).setProtectedHeader({ alg: 'RS256', typ: 'JWT' });
  if (extra.exp !== undefined) jwt.setExpirationTime(extra.exp);
  return jwt.sign(key);
}

async function encrypt(jws: string, key: KeyObject = ours.publicKey, enc = 'A256CBC-HS512'): Promise<string> {
  return new CompactEncrypt(new TextEncoder().encode(jws)).setProtectedHeader({ alg: 'RSA-OAEP', enc, cty: 'JWT' }).encrypt(key);
}

interface Call {
  status: number;
  contentType: string;
  body: Record<string, any>;
}

async function post(target: HttpTarget, path: string, token: string | undefined, headers: Record<string, string | undefined> = {}): Promise<Call> {
  const computed: Record<string, string | undefined> = { 'content-type': 'application/json', apikey: API_KEY, 'x-message-id': randomUUID(), ...headers };
  const sent = Object.fromEntries(Object.entries(computed).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const { status, contentType, body } = await httpCall(target, 'POST', `/webhooks/payto/${path}`, { headers: sent, body: JSON.stringify(token === undefined ? {} : { secured_payload: token }) });
  return { status, contentType, body };
}

const mandateId = () => randomUUID().replace(/-/g, '').replace(/^(.{12})./, '$11');
const at = (minute: number) => `2026-11-20T10:${String(minute).padStart(2, '0')}:00.000Z`;

/** MandateNotification, as in ANZ's published schema. */
function notification(mandate: string, status: string | undefined, minute: number, extra: Record<string, unknown> = {}) {
  return {
    creation_date_time: at(minute),
    trigger: 'MSCH',
    mps_user_id: '10002005',
    mandate_identification: mandate,
    ...(status ? { mandate_status: status } : {}),
    action_identification: randomUUID().replace(/-/g, ''),
    action_type: 'STCH',
    action_status: 'CMPL',
    ...extra,
  };
}

/** MPIRActionOutcome, as in ANZ's published schema. */
function mpirOutcome(instruction: string, billerInstruction: string, status: string, minute: number, reason?: string) {
  return {
    creation_date_time: at(minute),
    transaction_status: status,
    ...(reason ? { transaction_status_reason_code: reason } : {}),
    mps_user_id: '10002005',
    instruction_identification: instruction,
    uetr: '06c9a782-ea52-4475-aaa3-653c5a303954',
    original_transaction_reference: {
      original_instruction_identification: billerInstruction,
      instructed_amount: { currency: 'AUD', amount: '103.10' },
      mandate_identification: '247de1c0c3a911edafa10242ac120002',
      creditor_name: 'Looney Tunes Pty Ltd',
    },
  };
}

describe('PayTo webhooks (ANZ Fileactive)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      env: { PAYTO_API_KEY: API_KEY, PAYTO_SIGNING_PUBLIC_KEY: ANZ_PUBLIC_PEM, PAYTO_DECRYPTION_PRIVATE_KEY: pem(ours.privateKey, 'pkcs8'), ANALYST_TOKENS, NOTIFICATION_POLL_MS: '100' },
    });
  });
  afterAll(() => t.close());

  const eventCount = async () => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM payment_events`))[0]!.n;
  const mandate = async (id: string) => (await t.db.query<{ status: string }>(`SELECT status FROM mandates WHERE mandate_id = $1`, [id]))[0]?.status;

  it('answers RCVD with the message id for a signed payload and for a signed-then-encrypted one', async () => {
    const id = mandateId();
    const messageId = randomUUID();
    const signed = await post(t.server, 'mandates/notifications', await sign(notification(id, 'ACTV', 1, { trigger: 'MCRC', action_type: 'CREA' })), { 'x-message-id': messageId });
    expect(signed).toEqual(expect.objectContaining({ status: 200, body: { id: messageId, status: 'RCVD' } }));
    expect(await mandate(id)).toBe('ACTV');

    const encrypted = await post(t.server, 'mandates/notifications', await encrypt(await sign(notification(id, 'SUSD', 2))));
    expect(encrypted.status).toBe(200);
    expect(await mandate(id)).toBe('SUSD');
  });

  // Every row has three elements: with fewer, jest would take the test's third parameter for `done`.
  it.each<[string, () => Promise<string | undefined>, Record<string, string | undefined>]>([
    ['a signature by another key', () => sign(notification(mandateId(), 'ACTV', 1), stranger.privateKey), {}],
    ['alg none', async () => new UnsecuredJWT(notification(mandateId(), 'ACTV', 1)).encode(), {}],
    ['HS256 keyed with the public key', async () => new SignJWT(notification(mandateId(), 'ACTV', 1)).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(ANZ_PUBLIC_PEM)), {}],
    ['an expired token', () => sign(notification(mandateId(), 'ACTV', 1), anz.privateKey, { exp: Math.floor(Date.now() / 1000) - 3_600 }), {}],
    [
      'a tampered payload',
      async () => {
        const [header, , signature] = (await sign(notification(mandateId(), 'ACTV', 1))).split('.');
        const forged = Buffer.from(JSON.stringify(notification(mandateId(), 'CNCD', 9))).toString('base64url');
        return `${header}.${forged}.${signature}`;
      },
      {},
    ],
    ['a JWE for someone else', async () => encrypt(await sign(notification(mandateId(), 'ACTV', 1)), stranger.publicKey), {}],
    ['a JWE with another content encryption', async () => encrypt(await sign(notification(mandateId(), 'ACTV', 1)), ours.publicKey, 'A128GCM'), {}],
    ['no API key', () => sign(notification(mandateId(), 'ACTV', 1)), { apikey: undefined }],
    ['a wrong API key', () => sign(notification(mandateId(), 'ACTV', 1)), { apikey: 'payto-shared-key-0123456789abcdeX' }],
  ])('refuses %s with 401 and records nothing', async (_what, token, headers) => {
    const before = await eventCount();
    const call = await post(t.server, 'mandates/notifications', await token(), headers);
    expect(call.status).toBe(401);
    expect(call.contentType).toContain('application/problem+json');
    expect(await eventCount()).toBe(before);
  });

  it('requires X-Message-Id as a UUID and a secured_payload (400), recording nothing', async () => {
    const before = await eventCount();
    const token = await sign(notification(mandateId(), 'ACTV', 1));
    for (const messageId of [undefined, 'not-a-uuid']) {
      const call = await post(t.server, 'mandates/notifications', token, { 'x-message-id': messageId });
      expect(call.status).toBe(400);
      expect(call.body.errors).toEqual([expect.objectContaining({ field: 'X-Message-Id' })]);
    }
    expect((await post(t.server, 'mandates/notifications', undefined)).status).toBe(400);
    expect(await eventCount()).toBe(before);
  });

  it('keeps a verified payload it cannot read as UNPARSED and answers RCVD', async () => {
    // Verified, but not a MandateNotification.
    const token = await sign({ creation_date_time: at(1), note: randomUUID() });
    const call = await post(t.server, 'mandates/notifications', token);
    expect(call.status).toBe(200);
    expect(call.body).toEqual(expect.objectContaining({ status: 'RCVD' }));
    const [kept] = await t.db.query<{ outcome: string; reason: string; event_type: string }>(
      `SELECT outcome, reason, event_type FROM payment_events WHERE provider = 'payto' AND outcome = 'UNPARSED' ORDER BY received_at DESC LIMIT 1`,
    );
    expect(kept).toEqual({ outcome: 'UNPARSED', reason: expect.stringContaining('action_identification'), event_type: 'mandate.notification' });
  });

  it('keeps a verified payload nested deeper than JSON.stringify can go as UNPARSED, answering RCVD', async () => {
    // Signed as bytes (CompactSign): jose's SignJWT would itself overflow the stack stringifying it.
    const depth = 20_000;
    const text = `{"iat":${Math.floor(Date.now() / 1000)},"creation_date_time":"${at(2)}","deep":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    const token = await new CompactSign(new TextEncoder().encode(text)).setProtectedHeader({ alg: 'RS256', typ: 'JWT' }).sign(anz.privateKey);
    const call = await post(t.server, 'mandates/notifications', token);
    expect([call.status, call.body.status]).toEqual([200, 'RCVD']);
    const [kept] = await t.db.query<{ outcome: string; reason: string }>(
      `SELECT outcome, reason FROM payment_events WHERE provider = 'payto' AND outcome = 'UNPARSED' ORDER BY received_at DESC LIMIT 1`,
    );
    expect(kept).toEqual({ outcome: 'UNPARSED', reason: expect.stringContaining('nested deeper than 32 levels') });
  });

  it('keeps a verified payload whose identifiers no index entry could hold as UNPARSED, answering RCVD', async () => {
    // ANZ's identifiers are at most 35 characters. 2,048 random Cyrillic letters are 4,096 bytes that compression
    // cannot shrink under PostgreSQL's 2,704 for an index entry: the insert failed with 54000, answered 500.
    const random = () => Array.from(randomBytes(2048), (byte) => String.fromCharCode(0x400 + byte)).join('');
    const token = await sign(notification(random(), 'ACTV', 1, { action_identification: random() }));
    const call = await post(t.server, 'mandates/notifications', token);
    expect([call.status, call.body.status]).toEqual([200, 'RCVD']);
    const [kept] = await t.db.query<{ outcome: string; reason: string }>(
      `SELECT outcome, reason FROM payment_events WHERE provider = 'payto' AND outcome = 'UNPARSED' ORDER BY received_at DESC LIMIT 1`,
    );
    expect(kept).toEqual({ outcome: 'UNPARSED', reason: 'action_identification must be at most 200 characters' });
    expect((await post(t.server, 'mandates/notifications', token)).status).toBe(200);
  });

  it('never moves a mandate backwards when notifications arrive out of order, and acts on duplicates once', async () => {
    const id = mandateId();
    const created = notification(id, 'CRTD', 0, { trigger: 'MCRC', action_type: 'CREA', action_status: 'PEND' });
    const activated = notification(id, 'ACTV', 1, { trigger: 'MCRC', action_type: 'CREA' });
    const suspended = notification(id, undefined, 2, { details: { status_change: { change: 'SUSP', reason_code: 'MD16' } } });
    const released = notification(id, undefined, 3, { details: { status_change: { change: 'RELS' } } });
    const cancelled = notification(id, 'CNCD', 4);
    // Delivered: cancelled first, then the rest backwards, each twice, two at once.
    for (const payload of [cancelled, released, suspended, activated, created]) {
      const token = await sign(payload);
      const answers = await Promise.all([post(t.server, 'mandates/notifications', token), post(t.server, 'mandates/notifications', token)]);
      expect(answers.map((a) => a.status)).toEqual([200, 200]);
      expect(await mandate(id)).toBe('CNCD');
    }
    const events = await t.db.query<{ outcome: string }>(`SELECT outcome FROM payment_events WHERE payload->>'mandate_identification' = $1 ORDER BY received_at`, [id]);
    expect(events.map((e) => e.outcome)).toEqual(['APPLIED', 'STALE', 'STALE', 'STALE', 'STALE']);

    // Without a cancellation, the later of ACTV and SUSD wins whatever the arrival order.
    const other = mandateId();
    for (const payload of [notification(other, 'ACTV', 7), notification(other, 'SUSD', 5), notification(other, 'CRTD', 1)]) {
      expect((await post(t.server, 'mandates/notifications', await sign(payload))).status).toBe(200);
    }
    expect(await mandate(other)).toBe('ACTV');
    const outcome = { creation_date_time: at(9), status: 'SUCC', request_id: randomUUID(), mandate_identification: other, mandate_status: 'SUSD', action_type: 'STCH', action_status: 'CMPL' };
    expect((await post(t.server, 'mandates/outcomes', await sign(outcome))).status).toBe(200);
    expect((await post(t.server, 'mandates/outcomes', await sign(outcome))).status).toBe(200);
    expect(await mandate(other)).toBe('SUSD');
    expect(await t.db.query(`SELECT 1 FROM payment_events WHERE dedupe_key = $1`, [`mandate.outcome:${outcome.request_id}`])).toHaveLength(1);
  });

  it('moves a payment initiation PDNG → ACSP → ACSC, never back, and links it to the transaction', async () => {
    const transactionId = randomUUID();
    expect((await postValidate(t.server, { transactionId, amount: '103.10', currency: 'AUD' })).status).toBe(200);
    const instruction = `ANZBAU3LXXXI${Date.now()}`;
    for (const [status, minute] of [['ACSC', 3], ['PDNG', 1], ['ACSP', 2], ['ACSC', 3]] as const) {
      expect((await post(t.server, 'mpirs/outcomes', await sign(mpirOutcome(instruction, transactionId, status, minute)))).status).toBe(200);
    }
    const detail = await analystCall(t.server, 'GET', `/transactions/${transactionId}`, { token: ANALYSTS.alice });
    expect(detail.body.payments).toEqual([expect.objectContaining({ provider: 'payto', paymentKey: `mpir:${instruction}`, progress: 'SETTLED', providerStatus: 'ACSC' })]);
    expect(detail.body.paymentEvents.map((e: { state: string; outcome: string; amount: string }) => [e.state, e.outcome, e.amount])).toEqual([
      ['ACSC', 'APPLIED', '103.1'],
      ['PDNG', 'STALE', '103.1'],
      ['ACSP', 'STALE', '103.1'],
    ]);

    const rejected = `ANZBAU3LXXXI${Date.now()}R`;
    await post(t.server, 'mpirs/outcomes', await sign(mpirOutcome(rejected, transactionId, 'RJCT', 2, 'AM04')));
    await post(t.server, 'mpirs/outcomes', await sign(mpirOutcome(rejected, transactionId, 'ACSP', 1)));
    const [payment] = await t.db.query<{ progress: string; provider_status: string }>(`SELECT progress, provider_status FROM payments WHERE payment_key = $1`, [`mpir:${rejected}`]);
    expect(payment).toEqual({ progress: 'FAILED', provider_status: 'RJCT' });
  });

  it('records a payer query and surfaces it in the review queue as an inbound alert, once per case', async () => {
    const caseId = `ANZAU${Date.now()}`.slice(0, 20);
    const query = (reminder: string) => ({
      creation_date_time: at(5),
      case_id: caseId,
      investigation_type_code: 'INV14',
      case_type: 'Mandate Query Payments',
      reminder_count: reminder,
      re_open_case_indication: false,
      narrative: '/MandateID/20a73840a79c11eda83b9b809f5abcbe//Reason/Payer does not recognise/',
      payment_details: {
        transaction_identification: 'CUSCAU2SXXXN20230403000139150001900',
        instruction_identification: 'ANZBAU3LXXXI20230621900000000011200',
        transaction_date: '2026-11-01',
        original_transaction_amount: { currency: 'AUD', amount: '562.89' },
      },
      mandate_details: {
        mps_user_id: '10002005',
        mandate_identification: '20a73840a79c11eda83b9b809f5abcbe',
        establishment_scheme: 'AUPM',
        mandate_purpose_code: 'RETL',
        description: 'Car purchase',
        debtor_information: { party_name: 'Barney Rubble', account_identification_type_code: 'BBAN', account_identification: '013010XXXXX8937' },
        payment_information: { payment_frequency: 'MNTH', payment_amount_type: 'VARI', maximum_amount: { currency: 'AUD', amount: '1000.00' } },
      },
    });
    expect((await post(t.server, 'queries', await sign(query('0')))).status).toBe(200);
    expect((await post(t.server, 'queries', await sign(query('0')))).status).toBe(200);
    expect((await post(t.server, 'queries', await sign(query('1')))).status).toBe(200);

    const alertId = `payto-query:${caseId}`;
    const rows = await readUntil(() => t.db.query<{ state: string; direction: string; amount: string }>(`SELECT state, direction, amount::text AS amount FROM transactions WHERE id = $1`, [alertId]), (r) => r[0]?.state === 'PENDING_EXTERNAL_APPROVAL');
    expect(rows).toEqual([{ state: 'PENDING_EXTERNAL_APPROVAL', direction: 'INBOUND', amount: '562.89' }]);
    const queue = await analystCall(t.server, 'GET', '/transactions?direction=INBOUND&limit=200', { token: ANALYSTS.alice });
    const item = queue.body.items.find((i: { transactionId: string }) => i.transactionId === alertId);
    expect(item.reasons[0]).toContain(`PayTo query ${caseId}`);
    const detail = await analystCall(t.server, 'GET', `/transactions/${encodeURIComponent(alertId)}`, { token: ANALYSTS.alice });
    expect(detail.body.paymentEvents.map((e: { state: string }) => e.state)).toEqual(['OPEN', 'REMINDER 1']);
    expect(detail.body.decisions).toHaveLength(1);

    // No money moved with the query: reconciliation leaves its alert out of rows and totals.
    await t.db.query(`UPDATE transactions SET received_at = '2026-02-10T12:00:00Z' WHERE id = $1`, [alertId]);
    const report = await analystCall(t.server, 'GET', '/reconciliation?from=2026-02-10&to=2026-02-11', { token: ANALYSTS.alice });
    expect(report.body).toMatchObject({ items: [], totals: [] });
  });

  it("opens the alert for a payer's query whose narrative holds a NUL, read with U+FFFD in its place", async () => {
    const caseId = `ANZNUL${Date.now()}`.slice(0, 20);
    const payload = {
      creation_date_time: at(6),
      case_id: caseId,
      case_type: 'Payment Query',
      narrative: 'I never\u0000 authorised this',
      payment_details: { instruction_identification: 'ANZBAU3LXXXI20230621900000000011201', original_transaction_amount: { currency: 'AUD', amount: '99.10' } },
    };
    expect((await post(t.server, 'queries', await sign(payload))).status).toBe(200);
    const alertId = `payto-query:${caseId}`;
    const rows = await readUntil(() => t.db.query<{ state: string; amount: string }>(`SELECT state, amount::text AS amount FROM transactions WHERE id = $1`, [alertId]), (r) => r[0]?.state === 'PENDING_EXTERNAL_APPROVAL');
    expect(rows).toEqual([{ state: 'PENDING_EXTERNAL_APPROVAL', amount: '99.1' }]);
    const [event] = await t.db.query<{ outcome: string; narrative: string }>(`SELECT outcome, payload ->> 'narrative' AS narrative FROM payment_events WHERE transaction_id = $1`, [alertId]);
    expect(event).toEqual({ outcome: expect.not.stringMatching(/UNPARSED/), narrative: 'I never\ufffd authorised this' });
  });

  it('is absent unless PAYTO_API_KEY is set', async () => {
    const off = await startTestApp();
    try {
      const response = await httpCall(off.server, 'POST', '/webhooks/payto/queries', { headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(response.status).toBe(404);
    } finally {
      await off.close();
    }
  });
});
