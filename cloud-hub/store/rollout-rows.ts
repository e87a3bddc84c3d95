/**
 * Rows ↔ records for the rollout tables, shared by the SQLite and PostgreSQL stores so both read
 * and write the same columns in the same order. JSON columns are text in SQLite and jsonb in
 * PostgreSQL (which `pg` parses itself); `json` says how a column arrives.
 */
import type {
  BundleRecord, DeploymentDeviceRecord, DeploymentRecord, DesiredRecord, ReportedRecord,
} from './rollout-store.ts';

/** Reported-state columns, in the order reportedValues() gives them. */
export const REPORTED_COLUMNS = [
  'device', 'ts_ms', 'received_ms', 'phase', 'active_bundle', 'active_model', 'active_version', 'healthy',
  'inactive_bundle', 'desired_bundle', 'installing_bundle', 'chunks_have', 'chunks_total', 'failed_bundle',
  'error_code', 'error_message', 'profile', 'agent_version', 'inferences', 'inference_errors', 'latency_p99_ms', 'activated_ms',
  'shadow',
] as const;

export function reportedValues(r: ReportedRecord, bool: (b: boolean) => unknown): unknown[] {
  return [
    r.device, r.tsMs, r.receivedMs, r.phase, r.activeBundle, r.activeModel, r.activeVersion, bool(r.healthy),
    r.inactiveBundle, r.desiredBundle, r.installingBundle, r.chunksHave, r.chunksTotal, r.failedBundle,
    r.errorCode, r.errorMessage, r.profile, r.agentVersion, r.inferences, r.inferenceErrors, r.latencyP99Ms, r.activatedMs,
    r.shadow ? JSON.stringify(r.shadow) : null,
  ];
}

type Row = Record<string, unknown>;
/** How a JSON column arrives: text to parse (SQLite) or already parsed (PostgreSQL jsonb). */
export type JsonIn = (v: unknown) => unknown;
export const parseText: JsonIn = (v) => (v === null || v === undefined ? null : JSON.parse(v as string));
export const asParsed: JsonIn = (v) => v ?? null;

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export function toReported(r: Row): ReportedRecord {
  return {
    device: String(r.device), tsMs: Number(r.ts_ms), receivedMs: Number(r.received_ms), phase: String(r.phase),
    activeBundle: str(r.active_bundle), activeModel: str(r.active_model), activeVersion: num(r.active_version),
    healthy: r.healthy === true || r.healthy === 1, inactiveBundle: str(r.inactive_bundle), desiredBundle: str(r.desired_bundle),
    installingBundle: str(r.installing_bundle), chunksHave: Number(r.chunks_have), chunksTotal: Number(r.chunks_total),
    failedBundle: str(r.failed_bundle), errorCode: str(r.error_code), errorMessage: str(r.error_message), profile: str(r.profile),
    agentVersion: str(r.agent_version), inferences: Number(r.inferences), inferenceErrors: Number(r.inference_errors),
    latencyP99Ms: Number(r.latency_p99_ms), activatedMs: num(r.activated_ms),
    // Present only when reported, so records of hubs and tests that never heard of shadows compare equal.
    ...(r.shadow !== null && r.shadow !== undefined ? { shadow: anyJson(r.shadow) as ReportedRecord['shadow'] } : {}),
  };
}

/** A JSON column read the same from either store: text (SQLite) or parsed jsonb (PostgreSQL). */
function anyJson(v: unknown): unknown {
  return typeof v === 'string' ? JSON.parse(v) : v ?? null;
}

export function toBundle(r: Row, json: JsonIn): BundleRecord {
  return {
    id: String(r.id), model: String(r.model), version: Number(r.version), variant: String(r.variant),
    profiles: json(r.profiles) as string[], bytes: Number(r.bytes), sha256: String(r.sha256), chunks: Number(r.chunks),
    createdMs: Number(r.created_ms), expiresMs: Number(r.expires_ms), manifest: json(r.manifest) as BundleRecord['manifest'],
    origin: r.origin as BundleRecord['origin'],
  };
}

export function toDesired(r: Row): DesiredRecord {
  return {
    device: String(r.device), bundleId: str(r.bundle_id), deploymentId: str(r.deployment_id), setMs: Number(r.set_ms),
    ...(r.shadow_bundle_id !== null && r.shadow_bundle_id !== undefined ? { shadowBundleId: String(r.shadow_bundle_id) } : {}),
  };
}

export function toDeployment(r: Row, json: JsonIn): DeploymentRecord {
  return {
    id: String(r.id), state: r.state as DeploymentRecord['state'], source: json(r.source) as DeploymentRecord['source'],
    target: json(r.target) as DeploymentRecord['target'], bundles: json(r.bundles) as DeploymentRecord['bundles'],
    waves: json(r.waves) as DeploymentRecord['waves'], currentWave: Number(r.current_wave),
    autoAdvance: r.auto_advance === true || r.auto_advance === 1, createdMs: Number(r.created_ms), updatedMs: Number(r.updated_ms),
    actor: String(r.actor), reason: str(r.reason),
  };
}

export function toDeploymentDevice(r: Row): DeploymentDeviceRecord {
  return {
    deploymentId: String(r.deployment_id), device: String(r.device), profile: String(r.profile), wave: Number(r.wave),
    bundleId: String(r.bundle_id), previousBundle: str(r.previous_bundle), state: r.state as DeploymentDeviceRecord['state'],
    error: str(r.error), updatedMs: Number(r.updated_ms),
  };
}

/** The states in which a deployment still owns its devices: another may not take them. */
export const ACTIVE_DEPLOYMENT_STATES = ['running', 'halted'] as const;

export function conflictMessage(device: string, other: string, state: string): string {
  return `device ${device} already belongs to deployment ${other} (${state}); abort that deployment or wait until it completes, or leave the device out of the target`;
}
