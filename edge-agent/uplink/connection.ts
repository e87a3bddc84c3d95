/**
 * The MQTT connection (the one file that imports mqtt.js). Reconnects are ours, not mqtt.js's:
 * each attempt signs a fresh password (the hub refuses a reused timestamp), waits a backoff with
 * jitter between uplink.reconnectMinMs and reconnectMaxMs, and re-sends birth and subscriptions.
 * Sessions are clean: delivery rests on the end-to-end acks, not on the broker.
 */
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as Mqtt from 'mqtt';
import type { IClientOptions, MqttClient } from 'mqtt';
import { makeMqttPassword } from '../../shared/crypto/mqtt-auth.ts';
import { EdgehiveError } from '../../shared/errors/index.ts';
import type { Clock } from '../../shared/time/clock.ts';
import type { Logger } from '../../shared/log/logger.ts';
import { RateLimitedLog } from '../util/rate-limited-log.ts';
import { Backoff } from './backoff.ts';

// mqtt.js is CommonJS. Loaded through require rather than an ESM import, Node 20 does not lex its
// re-exports file by file for named ESM exports: about 6 MB less resident memory in the agent.
const { connect } = createRequire(import.meta.url)('mqtt') as typeof Mqtt;

export interface ConnectionOptions {
  url: string;
  fleet: string;
  deviceId: string;
  seed: Uint8Array;
  keepaliveS: number;
  reconnectMinMs: number;
  reconnectMaxMs: number;
  caFile?: string | undefined;
  rejectUnauthorized: boolean;
  /** Retained status topic, birth and will payloads (built fresh on every connect). */
  statusTopic: string;
  birth: () => Uint8Array;
  will: () => Uint8Array;
  subscriptions: string[];
  wallClock: Clock;
  logger: Logger;
}

export interface ConnectionEvents {
  up: [];
  down: [];
  message: [topic: string, payload: Buffer];
}

/** A connection that lasted less than this counts as a failed attempt for the backoff. */
const STABLE_MS = 2000;

export class Connection extends EventEmitter<ConnectionEvents> {
  #client: MqttClient | null = null;
  #up = false;
  #upSince = 0;
  #stopped = true;
  #timer: NodeJS.Timeout | null = null;
  #lastAuthTs = 0;
  readonly #backoff: Backoff;
  readonly #ca: Buffer | undefined;
  readonly #log: RateLimitedLog;
  /** Successful connects after the first. */
  reconnects = 0;
  #connects = 0;

  constructor(private readonly opts: ConnectionOptions) {
    super();
    this.#backoff = new Backoff(opts.reconnectMinMs, opts.reconnectMaxMs);
    try {
      this.#ca = opts.caFile ? readFileSync(opts.caFile) : undefined;
    } catch (e) {
      throw new EdgehiveError('EH_CONFIG_INVALID', `hub.caFile ${opts.caFile} cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    this.#log = new RateLimitedLog(opts.logger, 30_000);
  }

  get connected(): boolean { return this.#up; }

  start(): void {
    this.#stopped = false;
    this.#attempt();
  }

  #attempt(): void {
    this.#timer = null;
    if (this.#stopped) return;
    const o = this.opts;
    const ts = Math.max(Math.floor(o.wallClock.now()), this.#lastAuthTs + 1);
    this.#lastAuthTs = ts;
    const options: IClientOptions = {
      clientId: o.deviceId,
      username: o.deviceId,
      password: makeMqttPassword(o.fleet, o.deviceId, o.seed, ts),
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
      keepalive: o.keepaliveS,
      protocolVersion: 4,
      resubscribe: false,
      rejectUnauthorized: o.rejectUnauthorized,
      will: { topic: o.statusTopic, payload: Buffer.from(o.will()), qos: 1, retain: true },
      ...(this.#ca ? { ca: this.#ca } : {}),
    };
    const client = connect(o.url, options);
    this.#client = client;
    let closed = false;
    client.on('connect', () => this.#onConnect(client));
    client.on('message', (topic, payload) => this.emit('message', topic, payload));
    // Once stop() has begun, mqtt.js may still flush a ping or puback into the ending socket
    // ("write after end"); that is the shutdown itself, not a fault worth a warning.
    client.on('error', (err) => { if (!this.#stopped) this.#log.warn('mqtt-error', { err: err.message, url: o.url }, 'MQTT connection error'); });
    client.on('close', () => {
      if (closed) return;
      closed = true;
      this.#onClose(client);
    });
  }

  #onConnect(client: MqttClient): void {
    if (client !== this.#client) return;
    this.#up = true;
    this.#upSince = performance.now();
    if (this.#connects++ > 0) this.reconnects += 1;
    this.opts.logger.info({ url: this.opts.url, reconnects: this.reconnects }, 'connected to the hub');
    client.subscribe(this.opts.subscriptions, { qos: 1 }, (err, granted) => {
      if (err) return;
      const refused = (granted ?? []).filter((g) => g.qos === 128).map((g) => g.topic);
      if (refused.length > 0) this.opts.logger.error({ refused }, 'broker refused subscriptions');
    });
    client.publish(this.opts.statusTopic, Buffer.from(this.opts.birth()), { qos: 1, retain: true });
    this.emit('up');
  }

  #onClose(client: MqttClient): void {
    if (client !== this.#client) return;
    const wasUp = this.#up;
    this.#up = false;
    this.#client = null;
    client.end(true);
    if (wasUp) {
      if (performance.now() - this.#upSince >= STABLE_MS) this.#backoff.reset();
      this.opts.logger.warn('connection to the hub lost');
      this.emit('down');
    }
    if (!this.#stopped) this.#timer = setTimeout(() => this.#attempt(), this.#backoff.next());
  }

  /** QoS 1 publish; false (and nothing sent) when not connected. `done` runs on PUBACK or failure. */
  publish(topic: string, payload: Uint8Array, retain = false, done?: (err?: Error) => void): boolean {
    const client = this.#client;
    if (!client || !this.#up) return false;
    client.publish(topic, Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength), { qos: 1, retain }, (err) => done?.(err));
    return true;
  }

  /**
   * Subscribes on the current connection (QoS 1); false, and nothing sent, when not connected.
   * Unlike `subscriptions`, these are not renewed after a reconnect: the caller subscribes again
   * on 'up' to what it still needs (the bundle fetcher's chunk topics change as chunks arrive).
   */
  subscribe(filters: readonly string[]): boolean {
    const client = this.#client;
    if (!client || !this.#up || filters.length === 0) return false;
    client.subscribe([...filters], { qos: 1 }, (err, granted) => {
      // A failed SUBSCRIBE means the connection is going; the caller subscribes again on 'up'.
      if (err) return this.opts.logger.debug({ err: err.message, filters }, 'subscribe did not complete');
      const refused = (granted ?? []).filter((g) => g.qos === 128).map((g) => g.topic);
      if (refused.length > 0) this.opts.logger.error({ refused }, 'broker refused subscriptions');
    });
    return true;
  }

  /** Ends subscriptions made with `subscribe`; false when not connected (a reconnect ends them anyway: sessions are clean). */
  unsubscribe(filters: readonly string[]): boolean {
    const client = this.#client;
    if (!client || !this.#up || filters.length === 0) return false;
    client.unsubscribe([...filters]);
    return true;
  }

  /** Graceful: publishes `last` (retained status) if connected, waits for its ack, disconnects. */
  async stop(last?: Uint8Array, timeoutMs = 2000): Promise<void> {
    this.#stopped = true;
    if (this.#timer) { clearTimeout(this.#timer); this.#timer = null; }
    const client = this.#client;
    if (!client) return;
    if (last && this.#up) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, timeoutMs);
        this.publish(this.opts.statusTopic, last, true, () => { clearTimeout(t); resolve(); });
      });
    }
    this.#up = false;
    this.#client = null;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => { client.end(true); resolve(); }, timeoutMs);
      client.end(false, {}, () => { clearTimeout(t); resolve(); });
    });
  }

  /** As SIGKILL would: the socket goes without DISCONNECT, so the broker publishes the will. */
  kill(): void {
    this.#stopped = true;
    if (this.#timer) { clearTimeout(this.#timer); this.#timer = null; }
    const client = this.#client;
    this.#client = null;
    this.#up = false;
    if (!client) return;
    client.stream?.destroy();
    client.end(true);
  }
}
