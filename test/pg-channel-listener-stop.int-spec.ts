// listenOnChannel's stop() while a reopen is still connecting: no connection may be left listening after it resolves.
import { createConnection, createServer, Socket } from 'node:net';
import { Client } from 'pg';
import { listenOnChannel } from '../src/adapters/persistence/pg-channel-listener';
import { createTestDatabase, TestDatabase } from './support/database';

describe('listenOnChannel stop during a reopen', () => {
  let db: TestDatabase;
  afterAll(async () => db?.drop().catch(() => undefined));

  it('leaves no connection listening once stop() has resolved', async () => {
    db = await createTestDatabase();
    const target = new URL(db.url);
    let delayMs = 0;
    const sockets = new Set<Socket>();
    // A relay that, once delayMs is set, holds each new connection that long before relaying it.
    const server = createServer((inbound) => {
      inbound.pause();
      setTimeout(() => {
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
      await new Promise((resolve) => setTimeout(resolve, 100)); // the reopen is now waiting on the relay
      await stop();
      // A listener left behind keeps its backend for good; a closing one is gone within moments.
      let listening = -1;
      for (const until = Date.now() + 5_000; listening !== 0 && Date.now() < until; ) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        listening = (await admin.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'stop-race-test'`)).rows[0].n;
      }
      expect(listening).toBe(0);
    } finally {
      await admin.end();
      for (const s of sockets) s.destroy();
      server.close();
    }
  });
});
