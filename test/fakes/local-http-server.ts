// A loopback HTTP server for fakes that can be stopped (connections refused) and started again on the same port.
import { createServer, RequestListener, Server } from 'node:http';
import { AddressInfo, Socket } from 'node:net';

export class LocalHttpServer {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
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

  /** Stops listening and drops every open connection: connections are then refused until `start()`. */
  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }
}
