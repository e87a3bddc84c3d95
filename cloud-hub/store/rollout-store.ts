/**
 * Storage for bundles, device twins (desired and reported state) and deployments. Reached as
 * `store.rollouts`; SQLite and PostgreSQL implement it and pass one contract suite
 * (test/integration/rollout-contract.ts). The bundle bytes live on disk (cloud-hub/bundles);
 * the store keeps what the hub needs to decide and to answer the API.
 */
import type { Manifest } from '../../shared/bundle/schema.ts';

export interface BundleRecord {
  /** sha256 (hex) of the canonical manifest. */
  id: string;
  model: string;
  version: number;
  variant: string;
  profiles: string[];
  /** Size and sha256 (hex) of the whole bundle file. */
  bytes: number;
  sha256: string;
  chunks: number;
  createdMs: number;
  expiresMs: number;
  manifest: Manifest;
  /** Where it came from: 'registry' (built by the hub) or 'upload'. */
  origin: 'registry' | 'upload';
}

/** The hub's half of a device twin: what it asked the device to run. */
export interface DesiredRecord {
  device: string;
  /** null: run no bundle. */
  bundleId: string | null;
  deploymentId: string | null;
  setMs: number;
  /** A challenger the device runs in shadow beside bundleId (cloud-hub/shadow); absent or null: none. */
  shadowBundleId?: string | null;
}

/** ReportedState.shadow: a challenger in shadow compared with the champion since the shadow started. */
export interface ShadowStatsRecord {
  bundleId: string;
  /** downloading, verifying, running, failed, stopped */
  phase: string;
  inferences: number;
  agreement: number;
  championMeanScore: number;
  challengerMeanScore: number;
  scoreJs: number;
  championLatencyP99Ms: number;
  challengerLatencyP99Ms: number;
  challengerErrors: number;
  errorCode: string | null;
  errorMessage: string | null;
  championDetections: number;
  challengerDetections: number;
}

/** The device's half, as last reported (d/{device}/reported). */
export interface ReportedRecord {
  device: string;
  /** Agent clock of the report, and hub clock when it arrived. */
  tsMs: number;
  receivedMs: number;
  phase: string;
  activeBundle: string | null;
  activeModel: string | null;
  activeVersion: number | null;
  healthy: boolean;
  inactiveBundle: string | null;
  desiredBundle: string | null;
  installingBundle: string | null;
  chunksHave: number;
  chunksTotal: number;
  failedBundle: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  profile: string | null;
  agentVersion: string | null;
  inferences: number;
  inferenceErrors: number;
  latencyP99Ms: number;
  activatedMs: number | null;
  /** The shadow the device reported running; absent or null: none. */
  shadow?: ShadowStatsRecord | null;
}

export type DeploymentState = 'running' | 'halted' | 'completed' | 'aborted' | 'failed';
export type WaveState = 'pending' | 'running' | 'soaking' | 'passed' | 'failed';

export interface WaveGates {
  /** Devices of the wave whose install failed (refused, failed health check) before the wave fails. */
  maxFailedInstalls: number;
  /** Inference errors / inferences over the wave's devices on the new bundle. */
  maxErrorRate: number;
  /** Highest p99 inference latency any device of the wave reports on the new bundle. */
  maxP99LatencyMs: number;
  /** Time the wave must run after every reachable device installed, before it passes. */
  minSoakMs: number;
}

export interface WaveRecord {
  index: number;
  /** Cumulative share of the target, 1..100; the last wave is 100. */
  percent: number;
  gates: WaveGates;
  state: WaveState;
  startedMs: number | null;
  /** When every reachable device of the wave had installed or failed (soak starts). */
  settledMs: number | null;
  endedMs: number | null;
  /** Why the wave failed, naming the gate and the figures. */
  reason: string | null;
}

export interface DeploymentRecord {
  id: string;
  state: DeploymentState;
  /** What was asked for: model version or bundle. */
  source: { model: string; version: number } | { bundleId: string };
  target: { group?: string; profile?: string; devices?: string[] };
  /** Bundle per profile. */
  bundles: Record<string, string>;
  waves: WaveRecord[];
  currentWave: number;
  autoAdvance: boolean;
  createdMs: number;
  updatedMs: number;
  actor: string;
  reason: string | null;
}

export type DeploymentDeviceState = 'pending' | 'installing' | 'installed' | 'failed' | 'restored';

export interface DeploymentDeviceRecord {
  deploymentId: string;
  device: string;
  /** The device's profile when the deployment was created: it chose `bundleId`. */
  profile: string;
  wave: number;
  bundleId: string;
  /** The bundle the device ran when its wave started: where a halted or aborted rollout puts it back. */
  previousBundle: string | null;
  state: DeploymentDeviceState;
  error: string | null;
  updatedMs: number;
}

export interface RolloutStore {
  /** Idempotent on id. */
  putBundle(b: BundleRecord): Promise<void>;
  getBundle(id: string): Promise<BundleRecord | null>;
  /** Newest first. */
  listBundles(q?: { model?: string; limit?: number }): Promise<BundleRecord[]>;
  findBundle(model: string, version: number, variant: string): Promise<BundleRecord | null>;

  setDesired(d: DesiredRecord): Promise<void>;
  getDesired(device: string): Promise<DesiredRecord | null>;
  listDesired(): Promise<DesiredRecord[]>;

  /** Keeps the latest report per device (by receivedMs). */
  putReported(r: ReportedRecord): Promise<void>;
  getReported(device: string): Promise<ReportedRecord | null>;
  listReported(devices?: readonly string[]): Promise<ReportedRecord[]>;

  /**
   * Stores a deployment and its devices in one transaction. Throws EH_CONFLICT, naming the
   * other deployment, when one of the devices already belongs to a running or halted deployment:
   * checked inside the transaction, so two hubs (or two requests) cannot both take a device.
   */
  createDeployment(d: DeploymentRecord, devices: readonly DeploymentDeviceRecord[]): Promise<void>;
  /** Replaces the record (state, waves, currentWave, reason, updatedMs). */
  updateDeployment(d: DeploymentRecord): Promise<void>;
  getDeployment(id: string): Promise<DeploymentRecord | null>;
  /** Newest first. */
  listDeployments(q?: { states?: readonly DeploymentState[]; limit?: number }): Promise<DeploymentRecord[]>;
  listDeploymentDevices(deploymentId: string): Promise<DeploymentDeviceRecord[]>;
  updateDeploymentDevice(r: DeploymentDeviceRecord): Promise<void>;
  /** Many at once, in one transaction (a wave of a thousand devices starting or going back). */
  updateDeploymentDevices(rs: readonly DeploymentDeviceRecord[]): Promise<void>;
}
