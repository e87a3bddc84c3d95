/**
 * Waves: the request's shares checked and filled in with the default gates, and devices spread
 * over them. The spread hashes the deployment id with the device id, so it is the same after a
 * hub restart and on every hub process, yet a different slice of the fleet is the canary each time.
 */
import { createHash } from 'node:crypto';
import { EdgehiveError } from '../../shared/errors/index.ts';
import type { WaveGates, WaveRecord } from '../store/rollout-store.ts';
import { DEFAULT_GATES, DEFAULT_WAVE_PERCENTS, type DeploymentRequest } from './schema.ts';

/** The request's waves (or the default ones) as pending wave records; EH_DEPLOYMENT_INVALID when the shares are not usable. */
export function planWaves(waves: DeploymentRequest['waves']): WaveRecord[] {
  const asked = waves ?? DEFAULT_WAVE_PERCENTS.map((percent) => ({ percent, gates: undefined }));
  if (asked.length === 0) throw invalid('waves is empty; give at least one wave, the last with percent 100, or leave waves out for [5, 25, 100]');
  let last = 0;
  return asked.map((w, index): WaveRecord => {
    if (!Number.isFinite(w.percent) || w.percent <= 0 || w.percent > 100) {
      throw invalid(`wave ${index} has percent ${w.percent}; each wave's percent is a cumulative share in (0, 100]`);
    }
    if (w.percent <= last) {
      throw invalid(`wave ${index} has percent ${w.percent}, not above wave ${index - 1}'s ${last}; percents are cumulative and strictly increasing`);
    }
    last = w.percent;
    const gates: WaveGates = { ...DEFAULT_GATES, ...stripUndefined(w.gates ?? {}) };
    return { index, percent: w.percent, gates, state: 'pending', startedMs: null, settledMs: null, endedMs: null, reason: null };
  }).map((w, i, all) => {
    if (i === all.length - 1 && w.percent !== 100) {
      throw invalid(`the last wave has percent ${w.percent}; it must be 100 so that every target device gets the bundle`);
    }
    return w;
  });
}

/**
 * Wave index per device (same order as `devices`): devices ordered by sha256(deploymentId +
 * deviceId); wave i takes them up to ceil(percent_i / 100 × N) cumulatively, so the first wave
 * has at least one device whenever there is one. A later wave may get none on a small target.
 */
export function assignWaves(deploymentId: string, devices: readonly string[], percents: readonly number[]): number[] {
  const n = devices.length;
  const order = devices
    .map((id, i) => ({ i, key: createHash('sha256').update(deploymentId).update('\u0000').update(id).digest('hex') }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.i - b.i));
  const out = new Array<number>(n).fill(percents.length - 1);
  let wave = 0;
  order.forEach((o, rank) => {
    while (wave < percents.length - 1 && rank >= cumulative(percents[wave]!, n)) wave++;
    out[o.i] = wave;
  });
  return out;
}

/** Devices covered once waves up to the one with `percent` have run. */
function cumulative(percent: number, n: number): number {
  // The epsilon keeps 100 × 0.07 = 7.000000000000001 from rounding up to 8.
  if (n === 0) return 0;
  return Math.min(n, Math.max(1, Math.ceil((percent / 100) * n - 1e-9)));
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function invalid(message: string): EdgehiveError {
  return new EdgehiveError('EH_DEPLOYMENT_INVALID', message);
}
