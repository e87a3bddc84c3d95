/**
 * The embedded MQTT broker: aedes (MQTT 3.1.1) behind a TCP listener, plus a TLS one when given
 * a certificate and key. The hub's ingest attaches to `aedes` in-process; devices connect over
 * the sockets. `restart` simulates a broker outage: every connection drops (wills fire), nothing
 * listens for `downMs`, then it listens again on the same ports.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Aedes, type AedesOptions } from 'aedes';
import type { Logger } from '../../shared/log/logger.ts';
import { Listener, type TlsMaterial } from './listener.ts';

export interface EmbeddedBrokerOptions {
  host: string;
  port: number;
  tls?: TlsMaterial & { port: number };
  hooks: Pick<AedesOptions, 'authenticate' | 'authorizePublish' | 'authorizeSubscribe'>;
  logger: Logger;
}

export class EmbeddedBroker {
  readonly aedes: Aedes;
  readonly #tcp: Listener;
  readonly #tls: Listener | null;
  readonly #logger: Logger;
  readonly #stop = new AbortController();
  #closed = false;

  private constructor(aedes: Aedes, opts: EmbeddedBrokerOptions) {
    this.aedes = aedes;
    this.#logger = opts.logger;
    const handle = aedes.handle;
    this.#tcp = new Listener(handle, opts.host, opts.port);
    this.#tls = opts.tls ? new Listener(handle, opts.host, opts.tls.port, opts.tls) : null;
  }

  static async start(opts: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
    const aedes = await Aedes.createBroker({ ...opts.hooks, concurrency: 1000, drainTimeout: 30_000, maxClientsIdLength: 64 });
    const broker = new EmbeddedBroker(aedes, opts);
    aedes.on('clientError', (client, err) => opts.logger.debug({ clientId: client.id, err: err.message }, 'MQTT client error'));
    aedes.on('connectionError', (_client, err) => opts.logger.debug({ err: err.message }, 'MQTT connection error'));
    try {
      await broker.#listen();
    } catch (e) {
      await broker.close();
      throw e;
    }
    return broker;
  }

  async #listen(): Promise<void> {
    await this.#tcp.listen();
    await this.#tls?.listen();
  }

  get port(): number {
    return this.#tcp.port;
  }

  get tlsPort(): number | null {
    return this.#tls?.port ?? null;
  }

  get healthy(): boolean {
    return !this.#closed && !this.aedes.closed && this.#tcp.listening && (this.#tls?.listening ?? true);
  }

  /** Bytes sent to MQTT clients over TCP and TLS since the broker started. */
  get bytesSent(): number {
    return this.#tcp.bytesWritten + (this.#tls?.bytesWritten ?? 0);
  }

  get connectedClients(): number {
    return this.aedes.connectedClients;
  }

  async restart(downMs = 0): Promise<void> {
    this.#logger.warn({ downMs }, 'broker restart: dropping every MQTT connection');
    await this.#tcp.stop();
    await this.#tls?.stop();
    if (downMs > 0) {
      try {
        await sleep(downMs, undefined, { signal: this.#stop.signal });
      } catch {
        return; // closed while down
      }
    }
    if (this.#closed) return;
    await this.#listen();
    this.#logger.info({ port: this.port, tlsPort: this.tlsPort }, 'broker listening again');
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#stop.abort();
    await this.#tcp.stop();
    await this.#tls?.stop();
    await new Promise<void>((resolve) => this.aedes.close(() => resolve()));
  }
}
