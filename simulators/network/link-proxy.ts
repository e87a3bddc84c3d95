/**
 * A device's network link as a TCP proxy between its agent and the broker, which a scenario can
 * cut (`down()`: live sockets destroyed, new connections refused) and restore (`up()`). Bytes pass
 * through untouched, so MQTT over TLS works too. Used only for devices a network-loss fault names.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { EdgehiveError } from '../../shared/errors/index.ts';

export interface LinkStats { connections: number; refused: number; cuts: number; bytesUp: number; bytesDown: number }

export class LinkProxy {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #upstream: { host: string; port: number; scheme: string };
  #down = false;
  #port = 0;
  readonly stats: LinkStats = { connections: 0, refused: 0, cuts: 0, bytesUp: 0, bytesDown: 0 };

  constructor(upstreamUrl: string, private readonly host = '127.0.0.1') {
    const u = new URL(upstreamUrl);
    const defaultPort = u.protocol === 'mqtts:' || u.protocol === 'tls:' ? 8883 : 1883;
    this.#upstream = { host: u.hostname, port: u.port ? Number(u.port) : defaultPort, scheme: u.protocol };
    this.#server = createServer((client) => this.#accept(client));
  }

  /** The URL the agent should use instead of the broker's. */
  get url(): string {
    if (this.#port === 0) throw new EdgehiveError('EH_STATE', 'link proxy is not listening yet; call listen() first');
    return `${this.#upstream.scheme}//${this.host}:${this.#port}`;
  }

  get isDown(): boolean { return this.#down; }

  async listen(port = 0): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, this.host, () => { this.#server.off('error', reject); resolve(); });
    });
    const addr = this.#server.address();
    this.#port = typeof addr === 'object' && addr ? addr.port : 0;
    return this.url;
  }

  /** Cuts the link: every live connection is destroyed and new ones are refused until up(). */
  down(): void {
    this.#down = true;
    this.stats.cuts++;
    for (const s of this.#sockets) s.destroy();
    this.#sockets.clear();
  }

  up(): void {
    this.#down = false;
  }

  #accept(client: Socket): void {
    if (this.#down) {
      this.stats.refused++;
      client.destroy();
      return;
    }
    this.stats.connections++;
    const upstream = connect(this.#upstream.port, this.#upstream.host);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    this.#sockets.add(client);
    this.#sockets.add(upstream);
    const closeBoth = () => {
      client.destroy();
      upstream.destroy();
      this.#sockets.delete(client);
      this.#sockets.delete(upstream);
    };
    client.on('data', (b) => { this.stats.bytesUp += b.length; });
    upstream.on('data', (b) => { this.stats.bytesDown += b.length; });
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('error', closeBoth).on('close', closeBoth);
    upstream.on('error', closeBoth).on('close', closeBoth);
  }

  async close(): Promise<void> {
    this.down();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
