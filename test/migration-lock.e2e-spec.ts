// A replica that starts while another applies the migrations waits for it, and says so as it waits.
import { Client } from 'pg';
import { MIGRATION_LOCK } from '../src/adapters/persistence/migration-runner';
import { createMigratedTestDatabase, TestDatabase } from './support/database';
import { ServiceProcess, startService } from './support/service-process';
import { eventually } from './support/waiting';

describe('a start waiting for the migration lock', () => {
  let db: TestDatabase;
  let holder: Client;
  let starting: Promise<ServiceProcess> | undefined;

  beforeAll(async () => {
    db = await createMigratedTestDatabase();
    holder = new Client({ connectionString: db.url });
    await holder.connect();
  });
  afterAll(async () => {
    await holder.end(); // frees the lock, if a failed test left it held, so that the start ends and can be stopped
    await (await starting?.catch(() => undefined))?.kill();
    await db.drop();
  });

  it('logs the wait at once, in JSON, while it waits, and starts once the lock is free', async () => {
    await holder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]); // another replica, applying the migrations
    let output = '';
    starting = startService({ DATABASE_URL: db.url, TOQIO_API_KEY: 'migration-lock-key-0123456789', NODE_ENV: 'development' }, 30_000, (text) => (output = text));

    // Before the fix, the start's lines were held until it was over: nothing while it waited.
    await eventually('the waiting line', async () => output.includes('another replica is applying the migrations'), 15_000);
    const line = output.split('\n').find((text) => text.includes('another replica is applying the migrations'))!;
    expect(JSON.parse(line)).toEqual(expect.objectContaining({ context: 'MigrationRunner', msg: 'another replica is applying the migrations: waiting for it (0 s so far)' }));
    expect(output).not.toMatch(/listening on/);

    await holder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    const service = await starting;
    expect((await fetch(`${service.baseUrl}/health/ready`)).status).toBe(200);
  });
});
