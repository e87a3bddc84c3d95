/**
 * A decoded DriftReport as store rows: one per FeatureDrift, the report's fields repeated on
 * each. A report without per-feature rows (only output drift) becomes one row with feature ''
 * so it is still stored, acked once, and visible to the fleet policy.
 */
import type { DriftReport } from '../../shared/protocol/messages.ts';
import type { DriftRow } from '../store/drift-store.ts';

export function toDriftRows(device: string, m: DriftReport, receivedMs: number): DriftRow[] {
  const base = {
    device,
    seq: Number(m.seq),
    // The wire carries a double; the store keeps whole milliseconds (PostgreSQL int8).
    tsMs: Math.round(Number(m.tsMs ?? 0)),
    receivedMs,
    model: m.model ?? '',
    modelVersion: m.modelVersion ?? '',
    outputJs: Number(m.outputJs ?? 0),
    alarm: Boolean(m.alarm),
  };
  const features = m.features ?? [];
  if (features.length === 0) {
    return [{ ...base, feature: '', psi: 0, ks: 0, missingRate: 0, outOfRangeRate: 0, stuck: false, samples: Number(m.samples ?? 0) }];
  }
  return features.map((f) => ({
    ...base,
    feature: f.feature ?? '',
    psi: Number(f.psi ?? 0),
    ks: Number(f.ks ?? 0),
    missingRate: Number(f.missingRate ?? 0),
    outOfRangeRate: Number(f.outOfRangeRate ?? 0),
    stuck: Boolean(f.stuck),
    samples: Number(f.samples ?? 0),
  }));
}
