/**
 * One socket listener (TCP or TLS) feeding connections to the broker. It remembers its port, so
 * a restart listens where it did before, and tracks its sockets, so stopping can drop them all.
 */
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';

export interface TlsMaterial { cert: Buffer; key: Buffer }

export class Listener {
  readonly #make: () => Server;
  readonly #host: string;
  #port: number;
  #server: Server | null = null;
  readonly #sockets = new Set<Socket>();
  /** Bytes written to sockets that have closed (live ones are summed on demand). */
  #closedBytesWritten = 0;

  constructor(
    handle: (socket: Socket) => void,
    host: string,
    port: number,
    tls?: TlsMaterial,
  ) {
    this.#host = host;
    this.#port = port;
    const onConnection = (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => {
        this.#sockets.delete(socket);
        this.#closedBytesWritten += socket.bytesWritten;
      });
      socket.setNoDelay(true);
      handle(socket);
    };
    this.#make = tls
      ? () => createTlsServer({ cert: tls.cert, key: tls.key }, onConnection)
      : () => createNetServer(onConnection);
  }

  get port(): number {
    return this.#port;
  }

  /** Bytes this listener's connections have written, closed ones included (bench:fanout compares it with devices × bundle size). */
  get bytesWritten(): number {
    let n = this.#closedBytesWritten;
    for (const s of this.#sockets) n += s.bytesWritten;
    return n;
  }

  get listening(): boolean {
    return this.#server?.listening ?? false;
  }

  /** Listens; with port 0 the first time, keeps the port it got for later restarts. */
  async listen(): Promise<number> {
    const server = this.#make();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#port, this.#host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const addr = server.address();
    if (addr && typeof addr === 'object') this.#port = addr.port;
    this.#server = server;
    return this.#port;
  }

  /** Stops accepting and destroys every open connection. */
  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of this.#sockets) s.destroy();
    this.#sockets.clear();
    await closed;
  }
}
