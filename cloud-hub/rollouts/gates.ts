/**
 * A device's install state read from its latest report, and a wave's figures against its gates.
 * Pure functions of plain records: the engine decides with them and the status shows them.
 */
import type { DeploymentDeviceRecord, DeploymentDeviceState, ReportedRecord, WaveGates, WaveRecord } from '../store/rollout-store.ts';
import type { GateVerdict, WaveMetrics } from './schema.ts';

/**
 * Where a device of a started wave stands, from its latest report. Installed: it runs the
 * deployment's bundle and its health check passed. Installing: it is fetching or installing the
 * bundle right now (a report may still carry an earlier failure of it while it tries again).
 * Failed: it reports this bundle as failed in a report that arrived after the wave started (an
 * older failure, from an earlier attempt, is not held against this one). Told but not started
 * yet counts as installing too.
 */
export function installState(rec: DeploymentDeviceRecord, r: ReportedRecord | null, waveStartedMs: number): { state: DeploymentDeviceState; error: string | null } {
  if (rec.state === 'restored') return { state: 'restored', error: rec.error };
  if (!r) return { state: 'pending', error: null };
  if (r.activeBundle === rec.bundleId && r.healthy) return { state: 'installed', error: null };
  if (r.installingBundle === rec.bundleId) return { state: 'installing', error: null };
  if (r.failedBundle === rec.bundleId && r.receivedMs >= waveStartedMs) {
    return { state: 'failed', error: describeFailure(r) };
  }
  if (r.desiredBundle === rec.bundleId) return { state: 'installing', error: null };
  return { state: 'pending', error: null };
}

export function describeFailure(r: ReportedRecord): string {
  const code = r.errorCode ?? 'unknown error';
  return r.errorMessage ? `${code}: ${r.errorMessage}` : code;
}

/** The wave's figures. Error rate and latency count only devices running the new bundle. */
export function waveMetrics(devices: readonly DeploymentDeviceRecord[], reported: ReadonlyMap<string, ReportedRecord>): WaveMetrics {
  let inferences = 0;
  let errors = 0;
  let p99 = 0;
  let failed = 0;
  for (const d of devices) {
    if (d.state === 'failed') failed++;
    if (d.state !== 'installed') continue;
    const r = reported.get(d.device);
    if (!r || r.activeBundle !== d.bundleId) continue;
    inferences += r.inferences;
    errors += r.inferenceErrors;
    p99 = Math.max(p99, r.latencyP99Ms);
  }
  return { errorRate: inferences > 0 ? errors / inferences : 0, p99LatencyMs: p99, failedInstalls: failed, inferences };
}

export interface Verdicts { failedInstalls: GateVerdict; errorRate: GateVerdict; p99LatencyMs: GateVerdict; soakMs: GateVerdict }

export function verdicts(m: WaveMetrics, gates: WaveGates, wave: WaveRecord, now: number): Verdicts {
  const soaked = wave.settledMs === null ? 0 : Math.max(0, (wave.endedMs ?? now) - wave.settledMs);
  return {
    failedInstalls: { value: m.failedInstalls, limit: gates.maxFailedInstalls, ok: m.failedInstalls <= gates.maxFailedInstalls },
    errorRate: { value: m.errorRate, limit: gates.maxErrorRate, ok: m.errorRate <= gates.maxErrorRate },
    p99LatencyMs: { value: m.p99LatencyMs, limit: gates.maxP99LatencyMs, ok: m.p99LatencyMs <= gates.maxP99LatencyMs },
    soakMs: { value: soaked, limit: gates.minSoakMs, ok: wave.settledMs !== null && soaked >= gates.minSoakMs },
  };
}

/** The first broken gate as a sentence with its figures, or null when every gate holds. */
export function brokenGate(m: WaveMetrics, v: Verdicts, waveIndex: number): string | null {
  if (!v.failedInstalls.ok) {
    return `wave ${waveIndex} failed its gate maxFailedInstalls: ${m.failedInstalls} failed install(s) > ${v.failedInstalls.limit}`;
  }
  if (!v.errorRate.ok) {
    return `wave ${waveIndex} failed its gate maxErrorRate: error rate ${round(m.errorRate)} (over ${m.inferences} inferences) > ${v.errorRate.limit}`;
  }
  if (!v.p99LatencyMs.ok) {
    return `wave ${waveIndex} failed its gate maxP99LatencyMs: p99 latency ${round(m.p99LatencyMs)} ms > ${v.p99LatencyMs.limit} ms`;
  }
  return null;
}

const round = (x: number): number => Math.round(x * 10_000) / 10_000;
