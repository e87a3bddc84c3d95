/**
 * Storage for shadow evaluations (cloud-hub/shadow): one record per challenger tried, kept as
 * JSON beside its model, state and times, so a hub restart picks up the running ones and the API
 * can show the finished ones. Reached as `store.shadows`; SQLite (sqlite-shadows.ts) and
 * PostgreSQL (postgres-shadows.ts) implement it.
 */
import type { ShadowStatsRecord } from './rollout-store.ts';

export type ShadowState = 'running' | 'promoted' | 'retired' | 'refused' | 'stopped';

export interface ShadowDeviceRecord {
  device: string;
  group: string;
  profile: string;
  /** The bundle the device runs (the champion's) and the challenger's bundle for its profile. */
  championBundle: string;
  challengerBundle: string;
  /** The desired state's deployment id when the shadow was added: kept when the shadow is cleared. */
  deploymentId: string | null;
}

/** One model's champion vs challenger on the same recent held-out readings (shadow/held-out.ts). */
export interface HeldOutRecord {
  group: string;
  task: string;
  /** What was compared, e.g. "false-alarm rate", "AUC", "RMSE", "accuracy". */
  metric: string;
  /** true: higher is better. */
  higherIsBetter: boolean;
  champion: number;
  challenger: number;
  tolerance: number;
  windows: number;
  fromMs: number;
  toMs: number;
  passed: boolean;
  reason: string;
}

export interface ShadowVerdictRecord {
  decision: 'undecided' | 'promote' | 'retire';
  reasons: string[];
  /** Over all shadow devices: fewest inferences, lowest agreement, highest latency ratio, error rate. */
  figures: { minInferences: number; minAgreement: number | null; maxLatencyRatio: number | null; errorRate: number | null };
}

export interface ShadowEvaluationRecord {
  id: string;
  model: string;
  /** The challenger. */
  version: number;
  championVersion: number | null;
  groups: string[];
  state: ShadowState;
  actor: string;
  /** The drift-triggered training job that registered the challenger; null when started by hand. */
  jobId: string | null;
  startedMs: number;
  updatedMs: number;
  /** An undecided evaluation is retired at this time. */
  deadlineMs: number;
  endedMs: number | null;
  /** One comparison per group; empty when the evaluation ended before the gate ran. */
  heldOut: HeldOutRecord[];
  devices: ShadowDeviceRecord[];
  /** The latest ShadowStats per device, as reported. */
  stats: Record<string, ShadowStatsRecord>;
  verdict: ShadowVerdictRecord | null;
  /** The staged rollouts that promoted the challenger, one per group. */
  deployments: string[];
  /** Why it ended (refused, retired, stopped), in words; null while running or once promoted. */
  reason: string | null;
}

export interface ShadowStore {
  /** Inserts or replaces the record by id. */
  put(r: ShadowEvaluationRecord): Promise<void>;
  get(id: string): Promise<ShadowEvaluationRecord | null>;
  /** Newest first. */
  list(q?: { model?: string; states?: readonly ShadowState[]; limit?: number }): Promise<ShadowEvaluationRecord[]>;
}
