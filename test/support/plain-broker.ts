/**
 * A plain MQTT broker for tests: an aedes instance on a free loopback port, without the hub's
 * auth hooks (any client may connect, publish and subscribe), so agent tests can publish retained
 * chunks and desired states themselves. It is a real broker: retained messages, QoS 1, a fresh
 * SUBSCRIBE re-sends the retained copy. It also counts what it sends to each client (through
 * aedes' authorizeForward hook, which lets every packet through).
 */
import { Aedes } from 'aedes';
import { Listener } from '../../cloud-hub/broker/listener.ts';

export class PlainBroker {
  readonly aedes: Aedes;
  readonly #listener: Listener;
  /** clientId → topic → messages forwarded to the client. */
  readonly #forwarded: Map<string, Map<string, number>>;
  /** clientId → filters it subscribed to, in order (repeats included). */
  readonly #subscribed = new Map<string, string[]>();
  /** clientId → filters it unsubscribed from, in order. */
  readonly #unsubscribed = new Map<string, string[]>();

  private constructor(aedes: Aedes, listener: Listener, forwarded: Map<string, Map<string, number>>) {
    this.aedes = aedes;
    this.#listener = listener;
    this.#forwarded = forwarded;
    aedes.on('subscribe', (subs, client) => {
      const list = this.#subscribed.get(client.id) ?? [];
      list.push(...subs.map((s) => s.topic));
      this.#subscribed.set(client.id, list);
    });
    aedes.on('unsubscribe', (filters, client) => {
      const list = this.#unsubscribed.get(client.id) ?? [];
      list.push(...filters);
      this.#unsubscribed.set(client.id, list);
    });
  }

  static async start(port = 0): Promise<PlainBroker> {
    const forwarded = new Map<string, Map<string, number>>();
    const aedes = await Aedes.createBroker({
      concurrency: 1000,
      authorizeForward: (client, packet) => {
        if (client?.id) {
          const per = forwarded.get(client.id) ?? new Map<string, number>();
          per.set(packet.topic, (per.get(packet.topic) ?? 0) + 1);
          forwarded.set(client.id, per);
        }
        return packet;
      },
    });
    const listener = new Listener(aedes.handle, '127.0.0.1', port);
    await listener.listen();
    return new PlainBroker(aedes, listener, forwarded);
  }

  get port(): number { return this.#listener.port; }
  get url(): string { return `mqtt://127.0.0.1:${this.port}`; }

  /** Publishes as the broker itself would for an internal client; empty retained payload = clear. */
  publish(topic: string, payload: Uint8Array, retain = true): Promise<void> {
    return new Promise((resolve, reject) => {
      this.aedes.publish({ cmd: 'publish', topic, payload: Buffer.from(payload), qos: 1, retain, dup: false }, (err) => (err ? reject(err) : resolve()));
    });
  }

  /** Messages on `topic` the broker sent to `clientId` (retained copies on subscribe included). */
  deliveries(clientId: string, topic: string): number {
    return this.#forwarded.get(clientId)?.get(topic) ?? 0;
  }

  subscriptions(clientId: string): readonly string[] {
    return this.#subscribed.get(clientId) ?? [];
  }

  unsubscriptions(clientId: string): readonly string[] {
    return this.#unsubscribed.get(clientId) ?? [];
  }

  get connectedClients(): number {
    return this.aedes.connectedClients;
  }

  /** An outage: every connection drops, nothing listens until `resume()`. Retained messages stay. */
  async pause(): Promise<void> {
    await this.#listener.stop();
  }

  async resume(): Promise<void> {
    await this.#listener.listen();
  }

  async close(): Promise<void> {
    await this.#listener.stop();
    await new Promise<void>((resolve) => this.aedes.close(() => resolve()));
  }
}
