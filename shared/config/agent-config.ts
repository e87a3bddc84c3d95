/**
 * The agent's configuration: one schema, used by the agent to validate its file, by the hub to
 * build the config it returns at provisioning, and by the simulator to make virtual devices.
 */
import { Type, type Static } from '@sinclair/typebox';
import { RootBodySchema } from '../bundle/schema.ts';
import { DriftSettingsSchema } from '../drift/schema.ts';
import { parseWithSchema } from './validate.ts';

const Id = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' });

export const FleetClockSchema = Type.Object({
  fleetEpochMs: Type.Number({ description: 'fleet time at wallEpochMs' }),
  wallEpochMs: Type.Number(),
  speed: Type.Number({ exclusiveMinimum: 0, description: 'fleet seconds per wall second' }),
}, { additionalProperties: false });

export const SimSensorSchema = Type.Object({
  kind: Type.Literal('sim'),
  stream: Id,
  model: Type.Union([Type.Literal('pump'), Type.Literal('hvac')]),
  seed: Type.Integer({ minimum: 0 }),
  /** Fleet-time period between readings. */
  periodMs: Type.Integer({ minimum: 1, default: 1000 }),
  /** Fleet time of reading index 0. */
  originMs: Type.Number(),
  clock: FleetClockSchema,
  /** Stop producing at this fleet time (for runs that must end with a known set of readings). */
  untilMs: Type.Optional(Type.Number()),
  /** Sensor faults the scenario injects; interpreted by the simulator's sensor models. */
  faults: Type.Optional(Type.Array(Type.Record(Type.String(), Type.Unknown()))),
}, { additionalProperties: false });

export const JsonlSensorSchema = Type.Object({
  kind: Type.Literal('jsonl'),
  stream: Id,
  features: Type.Array(Id, { minItems: 1, maxItems: 256 }),
  /** Exactly one source: a file (followed as it grows), a named pipe, or a command's stdout. */
  file: Type.Optional(Type.String()),
  command: Type.Optional(Type.Array(Type.String(), { minItems: 1 })),
  follow: Type.Boolean({ default: true }),
}, { additionalProperties: false });

export const SystemSensorSchema = Type.Object({
  kind: Type.Literal('system'),
  stream: Id,
  intervalMs: Type.Integer({ minimum: 100, default: 10_000 }),
}, { additionalProperties: false });

export const SensorConfigSchema = Type.Union([SimSensorSchema, JsonlSensorSchema, SystemSensorSchema]);

export const AgentConfigSchema = Type.Object({
  fleet: Id,
  deviceId: Id,
  group: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', default: 'default' }),
  profile: Id,
  /** Directory for the identity key, the SQLite buffer and bundle slots. */
  dataDir: Type.String({ minLength: 1 }),
  hub: Type.Object({
    mqttUrl: Type.String({ pattern: '^(mqtt|mqtts|tcp|tls)://' }),
    /** PEM CA file to trust for mqtts:// (a self-signed hub certificate). */
    caFile: Type.Optional(Type.String()),
    rejectUnauthorized: Type.Boolean({ default: true }),
  }, { additionalProperties: false }),
  sensors: Type.Array(SensorConfigSchema, { minItems: 0, default: [] }),
  buffer: Type.Object({
    /** Bound on the SQLite file; past it the oldest telemetry is dropped (and counted). */
    maxBytes: Type.Integer({ minimum: 256 * 1024, default: 256 * 1024 * 1024 }),
    /** Readings a sensor may hold in memory before they are written as one outbox record. */
    chunkMaxReadings: Type.Integer({ minimum: 1, maximum: 20_000, default: 256 }),
    chunkMaxDelayMs: Type.Integer({ minimum: 0, maximum: 60_000, default: 100 }),
    /**
     * 'full' syncs every commit, so a reading that has a seq survives a power cut. 'normal' is
     * faster on slow flash, but a power cut may roll back commits whose readings the hub already
     * stored; their seqs are then reused and the new readings lost unnoticed.
     */
    synchronous: Type.Union([Type.Literal('full'), Type.Literal('normal')], { default: 'full' }),
  }, { additionalProperties: false, default: {} }),
  uplink: Type.Object({
    batchMaxReadings: Type.Integer({ minimum: 1, maximum: 20_000, default: 2000 }),
    batchMaxBytes: Type.Integer({ minimum: 1024, maximum: 300 * 1024, default: 256 * 1024 }),
    /** Unacked batches per stream in flight at once. */
    maxInFlight: Type.Integer({ minimum: 1, maximum: 64, default: 8 }),
    ackTimeoutMs: Type.Integer({ minimum: 100, default: 10_000 }),
    reconnectMinMs: Type.Integer({ minimum: 10, default: 500 }),
    reconnectMaxMs: Type.Integer({ minimum: 10, default: 30_000 }),
    keepaliveS: Type.Integer({ minimum: 1, default: 30 }),
  }, { additionalProperties: false, default: {} }),
  bundles: Type.Object({
    /**
     * The fleet's root public key set, from provisioning (inline, or `rootFile`, a JSON file
     * holding it). The agent trusts nothing else; without a root it refuses every bundle.
     */
    root: Type.Optional(RootBodySchema),
    rootFile: Type.Optional(Type.String({ minLength: 1 })),
    /** Largest bundle the agent will download (bytes); a desired state past it is refused. */
    maxBundleBytes: Type.Integer({ minimum: 1024, default: 256 * 1024 * 1024 }),
    /** Chunks requested at once while downloading. */
    chunkWindow: Type.Integer({ minimum: 1, maximum: 64, default: 4 }),
    /**
     * Multiplies the health check's measured latency before it is compared with the profile's
     * budget. 1 on a real device; the simulator sets the profile's compute factor, so a hub-class
     * CPU stands in for the device's.
     */
    latencyScale: Type.Number({ exclusiveMinimum: 0, default: 1 }),
    /** How often inference counters (for rollout gates) are added to the reported state. */
    reportEveryMs: Type.Integer({ minimum: 100, default: 10_000 }),
  }, { additionalProperties: false, default: {} }),
  /** The drift monitor of the active model (its bundle's reference statistics). */
  drift: DriftSettingsSchema,
  log: Type.Object({ level: Type.String({ default: 'info' }) }, { additionalProperties: false, default: {} }),
}, { additionalProperties: false });

export type AgentConfig = Static<typeof AgentConfigSchema>;
export type SensorConfig = Static<typeof SensorConfigSchema>;
export type SimSensorConfig = Static<typeof SimSensorSchema>;
export type JsonlSensorConfig = Static<typeof JsonlSensorSchema>;
export type SystemSensorConfig = Static<typeof SystemSensorSchema>;

export function parseAgentConfig(value: unknown, source = 'agent config'): AgentConfig {
  return parseWithSchema(AgentConfigSchema, value, source);
}
