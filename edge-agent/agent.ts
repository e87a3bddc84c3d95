/**
 * The agent: owns the lifetime of everything under it. Data flows sensors → buffer (chunker →
 * SQLite outbox) → uplink (sender → MQTT connection) → hub, and acks flow back to the outbox.
 */
import { join } from 'node:path';
import type { AgentConfig } from '../shared/config/agent-config.ts';
import { EdgehiveError } from '../shared/errors/index.ts';
import { createLogger, type Logger } from '../shared/log/logger.ts';
import { encode } from '../shared/protocol/codec.ts';
import { Limits } from '../shared/protocol/limits.ts';
import type { RecordStream } from '../shared/protocol/streams.ts';
import { parseTopic, topicsFor } from '../shared/protocol/topics.ts';
import { systemClock, type Clock } from '../shared/time/clock.ts';
import { BUFFER_FILE, BUNDLES_DIR, type AgentDeps, type AgentHandle, type AgentStats, type BundleState } from './agent-api.ts';
import type { BundleModelSpec } from './bundles/bundle-model.ts';
import { BundleInstaller, type ModelPort } from './bundles/installer.ts';
import { Chunker } from './buffer/chunker.ts';
import { DriftReporter } from './drift/drift-reporter.ts';
import { Outbox, type OutboxCounters } from './buffer/outbox.ts';
import { loadOrCreateIdentity, type Identity } from './identity/identity.ts';
import { SensorRunner } from './sensors/sensor-runner.ts';
import type { ModelHost, ModelSpec } from './runtime/model-host.ts';
import { defaultScoring } from './runtime/scoring.ts';
import { ShadowManager } from './shadow/shadow-manager.ts';
import { Connection } from './uplink/connection.ts';
import { Sender } from './uplink/sender.ts';
import { AGENT_VERSION } from './version.ts';

type Phase = 'new' | 'running' | 'stopped';

const CHECKPOINT_EVERY_MS = 10_000;

export class Agent implements AgentHandle {
  readonly deviceId: string;
  readonly #clock: Clock;
  readonly #wallClock: Clock;
  readonly #log: Logger;
  #phase: Phase = 'new';
  #identity: Identity | null = null;
  #outbox: Outbox | null = null;
  #chunker: Chunker | null = null;
  #conn: Connection | null = null;
  #sender: Sender | null = null;
  #sensors: SensorRunner | null = null;
  #timers: NodeJS.Timeout[] = [];
  #last: OutboxCounters | null = null;
  #startedMs = 0;
  /** Created by the first loadModel: an agent without a model never loads the runtime. */
  #models: ModelHost | null = null;
  #bundles: BundleInstaller | null = null;
  /** Drift reports of the active bundle's model, when its bundle carries reference statistics. */
  #drift: DriftReporter | null = null;
  /** The challenger run beside the active model when the desired state names one (edge-agent/shadow). */
  #shadow: ShadowManager | null = null;

  constructor(readonly config: AgentConfig, private readonly deps: AgentDeps = {}) {
    this.deviceId = config.deviceId;
    this.#clock = deps.clock ?? systemClock;
    this.#wallClock = deps.wallClock ?? systemClock;
    this.#log = (deps.logger ?? createLogger({ name: 'agent', level: config.log.level })).child({ device: config.deviceId });
  }

  get publicKey(): Uint8Array {
    return (this.#identity ??= loadOrCreateIdentity(this.config.dataDir)).publicKey;
  }

  async start(): Promise<void> {
    if (this.#phase !== 'new') throw new EdgehiveError('EH_STATE', `agent ${this.deviceId} was already started; make a new Agent to start again`);
    this.#phase = 'running';
    try {
      await this.#open();
    } catch (e) {
      await this.crash();
      throw e;
    }
  }

  async #open(): Promise<void> {
    const c = this.config;
    const identity = (this.#identity ??= loadOrCreateIdentity(c.dataDir));
    const ctx = { clock: this.#clock, logger: this.#log, deviceId: c.deviceId };
    const adapters = this.deps.sensors ?? SensorRunner.build(c.sensors, this.deps.sensorFactories, ctx);
    const outbox = new Outbox({ path: join(c.dataDir, BUFFER_FILE), maxBytes: c.buffer.maxBytes, synchronous: c.buffer.synchronous, clock: this.#clock, logger: this.#log });
    this.#outbox = outbox;
    this.#drift = new DriftReporter({
      settings: c.drift, baselineDir: join(c.dataDir, 'drift'), append: (build) => this.appendRecord('drift', build), clock: this.#clock, logger: this.#log,
    });
    const topics = topicsFor(c.fleet);
    this.#startedMs = this.#wallClock.now();
    const conn = new Connection({
      url: c.hub.mqttUrl, fleet: c.fleet, deviceId: c.deviceId, seed: identity.seed,
      keepaliveS: c.uplink.keepaliveS, reconnectMinMs: c.uplink.reconnectMinMs, reconnectMaxMs: c.uplink.reconnectMaxMs,
      caFile: c.hub.caFile, rejectUnauthorized: c.hub.rejectUnauthorized,
      statusTopic: topics.device(c.deviceId, 'status'), birth: () => this.#status(true), will: () => this.#status(false),
      subscriptions: topics.agentSubscriptions(c.deviceId), wallClock: this.#wallClock, logger: this.#log,
    });
    this.#conn = conn;
    const sender = new Sender(outbox, conn, topics, c.deviceId, { ...c.uplink, chunkMaxReadings: c.buffer.chunkMaxReadings }, this.#log);
    this.#sender = sender;
    conn.on('up', () => sender.onUp());
    conn.on('down', () => sender.onDown());
    conn.on('message', (topic, payload) => this.#onMessage(topic, payload));
    const bundles = new BundleInstaller({
      dir: join(c.dataDir, BUNDLES_DIR), fleet: c.fleet, profile: c.profile, agentVersion: AGENT_VERSION, bundles: c.bundles, topics,
      link: { subscribe: (t) => conn.subscribe(t), unsubscribe: (t) => conn.unsubscribe(t) },
      publishReport: (payload) => conn.publish(topics.device(c.deviceId, 'reported'), payload, true),
      models: this.#modelPort(), wallClock: this.#wallClock, logger: this.#log, steps: this.deps.bundleSteps,
      shadowReport: () => this.#shadow?.report() ?? null, localBundle: (id) => this.#shadow?.promotable(id) ?? null,
    });
    this.#bundles = bundles;
    const shadow = new ShadowManager({
      dir: join(c.dataDir, BUNDLES_DIR), fleet: c.fleet, profile: c.profile, agentVersion: AGENT_VERSION, bundles: c.bundles, topics,
      link: { subscribe: (t) => conn.subscribe(t), unsubscribe: (t) => conn.unsubscribe(t) },
      trust: () => bundles.trustState(), champion: () => bundles.state().active,
      championP99Ms: () => this.#models?.activeCounters().p99Ms ?? Number.NaN,
      attach: async (ch) => (await this.#modelHost()).setShadow(ch),
      scoring: () => this.deps.scoring ?? defaultScoring(),
      publish: () => bundles.publishReport(), wallClock: this.#wallClock, logger: this.#log,
    });
    this.#shadow = shadow;
    conn.on('up', () => {
      shadow.onUp();
      bundles.onUp();
    });
    // Queued before the connection can deliver a desired state, so the restore always runs first.
    const restored = bundles.start();
    const shadowRestored = shadow.start();
    this.#chunker = new Chunker(outbox, { ...c.buffer, logger: this.#log }, () => sender.pump());
    this.#sensors = new SensorRunner(this.#chunker, outbox, this.#log, (stream, features, readings) => {
      this.#models?.offer(stream, features, readings);
      this.#drift?.offer(stream, features, readings);
    });
    // Timers do not keep a process alive by themselves; the connection (socket or retry timer) does.
    this.#timers.push(setInterval(() => sender.tick(), Math.max(50, Math.min(1000, c.uplink.ackTimeoutMs / 2))));
    // A random phase: a simulator starts hundreds of agents at once, and checkpoints (each a disk
    // sync) landing in the same instant stalled its event loop for hundreds of milliseconds.
    this.#timers.push(setTimeout(() => {
      if (this.#phase !== 'running') return;
      const every = setInterval(() => this.#maintain(), CHECKPOINT_EVERY_MS);
      every.unref();
      this.#timers.push(every);
    }, Math.floor(Math.random() * CHECKPOINT_EVERY_MS)));
    for (const t of this.#timers) t.unref();
    conn.start();
    await this.#sensors.start(adapters);
    await restored;
    await shadowRestored;
    this.#log.info({ version: AGENT_VERSION, dataDir: c.dataDir, sensors: adapters.map((a) => a.stream), backlog: outbox.recordCount }, 'agent started');
  }

  /** DeviceStatus for birth (online), will and graceful stop (offline). */
  #status(online: boolean): Uint8Array {
    const ts = this.#clock.now();
    const tsMs = ts >= Limits.minTsMs && ts <= Limits.maxTsMs ? ts : 0;
    return encode('status', { online, agentVersion: AGENT_VERSION, profile: this.config.profile, startedMs: this.#startedMs, tsMs });
  }

  #maintain(): void {
    try {
      this.#outbox?.checkpoint();
    } catch (e) {
      this.#log.warn({ err: e }, 'WAL checkpoint failed');
    }
  }

  #onMessage(topic: string, payload: Buffer): void {
    let t;
    try {
      t = parseTopic(topic);
    } catch {
      return;
    }
    if (t.fleet !== this.config.fleet) return;
    if (t.kind === 'device' && t.device === this.deviceId && t.topic === 'ack') this.#sender?.onAck(payload);
    else if (t.kind === 'device' && t.device === this.deviceId && t.topic === 'desired') {
      this.#bundles?.onDesired(payload);
      this.#shadow?.onDesired(payload);
    } else if (t.kind === 'bundle-chunk' && this.#shadow?.onChunk(t.bundleId, t.chunk, payload) !== true) this.#bundles?.onChunk(t.bundleId, t.chunk, payload);
    // FL rounds are handled by a later part of the agent.
  }

  /**
   * Stores a non-telemetry record (events, drift report, FL update) in the outbox; it is sent,
   * resent until acked, and never dropped. `build` receives the record's seq.
   */
  appendRecord(stream: RecordStream, build: (seq: number, tsMs: number) => Uint8Array): number {
    if (this.#phase !== 'running' || !this.#outbox) throw new EdgehiveError('EH_STATE', 'agent is not running');
    const seq = this.#outbox.appendRecord(stream, build);
    this.#sender?.pump();
    return seq;
  }

  /** Writes what sensors hold to the outbox now, instead of after buffer.chunkMaxDelayMs. */
  flush(): void {
    this.#chunker?.flush();
  }

  async stop(): Promise<void> {
    if (this.#phase !== 'running') return;
    this.#phase = 'stopped';
    this.#drift?.stop();
    await this.#sensors?.stop();
    this.#chunker?.close();
    this.#sender?.pump();
    this.#clearTimers();
    await this.#bundles?.close(true);
    await this.#shadow?.close(true);
    await this.#conn?.stop(this.#status(false));
    this.#closeOutbox(false);
    await this.#models?.close();
    this.#log.info('agent stopped');
  }

  async crash(): Promise<void> {
    if (this.#phase !== 'running') return;
    this.#phase = 'stopped';
    this.#drift?.stop();
    this.#chunker?.discard();
    void this.#bundles?.close(false);
    this.#conn?.kill();
    this.#clearTimers();
    this.#closeOutbox(true);
    await this.#sensors?.stop();
    await this.#shadow?.close(false);
    await this.#models?.close();
  }

  #clearTimers(): void {
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
  }

  #closeOutbox(abrupt: boolean): void {
    const o = this.#outbox;
    if (!o || o.closed) return;
    this.#last = o.counters();
    this.#lastStreams = this.#streamStats(o);
    o.close(abrupt);
  }

  #lastStreams: Pick<AgentStats, 'lastSeq' | 'dropped'> = { lastSeq: {}, dropped: {} };

  #streamStats(o: Outbox): Pick<AgentStats, 'lastSeq' | 'dropped'> {
    const lastSeq: Record<string, number> = {};
    const dropped: Record<string, number> = {};
    for (const s of o.streams()) {
      const st = o.state(s);
      lastSeq[s] = st.last_seq;
      dropped[s] = st.dropped_total;
    }
    return { lastSeq, dropped };
  }

  async loadModel(spec: ModelSpec): Promise<void> {
    await (await this.#modelHost()).load(spec);
    this.#startDrift(spec);
  }

  /** Monitors drift of a bundle's model that carries reference statistics; any other model is not monitored. */
  #startDrift(spec: ModelSpec & Partial<Pick<BundleModelSpec, 'bundle'>>): void {
    const b = spec.bundle;
    if (b?.referenceError) this.#log.error({ model: spec.id, err: b.referenceError }, 'bundle reference statistics unusable; no drift monitoring');
    if (b?.reference && this.#phase === 'running') this.#drift?.activate({ id: spec.id ?? 'model', bundleId: b.id, model: b.model, version: b.version, stream: spec.stream, reference: b.reference });
    else this.#drift?.deactivate();
  }

  async #modelHost(): Promise<ModelHost> {
    if (this.#models === null) {
      const { ModelHost, defaultScoring } = await import('./runtime/index.ts');
      const scoring = this.deps.scoring ?? defaultScoring();
      this.#models ??= new ModelHost({
        ...scoring,
        onScore: (s) => {
          this.#drift?.onScore(s);
          this.deps.onScore?.(s);
        },
        logger: this.#log,
      });
    }
    return this.#models;
  }

  /** The ModelHost as the bundle installer drives it; the runtime is loaded only when a bundle model is. */
  #modelPort(): ModelPort {
    return {
      load: async (spec) => {
        await this.loadModel(spec);
        this.#shadow?.onChampion(spec.bundle.id);
      },
      unload: async () => {
        this.#drift?.deactivate();
        await this.#models?.close();
      },
      counters: () => {
        const k = this.#models?.activeCounters();
        return { inferences: k?.scored ?? 0, errors: k?.errors ?? 0, p99Ms: k?.p99Ms ?? Number.NaN };
      },
    };
  }

  /** The shadow challenger's reported figures (null: none in this process), and its download counters. */
  shadowState(): { report: ReturnType<ShadowManager['report']>; download: ReturnType<ShadowManager['downloadCounters']> } {
    return { report: this.#shadow?.report() ?? null, download: this.#shadow?.downloadCounters() ?? null };
  }

  bundleState(): BundleState {
    return this.#bundles?.state() ?? { active: null, phase: 'idle', lastError: null };
  }

  scored(): Promise<void> {
    return this.#models?.drain() ?? Promise.resolve();
  }

  stats(): AgentStats {
    const o = this.#outbox;
    const open = o && !o.closed;
    const k = open ? o.ledgerCounters() : this.#last;
    const streams = open ? this.#streamStats(o) : this.#lastStreams;
    const sc = this.#sender?.counters;
    return {
      connected: this.#conn?.connected ?? false,
      outboxRecords: k?.records ?? 0,
      outboxReadings: k?.readings ?? 0,
      outboxBytes: k?.bytes ?? 0,
      ...streams,
      readingsAppended: k?.readingsAppended ?? 0,
      readingsAcked: k?.readingsAcked ?? 0,
      batchesSent: sc?.batchesSent ?? 0,
      resends: sc?.resends ?? 0,
      reconnects: this.#conn?.reconnects ?? 0,
      sensorErrors: (this.#sensors?.errors ?? 0) + (this.#chunker?.rejected ?? 0),
    };
  }

  /** Counters beyond AgentStats, for the CLI, benchmarks and tests. */
  details(): { outbox: OutboxCounters | null; sender: Sender['counters'] | null; inFlight: number; lostInMemory: number } {
    const o = this.#outbox;
    return {
      outbox: o && !o.closed ? o.counters() : this.#last,
      sender: this.#sender ? { ...this.#sender.counters } : null,
      inFlight: this.#sender?.inFlight() ?? 0,
      lostInMemory: this.#chunker?.lost ?? 0,
    };
  }
}
