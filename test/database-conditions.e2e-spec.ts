// Validate when PostgreSQL cannot serve: a 503 with Retry-After by the deadline, readiness 503 meanwhile, recovery without a restart.
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createTestDatabase, TestDatabase } from './support/database';
import { httpCall } from './support/http';
import { MAIN_POOL_LOCK_TIMEOUT_MS } from '../src/adapters/persistence/persistence.module';
import { ANALYST_TOKENS, ANALYSTS } from './support/analyst-api';
import { API_KEY, startTestApp, TestApp } from './support/test-app';
import { eventually } from './support/waiting';

const DEADLINE_MS = 1_000;
/** Generous on a shared machine: the deadline, plus a second. */
const ANSWERED_WITHIN_MS = DEADLINE_MS + 1_000;

interface Answer {
  readonly status: number;
  readonly retryAfter: string | null;
  readonly contentType: string;
  readonly body: Record<string, unknown>;
  readonly ms: number;
}

/** Over a real socket: the time to the answer is what these tests bound. */
async function validate(t: TestApp, transactionId: string): Promise<Answer> {
  const started = Date.now();
  const call = await httpCall(t.baseUrl, 'POST', '/transaction/validate', {
    headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
    body: JSON.stringify({ transactionId, amount: '42.00', currency: 'EUR', sourceAccountId: 'acc-db', beneficiary: { name: 'Ada', country: 'GB' } }),
  });
  return { status: call.status, retryAfter: call.headers.get('retry-after'), contentType: call.contentType, body: call.body, ms: Date.now() - started };
}

const readiness = async (t: TestApp) => (await httpCall(t.baseUrl, 'GET', '/health/ready')).status;

/**
 * A 503 readiness answer is terminus's report, naming what is down (not a bare problem document),
 * and nothing of the database's own error text: it names hosts and users, and readiness answers
 * whoever reaches its port.
 */
async function downChecks(t: TestApp): Promise<{ status: number; down: string[] }> {
  const call = await httpCall(t.baseUrl, 'GET', '/health/ready');
  const details = (call.body.details ?? {}) as Record<string, { status?: string; message?: string }>;
  for (const check of Object.values(details)) {
    if (check.status === 'down') expect(check.message).toMatch(/the reason is in the service's log$/);
  }
  return { status: call.status, down: Object.keys(details).filter((check) => details[check]!.status === 'down') };
}

/** What every answer given while the database cannot serve looks like. */
function expectUnavailable(answers: readonly Answer[]): void {
  for (const answer of answers) {
    expect({ status: answer.status, problem: answer.contentType.startsWith('application/problem+json'), retryAfter: Number(answer.retryAfter) > 0 }).toEqual({
      status: 503,
      problem: true,
      retryAfter: true,
    });
    expect(answer.ms).toBeLessThan(ANSWERED_WITHIN_MS);
  }
}

/** After the condition clears, same process: new transactions are answered, and so is a replay of one refused meanwhile, consistently. */
async function expectRecovery(t: TestApp, db: Client, refusedId: string): Promise<void> {
  await eventually('validate answers 200 again', async () => (await validate(t, `recovered-${randomBytes(4).toString('hex')}`)).status === 200, 20_000, 200);
  const replay = await validate(t, refusedId);
  expect(replay.status).toBe(200);
  expect((await validate(t, refusedId)).body.status).toBe(replay.body.status);
  await eventually('readiness answers 200 again', async () => (await readiness(t)) === 200, 10_000, 200);
  const { rows } = await db.query(`SELECT count(*)::int AS screening FROM transactions WHERE state = 'SCREENING'`);
  expect(rows[0].screening).toBe(0);
}

async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url });
  client.on('error', () => undefined); // a terminated session surfaces through its next query
  await client.connect();
  return client;
}

const adminUrl = () => process.env.TEST_ADMIN_DATABASE_URL!;
const databaseName = (db: TestDatabase) => new URL(db.url).pathname.slice(1);

describe('validate when the database cannot serve', () => {
  const env = { VALIDATE_DEADLINE_MS: String(DEADLINE_MS), DECISION_TIMEOUT_MS: '300' };

  describe('on the suite database', () => {
    let t: TestApp;
    let admin: Client;
    let suite: Client;

    beforeAll(async () => {
      // A small pool (2 connections for validate), so that slow statements take all of it.
      t = await startTestApp({ env: { ...env, DATABASE_POOL_SIZE: '4' } });
      admin = await connect(adminUrl());
      suite = await connect(t.db.url);
    });
    afterAll(async () => {
      await admin?.query(`ALTER DATABASE ${databaseName(t.db)} WITH ALLOW_CONNECTIONS true`).catch(() => undefined);
      await suite?.end().catch(() => undefined);
      await admin?.end();
      await t?.close();
    });

    it('answers 503 by the deadline while a lock on transactions is held past it, then recovers', async () => {
      const locker = await connect(t.db.url);
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE transactions IN ACCESS EXCLUSIVE MODE');
      const during = await Promise.all([1, 2, 3].map((n) => validate(t, `locked-${n}`)));
      const ready = await downChecks(t);
      await locker.query('COMMIT');
      await locker.end();

      expectUnavailable(during);
      expect(ready.status).toBe(503);
      expect(ready.down.length).toBeGreaterThan(0);
      await expectRecovery(t, suite, 'locked-1');
    });

    it('answers 503 while the database refuses connections and its backends are terminated, then recovers', async () => {
      const name = databaseName(t.db);
      await validate(t, 'warm-before-refusal');
      // The suite's own TestDatabase session is spared: it has nobody listening for its termination.
      const [spared] = await t.db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await admin.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`);
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> $2`, [name, spared!.pid]);
      const during = [await validate(t, 'refused-1'), await validate(t, 'refused-2')];
      const ready = await downChecks(t);
      await admin.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS true`);

      expectUnavailable(during);
      expect(ready).toEqual({ status: 503, down: expect.arrayContaining(['database']) });
      await suite.end().catch(() => undefined);
      suite = await connect(t.db.url);
      await expectRecovery(t, suite, 'refused-1');
    });

    it('answers 503 while its sessions reach a read-only server (a demoted primary after a failover), then recovers', async () => {
      const name = databaseName(t.db);
      await validate(t, 'warm-before-read-only');
      // As after a failover: every session the service opens from now on is read-only, and those it had are gone.
      const [spared] = await t.db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await admin.query(`ALTER DATABASE ${name} SET default_transaction_read_only = on`);
      try {
        await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> $2`, [name, spared!.pid]);
        const during = [await validate(t, 'read-only-1'), await validate(t, 'read-only-2')];
        const ready = await readiness(t);
        expectUnavailable(during);
        expect(ready).toBe(503);
      } finally {
        await admin.query(`ALTER DATABASE ${name} RESET default_transaction_read_only`);
      }
      // Each statement that failed closed its session; the next ones are opened writable.
      await suite.end().catch(() => undefined);
      suite = await connect(t.db.url);
      await expectRecovery(t, suite, 'read-only-1');
    });

    it('answers 503 when every validate statement is slow and the small pool is taken, then recovers', async () => {
      await suite.query(`CREATE FUNCTION slow_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(5); RETURN NEW; END $$`);
      await suite.query(`CREATE TRIGGER slow_insert BEFORE INSERT ON transactions FOR EACH ROW EXECUTE FUNCTION slow_insert()`);
      const during = await Promise.all(Array.from({ length: 12 }, (_, n) => validate(t, `slow-${n}`)));
      const ready = await readiness(t);
      await suite.query('DROP TRIGGER slow_insert ON transactions');
      await suite.query('DROP FUNCTION slow_insert()');

      expectUnavailable(during);
      expect(ready).toBe(503);
      await expectRecovery(t, suite, 'slow-0');
    });
  });

  describe("with the service's credential rotated away", () => {
    const role = `tm_rotated_${randomBytes(4).toString('hex')}`;
    const password = randomBytes(12).toString('hex');
    let db: TestDatabase;
    let admin: Client;
    let t: TestApp;

    beforeAll(async () => {
      db = await createTestDatabase();
      admin = await connect(adminUrl());
      await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
      await admin.query(`GRANT ALL ON DATABASE ${databaseName(db)} TO ${role}`);
      await db.query(`GRANT ALL ON SCHEMA public TO ${role}`);
      const url = new URL(db.url);
      url.username = role;
      url.password = password;
      t = await startTestApp({ db: { ...db, url: url.toString() }, env });
    });
    afterAll(async () => {
      await t?.close();
      await db?.drop();
      await admin?.query(`DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
      await admin?.end();
    });

    it('answers 503 while its password is rotated and its sessions ended, then recovers once it is back', async () => {
      expect((await validate(t, 'before-rotation')).status).toBe(200);
      // NOLOGIN as well as the new password: a server that trusts loopback ignores passwords.
      await admin.query(`ALTER ROLE ${role} NOLOGIN PASSWORD '${randomBytes(12).toString('hex')}'`);
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1`, [role]);
      const during = [await validate(t, 'rotated-1'), await validate(t, 'rotated-2')];
      const ready = await downChecks(t);
      await admin.query(`ALTER ROLE ${role} LOGIN PASSWORD '${password}'`);

      expectUnavailable(during);
      expect(ready).toEqual({ status: 503, down: expect.arrayContaining(['database']) });
      const suite = await connect(db.url);
      try {
        await expectRecovery(t, suite, 'rotated-1');
      } finally {
        await suite.end();
      }
    });
  });
});

describe('the analyst API when a lock is held', () => {
  let t: TestApp;

  // The default pool: connections to spare, so that a request gets one and waits on the lock itself.
  beforeAll(async () => {
    t = await startTestApp({ env: { ANALYST_TOKENS } });
  });
  afterAll(() => t?.close());

    it("answers the analyst API 503 once the main pool's lock timeout passes, not when the lock is released, then recovers", async () => {
      const transactionId = `held-by-lock-${randomBytes(4).toString('hex')}`;
      expect((await validate(t, transactionId)).status).toBe(200);
      const read = async (path: string) => {
        const started = Date.now();
        const call = await httpCall(t.baseUrl, 'GET', path, { headers: { authorization: `Bearer ${ANALYSTS.alice}` } });
        return { status: call.status, retryAfter: call.headers.get('retry-after'), contentType: call.contentType, body: call.body, ms: Date.now() - started };
      };
      const locker = await connect(t.db.url);
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE transactions IN ACCESS EXCLUSIVE MODE');
      // Held well past the lock timeout: an answer that waited for the lock would come after 12 s.
      const release = setTimeout(() => void locker.query('COMMIT').then(() => locker.end()), 12_000);
      try {
        const during = await Promise.all([read(`/transactions/${transactionId}`), read('/transactions?limit=5')]);
        for (const answer of during) {
          expect({ status: answer.status, problem: answer.contentType.startsWith('application/problem+json'), retryAfter: Number(answer.retryAfter) > 0 }).toEqual({ status: 503, problem: true, retryAfter: true });
          expect(answer.ms).toBeLessThan(MAIN_POOL_LOCK_TIMEOUT_MS + 2_000);
        }
      } finally {
        clearTimeout(release);
        await locker.query('COMMIT').catch(() => undefined);
        await locker.end().catch(() => undefined);
      }
      expect((await read(`/transactions/${transactionId}`)).status).toBe(200);
    });

});
