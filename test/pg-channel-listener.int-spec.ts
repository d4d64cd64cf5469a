// listenOnChannel against a real PostgreSQL behind a counting TCP relay: a lost database is retried by one
// chain of attempts, never a chain that doubles with each failure (which once opened 16,000 sockets in two
// minutes and took the server's connection slots from everyone else).
import { createConnection, createServer, Server, Socket } from 'node:net';
import { Client } from 'pg';
import { listenOnChannel } from '../src/adapters/persistence/pg-channel-listener';
import { createTestDatabase, TestDatabase } from './support/database';
import { eventually } from './support/waiting';

/** Relays 127.0.0.1:<port> to the database server, counting the connections it is asked for. */
async function countingRelay(target: URL): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let connections = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((inbound) => {
    connections += 1;
    const outbound = createConnection(Number(target.port || 5432), target.hostname);
    for (const socket of [inbound, outbound]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    }
    inbound.pipe(outbound).pipe(inbound);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    connections: () => connections,
    close: () => new Promise((resolve) => { for (const socket of sockets) socket.destroy(); server.close(() => resolve()); }),
  };
}

describe('listenOnChannel', () => {
  let db: TestDatabase;
  afterEach(async () => db?.drop().catch(() => undefined));

  it('hears notifications, and after its database is gone retries once per interval, not in a growing storm', async () => {
    db = await createTestDatabase();
    const relay = await countingRelay(new URL(db.url));
    const url = new URL(db.url);
    url.host = `127.0.0.1:${relay.port}`;
    const heard: number[] = [];
    const stop = await listenOnChannel({ connectionString: url.toString() }, 'listener_test', () => heard.push(Date.now()), { applicationName: 'listener-test', retryMs: 50 });
    try {
      const notifier = new Client({ connectionString: db.url });
      await notifier.connect();
      await notifier.query(`NOTIFY listener_test`);
      await notifier.end();
      await eventually('the notification heard', async () => heard.length > 0, 5_000, 20);

      await db.drop(); // terminates the listener's backend; every reconnection now fails (3D000)
      const before = relay.connections();
      const started = Date.now();
      // It keeps trying (however slow each refusal is on a loaded machine)...
      await eventually('more than 3 reconnection attempts', async () => relay.connections() - before > 3, 15_000, 20);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1_500 - (Date.now() - started))));
      const attempts = relay.connections() - before;
      // ...in one chain: at 50 ms apart, about 30 attempts in 1.5 s (each also waits for the refusal); a doubling chain makes thousands.
      expect(attempts).toBeLessThan((2 * (Date.now() - started)) / 50);
    } finally {
      await stop();
      await relay.close();
    }
  });
});
