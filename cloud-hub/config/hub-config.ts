/**
 * The hub's configuration: one TypeBox schema, defaults applied by `parseHubConfig`. A file
 * (`edgehive hub --config hub.json`), CLI flags and code (tests, the simulator) all go through it.
 */
import { Type, type Static } from '@sinclair/typebox';
import { parseWithSchema } from '../../shared/config/validate.ts';

const Id = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' });
const port = (dflt: number) => Type.Integer({ minimum: 0, maximum: 65535, default: dflt });

export const EmbeddedMqttSchema = Type.Object({
  mode: Type.Literal('embedded', { default: 'embedded' }),
  /** Interface the broker listens on; 0.0.0.0 reaches devices on the network. */
  host: Type.String({ default: '0.0.0.0' }),
  /** Plain MQTT port; 0 picks a free one. */
  port: port(1883),
  /** MQTT over TLS, when a certificate and key are given. */
  tls: Type.Optional(Type.Object({
    certFile: Type.String({ minLength: 1 }),
    keyFile: Type.String({ minLength: 1 }),
    port: port(8883),
  }, { additionalProperties: false })),
}, { additionalProperties: false });

export const ExternalMqttSchema = Type.Object({
  mode: Type.Literal('external'),
  url: Type.String({ pattern: '^(mqtt|mqtts|tcp|tls|ws|wss)://' }),
  username: Type.Optional(Type.String()),
  password: Type.Optional(Type.String()),
  /** Share ingest between hub processes through `$share/{group}/...` (broker must support it). */
  shareGroup: Type.Optional(Id),
  /** PEM CA file for an mqtts:// broker with a private CA. */
  caFile: Type.Optional(Type.String()),
}, { additionalProperties: false });

export const HubConfigSchema = Type.Object({
  fleet: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', default: 'default' }),
  /** Home of the SQLite database (when the store is SQLite without a path). */
  dataDir: Type.String({ minLength: 1 }),
  mqtt: Type.Union([EmbeddedMqttSchema, ExternalMqttSchema], { default: {} }),
  /** The broker URL handed to agents at provisioning; derived from `mqtt` when absent. */
  publicMqttUrl: Type.Optional(Type.String({ pattern: '^(mqtt|mqtts|tcp|tls)://' })),
  http: Type.Object({
    host: Type.String({ default: '127.0.0.1' }),
    port: port(8080),
  }, { additionalProperties: false, default: {} }),
  store: Type.Union([
    Type.Object({ kind: Type.Literal('sqlite'), path: Type.Optional(Type.String({ minLength: 1 })) }, { additionalProperties: false }),
    Type.Object({ kind: Type.Literal('postgres'), url: Type.String({ pattern: '^postgres(ql)?://' }) }, { additionalProperties: false }),
  ], { default: { kind: 'sqlite' } }),
  ingest: Type.Object({
    /** Telemetry messages written by one store transaction at most. */
    maxBatchMessages: Type.Integer({ minimum: 1, maximum: 10_000, default: 500 }),
    /** Readings written by one store transaction at most: bounds how long one write holds the event loop. */
    maxBatchReadings: Type.Integer({ minimum: 100, maximum: 1_000_000, default: 20_000 }),
    /** How long the first message of a flush may wait for company. */
    flushIntervalMs: Type.Integer({ minimum: 0, maximum: 10_000, default: 5 }),
    /** A batch whose first_seq is more than this above the highest stored seq is rejected. */
    maxSeqJump: Type.Integer({ minimum: 1, default: 10_000_000 }),
    /** Readings waiting for a flush before the broker stops reading from devices (backpressure). */
    maxPendingReadings: Type.Integer({ minimum: 1000, default: 500_000 }),
    /**
     * Reported states wait this long to be written together; a device reporting again meanwhile
     * replaces its pending report (download progress comes in bursts from a whole fleet).
     */
    reportedFlushMs: Type.Integer({ minimum: 0, maximum: 10_000, default: 50 }),
    /** Reported states written by one store call at most. */
    reportedMaxBatch: Type.Integer({ minimum: 1, maximum: 10_000, default: 500 }),
  }, { additionalProperties: false, default: {} }),
  keys: Type.Object({
    /**
     * The hub's key material (signing key, signed roots, signing-key list); default
     * `<dataDir>/keys`. Without any there, a development root is generated on first start.
     */
    dir: Type.Optional(Type.String({ minLength: 1 })),
  }, { additionalProperties: false, default: {} }),
  bundles: Type.Object({
    /** How long a bundle the hub builds stays valid; agents refuse an expired one. Default 90 days. */
    ttlMs: Type.Integer({ minimum: 60_000, default: 90 * 24 * 3600 * 1000 }),
    /**
     * Written into each manifest built here. The hub cannot import the agent's AGENT_VERSION, so
     * it is configured: the oldest agent release that understands this hub's bundles.
     */
    minAgentVersion: Type.String({ pattern: '^[0-9]+\\.[0-9]+\\.[0-9]+$', default: '0.1.0' }),
    /**
     * The stream a bundled model reads when the version's training data does not tell (an
     * uploaded model): the fleet simulator's devices send `sensors`.
     */
    defaultStream: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', default: 'sensors' }),
    /** Largest bundle `POST /api/v1/bundles` accepts. */
    maxUploadBytes: Type.Integer({ minimum: 1024, maximum: 2 ** 31 - 1, default: 256 * 1024 * 1024 }),
  }, { additionalProperties: false, default: {} }),
  /** A known admin token to seed (e.g. from EDGEHIVE_ADMIN_TOKEN) instead of generating one. */
  bootstrapAdminToken: Type.Optional(Type.String({ minLength: 16 })),
  log: Type.Object({ level: Type.String({ default: 'info' }) }, { additionalProperties: false, default: {} }),
}, { additionalProperties: false });

export type HubConfig = Static<typeof HubConfigSchema>;
export type EmbeddedMqttConfig = Static<typeof EmbeddedMqttSchema>;
export type ExternalMqttConfig = Static<typeof ExternalMqttSchema>;

type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;
/** What callers may pass: everything but dataDir has a default. */
export type HubConfigInput = DeepPartial<HubConfig> & { dataDir: string };

export function parseHubConfig(value: unknown, source = 'hub config'): HubConfig {
  return parseWithSchema(HubConfigSchema, withModes(value), source);
}

/** `mqtt: { url }` means external and `mqtt: { port }` embedded, so `mode` may be left out. */
function withModes(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const v = value as Record<string, unknown>;
  const mqtt = v.mqtt;
  if (mqtt === null || typeof mqtt !== 'object' || 'mode' in mqtt) return value;
  return { ...v, mqtt: { mode: 'url' in mqtt ? 'external' : 'embedded', ...mqtt } };
}

/** The URL agents are told to use. */
export function advertisedMqttUrl(config: HubConfig, boundPort: number | null): string {
  if (config.publicMqttUrl) return config.publicMqttUrl;
  const m = config.mqtt;
  if (m.mode === 'external') return m.url;
  const host = m.host === '0.0.0.0' || m.host === '::' ? '127.0.0.1' : m.host;
  return `mqtt://${host}:${boundPort ?? m.port}`;
}
