/**
 * A deployment's status as the API answers it, computed from the records and what the devices
 * report: per wave the counts, figures and gate verdicts; per device its state as an operator
 * reads it (offline while it has neither installed nor failed).
 */
import type { DeploymentDeviceRecord, DeploymentRecord, ReportedRecord } from '../store/rollout-store.ts';
import type { DeviceView } from './engine.ts';
import { verdicts, waveMetrics } from './gates.ts';
import type { DeploymentStatus, DeviceStatus, DeviceViewState, WaveStatus } from './schema.ts';

export function deploymentStatus(d: DeploymentRecord, devices: readonly DeploymentDeviceRecord[], view: ReadonlyMap<string, DeviceView>, now: number): DeploymentStatus {
  const shown: DeviceStatus[] = devices.map((m) => {
    const v = view.get(m.device);
    return {
      id: m.device, profile: m.profile, wave: m.wave, bundleId: m.bundleId, previousBundle: m.previousBundle,
      state: viewState(m, v, d.waves[m.wave]?.startedMs != null), error: m.error, reportedPhase: v?.reported?.phase ?? null, activeBundle: v?.reported?.activeBundle ?? null,
    };
  });
  const waves: WaveStatus[] = d.waves.map((w) => {
    const members = devices.filter((m) => m.wave === w.index);
    const reported = new Map<string, ReportedRecord>();
    for (const m of members) {
      const r = view.get(m.device)?.reported;
      if (r) reported.set(m.device, r);
    }
    const counts: Record<DeviceViewState, number> = { pending: 0, installing: 0, installed: 0, failed: 0, offline: 0, restored: 0 };
    for (const s of shown) if (s.wave === w.index) counts[s.state]++;
    const metrics = waveMetrics(members, reported);
    return {
      index: w.index, percent: w.percent, state: w.state, devices: members.length, counts, metrics, gates: w.gates,
      verdicts: verdicts(metrics, w.gates, w, now), startedMs: w.startedMs, settledMs: w.settledMs, endedMs: w.endedMs, reason: w.reason,
    };
  });
  return {
    id: d.id, state: d.state, source: d.source, target: d.target, bundles: d.bundles, currentWave: d.currentWave, autoAdvance: d.autoAdvance,
    reason: d.reason, actor: d.actor, createdMs: d.createdMs, updatedMs: d.updatedMs, waves, devices: shown,
  };
}

/** Offline matters only once the device has been asked for the bundle: its wave has started. */
function viewState(m: DeploymentDeviceRecord, v: DeviceView | undefined, started: boolean): DeviceViewState {
  if (started && (m.state === 'pending' || m.state === 'installing')) {
    // The manager stops updating a deployment's device records when it ends; a device that was
    // offline then and converged later shows as installed from its own report.
    const r = v?.reported;
    if (r && r.activeBundle === m.bundleId && r.healthy) return 'installed';
    if (!v?.online) return 'offline';
  }
  return m.state;
}
