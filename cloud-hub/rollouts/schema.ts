/**
 * Deployments as the API and the manager see them: the request (TypeBox, so fastify validates it
 * and the OpenAPI document shows it), the defaults for waves and gates, and the status answered.
 */
import { Type, type Static } from '@sinclair/typebox';
import type {
  DeploymentDeviceState, DeploymentRecord, DeploymentState, WaveGates, WaveState,
} from '../store/rollout-store.ts';

const Id = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: '1-64 characters from A-Z a-z 0-9 _ -' });

/** What a wave must show before the next starts; each may be overridden per wave. */
export const DEFAULT_GATES: Readonly<WaveGates> = Object.freeze({
  maxFailedInstalls: 0,
  maxErrorRate: 0.05,
  maxP99LatencyMs: 1000,
  minSoakMs: 30_000,
});

/** Canary 5 %, then a quarter, then everyone (cumulative shares of the target). */
export const DEFAULT_WAVE_PERCENTS: readonly number[] = Object.freeze([5, 25, 100]);

export const WaveGatesSchema = Type.Object({
  maxFailedInstalls: Type.Optional(Type.Integer({ minimum: 0, description: `failed installs in the wave before it fails (default ${DEFAULT_GATES.maxFailedInstalls})` })),
  maxErrorRate: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: `inference errors / inferences on the new bundle (default ${DEFAULT_GATES.maxErrorRate})` })),
  maxP99LatencyMs: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: `highest p99 inference latency a device of the wave may report (default ${DEFAULT_GATES.maxP99LatencyMs})` })),
  minSoakMs: Type.Optional(Type.Integer({ minimum: 0, description: `time the wave runs after every reachable device installed (default ${DEFAULT_GATES.minSoakMs})` })),
}, { additionalProperties: false });

export const WaveRequestSchema = Type.Object({
  percent: Type.Number({ exclusiveMinimum: 0, maximum: 100, description: 'cumulative share of the target devices, strictly increasing; the last is 100' }),
  gates: Type.Optional(WaveGatesSchema),
}, { additionalProperties: false });

export const DeploymentRequestSchema = Type.Object({
  model: Type.Optional(Id),
  version: Type.Optional(Type.Integer({ minimum: 1 })),
  bundleId: Type.Optional(Type.String({ pattern: '^[0-9a-f]{64}$', description: 'an uploaded or built bundle (sha256 of its manifest)' })),
  target: Type.Object({
    group: Type.Optional(Id),
    profile: Type.Optional(Id),
    devices: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: 100_000, uniqueItems: true })),
  }, { additionalProperties: false, description: 'at least one of group, profile, devices; combined as an intersection' }),
  waves: Type.Optional(Type.Array(WaveRequestSchema, { minItems: 1, maxItems: 20, description: 'default [5, 25, 100] % with the default gates' })),
  autoAdvance: Type.Optional(Type.Boolean({ default: true, description: 'start the next wave when one passes; false: wait for /resume' })),
}, { additionalProperties: false, description: '{model, version} or {bundleId}, a target and waves' });
export type DeploymentRequest = Static<typeof DeploymentRequestSchema>;

const DeploymentStateSchema = Type.Union([
  Type.Literal('running'), Type.Literal('halted'), Type.Literal('completed'), Type.Literal('aborted'), Type.Literal('failed'),
]);

export const DeploymentListQuery = Type.Object({
  state: Type.Optional(DeploymentStateSchema),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
});
export type DeploymentListQueryT = Static<typeof DeploymentListQuery>;

export const DeploymentParams = Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) });
export type DeploymentParamsT = Static<typeof DeploymentParams>;

export const DeploymentActionBody = Type.Object({
  reason: Type.Optional(Type.String({ maxLength: 500, description: 'why; kept in the audit log and the status' })),
}, { additionalProperties: false });
export type DeploymentActionBodyT = Static<typeof DeploymentActionBody>;

// --- status ------------------------------------------------------------------------------------

/** A device as the status shows it: offline while it has not installed or failed. */
export type DeviceViewState = DeploymentDeviceState | 'offline';

export interface GateVerdict { value: number; limit: number; ok: boolean }

export interface WaveMetrics {
  /** Σ inference errors / Σ inferences over the wave's devices on the new bundle (0 without inferences). */
  errorRate: number;
  /** Highest p99 latency a device of the wave reports on the new bundle (0 without reports). */
  p99LatencyMs: number;
  failedInstalls: number;
  inferences: number;
}

export interface WaveStatus {
  index: number;
  percent: number;
  state: WaveState;
  /** Devices in this wave. */
  devices: number;
  counts: Record<DeviceViewState, number>;
  metrics: WaveMetrics;
  gates: WaveGates;
  verdicts: { failedInstalls: GateVerdict; errorRate: GateVerdict; p99LatencyMs: GateVerdict; soakMs: GateVerdict };
  startedMs: number | null;
  settledMs: number | null;
  endedMs: number | null;
  reason: string | null;
}

export interface DeviceStatus {
  id: string;
  profile: string;
  wave: number;
  bundleId: string;
  previousBundle: string | null;
  state: DeviceViewState;
  error: string | null;
  reportedPhase: string | null;
  activeBundle: string | null;
}

export interface DeploymentStatus {
  id: string;
  state: DeploymentState;
  source: DeploymentRecord['source'];
  target: DeploymentRecord['target'];
  bundles: Record<string, string>;
  currentWave: number;
  autoAdvance: boolean;
  reason: string | null;
  actor: string;
  createdMs: number;
  updatedMs: number;
  waves: WaveStatus[];
  devices: DeviceStatus[];
}
