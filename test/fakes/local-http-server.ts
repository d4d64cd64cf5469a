// A loopback HTTP server for fakes that can be stopped (connections refused) and started again on the same port.
import { createServer, RequestListener, Server } from 'node:http';
import { AddressInfo, Socket } from 'node:net';

export class LocalHttpServer {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly delays = new Set<() => void>();
  private listeningPort = 0;

  constructor(
    private readonly listener: RequestListener,
    private readonly options: { readonly keepAliveTimeoutMs?: number } = {},
  ) {}

  get port(): number {
    return this.listeningPort;
  }

  /** Listens (again, on the same port when restarted). */
  async start(): Promise<void> {
    this.server = createServer(this.listener);
    if (this.options.keepAliveTimeoutMs !== undefined) this.server.keepAliveTimeout = this.options.keepAliveTimeoutMs;
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(this.listeningPort, '127.0.0.1', resolve));
    this.listeningPort = (this.server.address() as AddressInfo).port;
  }

  /**
   * Stops listening and drops every open connection: connections are then refused until `start()`.
   * Delays still running (see delay()) end at once.
   */
  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
    for (const end of [...this.delays]) end();
  }

  /**
   * Waits `ms` before an answer, or until stop(): a delay left running kept its timer, and so the
   * jest worker, alive after the suite (jest then force-exits the worker).
   */
  delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const end = () => {
        clearTimeout(timer);
        this.delays.delete(end);
        resolve();
      };
      const timer = setTimeout(end, ms);
      this.delays.add(end);
    });
  }
}
