/**
 * A simulated pump fleet's drift reports as the hub would see them, without MQTT: each device's
 * real DriftMonitor is fed the simulator's readings, reports on the agent's schedule go through
 * the wire encoding and the hub's row mapping, and the hub's evaluator runs on them in time order.
 * Shared by the drift e2e tests (no false trigger; the device baseline).
 */
import assert from 'node:assert/strict';
import { evaluateDrift, type GroupVerdict } from '../../cloud-hub/drift/evaluate.ts';
import type { DriftPolicy } from '../../cloud-hub/drift/policy.ts';
import { toDriftRows } from '../../cloud-hub/ingest/drift-rows.ts';
import type { DriftRow } from '../../cloud-hub/store/drift-store.ts';
import type { DriftMonitor } from '../../edge-agent/drift/monitor.ts';
import { decode, encode } from '../../shared/protocol/codec.ts';

export interface FleetDriftRun {
  devices: readonly string[];
  monitors: readonly DriftMonitor[];
  /** The reading of device `id` at index `i` (one a minute from the origin). */
  reading(device: number, i: number): ArrayLike<number>;
  fromIndex: number;
  toIndex: number;
  reportEvery: number;
  minSamples: number;
  policy: DriftPolicy;
  tsOf(i: number): number;
  /**
   * The model's raw score for reading `i` of `device` (NaN: that reading completed no window),
   * fed to the monitor's updateOutput right after the reading, as the agent's onScore does.
   * Absent: no scores are fed.
   */
  score?(device: number, i: number): number;
  /** Every report the agents would send, before the hub sees it: the snapshot, the device's index and its hub rows. */
  onReport?(snapshot: ReturnType<DriftMonitor['report']>, device: number, rows: readonly DriftRow[]): void;
}

export interface FleetDriftOutcome {
  /** Fleet time of each report step at which the group triggered, with the verdict. */
  triggers: Array<{ tsMs: number; verdict: GroupVerdict }>;
  /** Devices ever listed with quality problems, and the problems. */
  quality: Map<string, Set<string>>;
  everDrifting: Set<string>;
}

export function runFleetDrift(r: FleetDriftRun): FleetDriftOutcome {
  const n = r.devices.length;
  const seqs = new Array<number>(n).fill(0);
  // Per device: its judged reports' rows (the newest few, all the evaluator reads) and its newest report.
  const judged: DriftRow[][][] = r.devices.map(() => []);
  const latest: DriftRow[][] = r.devices.map(() => []);
  const out: FleetDriftOutcome = { triggers: [], quality: new Map(), everDrifting: new Set() };
  for (let i = r.fromIndex; i < r.toIndex; i++) {
    for (let d = 0; d < n; d++) {
      r.monitors[d]!.update(r.reading(d, i));
      if (r.score) r.monitors[d]!.updateOutput(r.score(d, i));
    }
    if ((i + 1) % r.reportEvery !== 0) continue;
    const tsMs = r.tsOf(i + 1);
    for (let d = 0; d < n; d++) {
      const m = r.monitors[d]!;
      // The agent's reporter (drift-reporter.ts): an empty window sends nothing; a window short of minSamples goes on.
      if (m.readings === 0) continue;
      const snap = m.report(tsMs);
      const wire = encode('drift', {
        seq: ++seqs[d]!, tsMs, model: 'pump-anomaly', modelVersion: '1',
        features: snap.features.map((f) => ({ feature: f.feature, psi: f.psi, ks: f.ks, missingRate: f.missingRate, outOfRangeRate: f.outOfRangeRate, stuck: f.stuck, samples: f.samples })),
        outputJs: snap.outputJs, samples: snap.readings, alarm: snap.alarm,
      });
      const rows = toDriftRows(r.devices[d]!, decode('drift', wire), tsMs);
      r.onReport?.(snap, d, rows);
      latest[d] = rows;
      if (snap.readings >= r.minSamples) {
        m.reset();
        judged[d]!.push(rows);
        if (judged[d]!.length > r.policy.consecutiveReports + 2) judged[d]!.shift();
      }
    }
    // The hub reads each device's newest reports: its last judged ones and the newest.
    const rows = r.devices.flatMap((_, d) => [...judged[d]!.flat(), ...(judged[d]!.at(-1) === latest[d] ? [] : latest[d]!)]);
    if (rows.length === 0) continue;
    const [v] = evaluateDrift({ rows, groupOf: () => 'pumps', policy: r.policy, nowMs: tsMs, cooldownUntilMs: null });
    assert.ok(v);
    for (const dev of v.drifting) out.everDrifting.add(dev);
    for (const q of v.quality) {
      const s = out.quality.get(q.device) ?? new Set<string>();
      q.problems.forEach((x) => s.add(x));
      out.quality.set(q.device, s);
    }
    if (v.trigger) out.triggers.push({ tsMs, verdict: v });
  }
  return out;
}
