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
    try {
      await next.connect();
      await next.query(`LISTEN ${channel}`);
    } catch (error) {
      void next.end().catch(() => undefined);
      throw error;
    }
    listening = true;
    client = next;
  };

  const reopen = () => {
    if (stopped) return;
    open().then(
      () => listener(),
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
    await client?.end().catch(() => undefined);
  };
}
