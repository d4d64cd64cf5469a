// A LISTEN on its own connection that comes back by itself after the connection is lost, so that replicas keep hearing of changes.
import { Client, PoolConfig } from 'pg';

export interface ChannelListenerOptions {
  /** Shown in pg_stat_activity. */
  readonly applicationName: string;
  /** Wait before reconnecting after a lost connection. */
  readonly retryMs?: number;
}

/**
 * Listens on `channel` (an identifier of ours, never user input). The first connection must
 * succeed (the promise rejects otherwise); after that a lost connection is reopened every
 * `retryMs` until it is back, and `listener` is called once it is, for what was missed meanwhile.
 */
export async function listenOnChannel(connection: PoolConfig, channel: string, listener: () => void, options: ChannelListenerOptions): Promise<() => Promise<void>> {
  let stopped = false;
  let client: Client | undefined;
  let retry: NodeJS.Timeout | undefined;

  const open = async (): Promise<void> => {
    const next = new Client({ ...connection, application_name: options.applicationName } as PoolConfig);
    let listening = false;
    let lost = false;
    // Only a connection that was listening schedules a reopen: a failed attempt is retried by its
    // caller alone. Both used to, so every failure started a second chain of attempts, and an
    // unreachable database grew them without bound (16,000 sockets in two minutes).
    const onLost = () => {
      if (!listening || lost || stopped) return;
      lost = true;
      void next.end().catch(() => undefined);
      retry = setTimeout(reopen, options.retryMs ?? 1000);
      retry.unref();
    };
    next.on('error', onLost);
    next.on('end', onLost);
    next.on('notification', () => listener());
    await connectListening(next, channel);
    if (stopped) {
      // stop() was called while this reopen was connecting: it must not outlive it.
      await next.end().catch(() => undefined);
      return;
    }
    listening = true;
    client = next;
  };

  let opening: Promise<void> | undefined;
  const reopen = () => {
    if (stopped) return;
    opening = open();
    opening.then(
      () => {
        if (!stopped) listener();
      },
      () => {
        retry = setTimeout(reopen, options.retryMs ?? 1000);
        retry.unref();
      },
    );
  };

  await open();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    await opening?.catch(() => undefined);
    await client?.end().catch(() => undefined);
  };
}

/** Connects `client` and LISTENs on `channel`; on failure the half-open client is ended and the error rethrown. */
async function connectListening(client: Client, channel: string): Promise<void> {
  try {
    await client.connect();
    await client.query(`LISTEN ${channel}`);
  } catch (error) {
    void client.end().catch(() => undefined);
    throw error;
  }
}
