/**
 * The demo's delivery loop: once a model version is trained, the hub bundles and signs it per
 * device profile and rolls it out to the simulated pumps in waves; the demo prints each wave's
 * progress as the agents download, verify, swap and health-check it.
 */
import type { HubHandle } from '../../cloud-hub/hub-api.ts';
import type { DeploymentStatus, WaveStatus } from '../../cloud-hub/rollouts/schema.ts';

export interface DemoRolloutOptions {
  model: string;
  version: number;
  group: string;
  /** Soak per wave before the next starts (hub clock ms). */
  soakMs: number;
}

const short = (id: string): string => id.slice(0, 12);

function waveLine(s: DeploymentStatus, w: WaveStatus): string {
  const c = w.counts;
  const m = w.metrics;
  return `rollout ${s.id}: wave ${w.index + 1}/${s.waves.length} (${w.percent} %, ${w.devices} devices) ${w.state}: `
    + `${c.installed} installed, ${c.installing} installing, ${c.pending} pending, ${c.failed} failed, ${c.offline} offline`
    + (m.inferences > 0 ? `; ${m.inferences} inferences, error rate ${(m.errorRate * 100).toFixed(2)} %, p99 ${m.p99LatencyMs.toFixed(2)} ms` : '')
    + (w.reason ? ` (${w.reason})` : '');
}

/** Starts the rollout and prints its progress until it ends; resolves with the final status (null when it could not start). */
export async function runDemoRollout(hub: HubHandle, o: DemoRolloutOptions, print: (l: string) => void): Promise<DeploymentStatus | null> {
  let status: DeploymentStatus;
  try {
    status = await hub.rollouts.create({
      model: o.model,
      version: o.version,
      target: { group: o.group },
      waves: [
        { percent: 10, gates: { minSoakMs: o.soakMs, maxFailedInstalls: 0 } },
        { percent: 50, gates: { minSoakMs: o.soakMs, maxFailedInstalls: 0 } },
        { percent: 100, gates: { minSoakMs: o.soakMs, maxFailedInstalls: 1 } },
      ],
      autoAdvance: true,
    }, 'demo');
  } catch (e) {
    print(`rollout: refused: ${(e as Error).message}`);
    return null;
  }
  print(`rollout ${status.id}: ${o.model} v${o.version} to group ${o.group}, ${status.devices.length} devices in ${status.waves.length} waves; bundles ${Object.entries(status.bundles).map(([p, b]) => `${p}=${short(b)}`).join(', ')} (GET /api/v1/deployments/${status.id})`);
  // One line per change of a wave's state or counts, not per report: a fleet reports often.
  const last = new Map<number, string>();
  const off = hub.rollouts.onChange((s) => {
    if (s.id !== status.id) return;
    for (const w of s.waves) {
      if (w.state === 'pending') continue;
      const line = waveLine(s, w);
      // A wave that has ended is printed once: its inference figures keep growing afterwards.
      const key = w.state === 'passed' || w.state === 'failed' ? w.state : line;
      if (last.get(w.index) !== key) {
        last.set(w.index, key);
        print(line);
      }
    }
  });
  try {
    const end = await hub.rollouts.waitFor(status.id, ['completed', 'halted', 'aborted', 'failed'], 24 * 3600_000);
    print(`rollout ${end.id}: ${end.state}${end.reason ? ` (${end.reason})` : ''}`);
    return end;
  } finally {
    off();
  }
}
