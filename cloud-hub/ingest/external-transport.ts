/**
 * Ingest through an external broker (Mosquitto, EMQX, HiveMQ) with an mqtt.js client. The
 * broker's ACL, not this code, keeps devices inside their own topics (see ../README.md). With a
 * share group, several hub processes split the ingest through `$share/{group}/...`.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { EdgehiveError } from '../../shared/errors/index.ts';
import type { Logger } from '../../shared/log/logger.ts';
import type { ExternalMqttConfig } from '../config/hub-config.ts';
import type { IngestTransport, UplinkHandler } from './transport.ts';

const CONNECT_TIMEOUT_MS = 10_000;
const CLOSE_TIMEOUT_MS = 5_000;

export class ExternalTransport implements IngestTransport {
  readonly kind = 'external' as const;
  #client: MqttClient | null = null;
  #pending: Set<Promise<void>> | null = null;

  constructor(private readonly config: ExternalMqttConfig, private readonly fleet: string, private readonly logger: Logger) {}

  get connected(): boolean {
    return this.#client?.connected ?? false;
  }

  async start(filters: readonly string[], handler: UplinkHandler): Promise<void> {
    const c = this.config;
    const opts: IClientOptions = {
      clientId: `edgehive-hub-${this.fleet}-${randomBytes(4).toString('hex')}`.slice(0, 64),
      clean: true,
      reconnectPeriod: 1000,
      connectTimeout: CONNECT_TIMEOUT_MS,
      protocolVersion: c.shareGroup ? 5 : 4,
      ...(c.username !== undefined ? { username: c.username } : {}),
      ...(c.password !== undefined ? { password: c.password } : {}),
      ...(c.caFile ? { ca: readFileSync(c.caFile) } : {}),
    };
    const client = mqtt.connect(c.url, opts);
    this.#client = client;
    client.on('message', (topic, payload) => {
      const wait = handler({ topic, payload, publisher: null });
      if (wait) {
        // The set holds the promise it deletes; deleting `wait` itself would leak every entry.
        const settled: Promise<void> = wait.finally(() => { pending.delete(settled); });
        pending.add(settled);
      }
    });
    // QoS 1 PUBACK waits for handleMessage's callback, so holding it pauses the broker's flow.
    const pending = new Set<Promise<void>>();
    this.#pending = pending;
    client.handleMessage = (_packet, done) => {
      if (pending.size === 0) return done();
      void Promise.all(pending).then(() => done(), () => done());
    };
    client.on('error', (err) => this.logger.warn({ err: err.message, url: c.url }, 'external MQTT broker error'));
    client.on('offline', () => this.logger.warn({ url: c.url }, 'external MQTT broker unreachable; reconnecting'));
    const subscribed = (f: string) => (c.shareGroup ? `$share/${c.shareGroup}/${f}` : f);
    let firstSubscription: ((err: Error | null) => void) | null = null;
    client.on('connect', () => {
      client.subscribe(filters.map(subscribed), { qos: 1 }, (err) => {
        if (err) this.logger.error({ err: err.message }, 'subscribing on the external broker failed');
        firstSubscription?.(err ?? null);
        firstSubscription = null;
      });
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`no connection within ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS);
      const onError = (err: Error) => done(err);
      const done = (err: Error | null) => {
        clearTimeout(timer);
        client.off('error', onError);
        firstSubscription = null;
        if (!err) return resolve();
        client.end(true);
        this.#client = null;
        reject(new EdgehiveError('EH_STATE', `cannot use the external MQTT broker at ${c.url}: ${err.message}`));
      };
      firstSubscription = done;
      client.once('error', onError);
    });
  }

  publish(topic: string, payload: Uint8Array): void {
    this.#client?.publish(topic, Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength), { qos: 1 }, (err) => {
      if (err) this.logger.warn({ err: err.message, topic }, 'ack publish failed; the agent will resend');
    });
  }

  publishRetained(topic: string, payload: Uint8Array): Promise<void> {
    const client = this.#client;
    if (!client) return Promise.reject(new EdgehiveError('EH_STATE', `cannot publish ${topic}: the hub is not connected to the external broker ${this.config.url}`));
    // While offline, mqtt.js queues the publish and sends it on reconnect; the promise waits for the PUBACK.
    return new Promise<void>((resolve, reject) => {
      client.publish(topic, Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength), { qos: 1, retain: true }, (err) => {
        if (err) reject(new EdgehiveError('EH_STATE', `retained publish on ${topic} to ${this.config.url} failed: ${err.message}; check the hub account's ACL (it must write d/+/desired and bundles/#)`, undefined, { cause: err }));
        else resolve();
      });
    });
  }

  /** Ends the connection; a broker that never acknowledges our last publishes cannot hold it open. */
  async close(timeoutMs = CLOSE_TIMEOUT_MS): Promise<void> {
    const client = this.#client;
    this.#client = null;
    if (!client) return;
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), timeoutMs); });
    const outcome = await Promise.race([client.endAsync().then(() => 'ended' as const, () => 'ended' as const), gaveUp]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.logger.warn({ url: this.config.url, timeoutMs }, 'external broker did not acknowledge the last publishes; closing the connection anyway');
      await new Promise<void>((resolve) => client.end(true, {}, () => resolve()));
    }
  }

  /** Messages whose handling is still in flight; 0 when ingest has caught up. */
  get pendingMessages(): number {
    return this.#pending?.size ?? 0;
  }
}
