/**
 * Per-model state of the drift policy manager (cloud-hub/drift/policy-manager.ts): the policy
 * override set through the API and the last trigger with its cool-down. Reached as
 * `store.driftPolicies`; SQLite and PostgreSQL pass one contract suite
 * (test/integration/drift-policy-contract.ts). Persisted so a restarted hub keeps its cool-downs:
 * otherwise every restart could start another retraining on the same drift.
 *
 * The store keeps the override and the verdict as JSON objects without reading them; the manager
 * checks an override again when it reads it (a policy field may have changed since it was set).
 */

export type JsonObject = Record<string, unknown>;

export interface DriftTriggerRecord {
  /** Hub clock of the trigger. */
  atMs: number;
  /** No other trigger for the model before this (hub clock). */
  untilMs: number;
  group: string;
  /** The training job started; null when none could start (one was already running, training disabled). */
  jobId: string | null;
  /** The group verdict that triggered (cloud-hub/drift/evaluate.ts GroupVerdict). */
  verdict: JsonObject;
}

export interface DriftPolicyRecord {
  model: string;
  override: JsonObject | null;
  trigger: DriftTriggerRecord | null;
  updatedMs: number;
}

export interface DriftPolicyStore {
  get(model: string): Promise<DriftPolicyRecord | null>;
  /** Replaces the model's override (null: none); its trigger is kept. */
  setOverride(model: string, override: JsonObject | null, atMs: number): Promise<void>;
  /** Replaces the model's last trigger; its override is kept. */
  setTrigger(model: string, trigger: DriftTriggerRecord, atMs: number): Promise<void>;
}

/** A database row back to a record; `parse` reads a JSON column (text in SQLite, jsonb in PostgreSQL). */
export function toDriftPolicyRecord(r: Record<string, unknown>, parse: (v: unknown) => unknown): DriftPolicyRecord {
  const last = r.last_trigger === null || r.last_trigger === undefined ? null : (parse(r.last_trigger) as { atMs: number; group: string; verdict: JsonObject });
  return {
    model: r.model as string,
    override: r.override === null || r.override === undefined ? null : (parse(r.override) as JsonObject),
    trigger: last && r.cooldown_until_ms !== null
      ? { atMs: Number(last.atMs), untilMs: Number(r.cooldown_until_ms), group: last.group, jobId: (r.job_id as string | null) ?? null, verdict: last.verdict }
      : null,
    updatedMs: Number(r.updated_ms),
  };
}

/** What the last_trigger column holds (the until time and job id have their own columns). */
export function lastTriggerJson(t: DriftTriggerRecord): string {
  return JSON.stringify({ atMs: t.atMs, group: t.group, verdict: t.verdict });
}
