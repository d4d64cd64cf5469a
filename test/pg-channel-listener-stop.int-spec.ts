// listenOnChannel's stop() while a reopen is still connecting: no connection may be left listening after it resolves.
import { createConnection, createServer, Socket } from 'node:net';
import { Client } from 'pg';
import { listenOnChannel } from '../src/adapters/persistence/pg-channel-listener';
import { createTestDatabase, TestDatabase } from './support/database';
import { eventually } from './support/waiting';

describe('listenOnChannel stop during a reopen', () => {
  let db: TestDatabase;
  afterAll(async () => db?.drop().catch(() => undefined));

  it('leaves no connection listening once stop() has resolved', async () => {
    db = await createTestDatabase();
    const target = new URL(db.url);
    let delayMs = 0;
    const sockets = new Set<Socket>();
    /** Connections the relay holds right now, not yet relayed. */
    let held = 0;
    // A relay that, once delayMs is set, holds each new connection that long before relaying it.
    const server = createServer((inbound) => {
      inbound.pause();
      held += 1;
      setTimeout(() => {
        held -= 1;
        if (inbound.destroyed) return;
        const outbound = createConnection(Number(target.port || 5432), target.hostname);
        for (const s of [inbound, outbound]) { sockets.add(s); s.on('error', () => undefined); s.on('close', () => sockets.delete(s)); }
        inbound.pipe(outbound).pipe(inbound);
        inbound.resume();
      }, delayMs);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = new URL(db.url);
    url.host = `127.0.0.1:${(server.address() as { port: number }).port}`;
    const heard: number[] = [];
    const stop = await listenOnChannel({ connectionString: url.toString() }, 'stop_test', () => heard.push(1), { applicationName: 'stop-race-test', retryMs: 10 });
    const admin = new Client({ connectionString: db.url });
    await admin.connect();
    try {
      delayMs = 300;
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'stop-race-test'`);
      await eventually('the reopen held by the relay', async () => held > 0, 5_000, 5);
      expect(held).toBe(1);
      await stop();
      // A listener left behind keeps its own connection open for good.
      await eventually('every held connection let through and closed', async () => held === 0 && sockets.size === 0, 5_000, 20);
      const { rows } = await admin.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'stop-race-test'`);
      expect(rows[0].n).toBe(0);
    } finally {
      await admin.end();
      for (const s of sockets) s.destroy();
      server.close();
    }
  });
});
