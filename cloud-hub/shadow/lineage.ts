/**
 * The challenger's lineage gets a `shadow` record: what was compared, on which devices, the
 * verdict and the deployment that promoted it (or why it was refused or retired). Written
 * through the model store, since the registry only completes versions; the API shows lineage as
 * stored.
 */
import type { Lineage } from '../registry/schema.ts';
import type { ShadowEvaluationRecord } from '../store/shadow-store.ts';
import type { Store } from '../store/types.ts';

export interface ShadowLineage {
  evaluation: string;
  state: ShadowEvaluationRecord['state'];
  championVersion: number | null;
  groups: string[];
  devices: string[];
  heldOut: ShadowEvaluationRecord['heldOut'];
  verdict: ShadowEvaluationRecord['verdict'];
  deployments: string[];
  reason: string | null;
  atMs: number;
}

export function lineageOf(r: ShadowEvaluationRecord): ShadowLineage {
  return {
    evaluation: r.id, state: r.state, championVersion: r.championVersion, groups: r.groups, devices: r.devices.map((d) => d.device),
    heldOut: r.heldOut, verdict: r.verdict, deployments: r.deployments, reason: r.reason, atMs: r.updatedMs,
  };
}

export async function writeShadowLineage(store: Store, r: ShadowEvaluationRecord): Promise<void> {
  const v = await store.models.getVersion(r.model, r.version);
  if (!v) return;
  const lineage: Lineage = { ...v.lineage, shadow: { ...lineageOf(r) } };
  await store.models.updateVersion(r.model, r.version, { lineage }, r.updatedMs);
}
