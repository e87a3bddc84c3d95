/**
 * A labelled data set for the pump fault classifier, from the simulator's own pump model: each
 * device runs through episodes of one operating state — normal, or one of the pump's failure
 * modes scripted as a `failure` fault that sets in at the episode's start and grows to full
 * severity over a tenth to half of it.
 *
 * Each episode is a series of its own (a run of the pump between stops: a failure ends with the
 * pump taken out of service and repaired), so no window mixes two states and labels the whole
 * window by a state that only its last readings show. A reading is labelled with the state the
 * model was told to simulate — except the first readings of a failure, while its severity is
 * still below `ESTABLISHED_SEVERITY`: the pump is not running normally any more but the failure
 * cannot be seen yet, so they are left unlabelled (NaN; a window ending there is not used).
 *
 * Episodes come in rounds holding each state once, in a seeded order; all devices share one clock
 * and device d runs the state d places further along (mod the number of states), so with at
 * least as many devices as states every instant has every class, and a time-ordered split gives
 * every split every class. Only pumps that do not develop a failure of their own are used, so a
 * "normal" label is never wrong. Deterministic in the seed.
 */
import type { TrainingRows } from '../../cloud-hub/trainer/dataset.ts';
import { DeviceRandom } from '../random/hash-random.ts';
import { PUMP_FAILURE_MODES, severity, type SensorFault } from '../sensors/faults.ts';
import { DAY_MS } from '../sensors/model.ts';
import { PUMP_FEATURES, pumpParams, samplePump } from '../sensors/pump.ts';

export const PUMP_STATE_CLASSES = ['normal', ...PUMP_FAILURE_MODES] as const;
export const PUMP_STATE_LABEL = 'state';
/** A failure's severity (0..1) from which its readings are labelled with it; below: unlabelled. */
export const ESTABLISHED_SEVERITY = 0.2;

export interface PumpStatesOptions {
  readonly seed?: number;
  readonly devices?: number;
  /** Rounds of episodes per device; each round holds every state once. */
  readonly rounds?: number;
  readonly episodeReadings?: number;
  readonly periodMs?: number;
  readonly startMs?: number;
}

export interface PumpStatesData {
  /** Features: the pump's four, then `state` (the class index, NaN: not yet visible). One series per episode. */
  readonly data: TrainingRows;
  readonly devices: readonly string[];
  /** Name of each series (episode) in `data.segments` order: `<device>/r<round>/<state>`. */
  readonly series: readonly string[];
  readonly classes: readonly string[];
}

/** Device ids whose pumps have no failure of their own (so every label is what was scripted). */
function healthyPumps(seed: number, count: number, originMs: number): string[] {
  const out: string[] = [];
  for (let k = 0; out.length < count && k < count * 50; k++) {
    const id = `pump-lab-${k}`;
    if (pumpParams(seed, id, originMs).failure === null) out.push(id);
  }
  return out;
}

/** A seeded permutation of 0..n-1 (Fisher–Yates over the hash random source). */
function permutation(rnd: DeviceRandom, n: number, index: number): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rnd.uniform(index, 500 + i) * (i + 1));
    [p[i], p[j]] = [p[j] as number, p[i] as number];
  }
  return p;
}

export function generatePumpStates(options: PumpStatesOptions = {}): PumpStatesData {
  const seed = options.seed ?? 7;
  const nDevices = options.devices ?? 4;
  const rounds = options.rounds ?? 6;
  const len = options.episodeReadings ?? 512;
  const period = options.periodMs ?? 10_000;
  const startMs = options.startMs ?? Date.UTC(2026, 0, 5);
  // Pumps of different ages: wear is measured from the origin.
  const originMs = startMs - 30 * DAY_MS;
  const devices = healthyPumps(seed, nDevices, originMs);
  const nClasses = PUMP_STATE_CLASSES.length;
  const width = PUMP_FEATURES.length + 1;
  const perDevice = rounds * nClasses * len;
  const rows = new Float64Array(devices.length * perDevice * width);
  const timestamps = new Array<number>(devices.length * perDevice);
  const segments: number[] = [];
  const series: string[] = [];

  const order = new DeviceRandom(seed, 'pump-states/episodes');
  devices.forEach((id, d) => {
    const rnd = new DeviceRandom(seed, `${id}/episodes`);
    let i = 0;
    for (let r = 0; r < rounds; r++) {
      for (const shared of permutation(order, nClasses, r)) {
        const state = (shared + d) % nClasses;
        const fromMs = startMs + i * period;
        const toMs = fromMs + len * period;
        // How fast the scripted failure reaches full severity: a tenth to half of the episode.
        const rampMs = (0.1 + 0.4 * rnd.uniform(r, 600 + state)) * len * period;
        const faults: SensorFault[] = state === 0 ? [] : [{ kind: 'failure', mode: PUMP_FAILURE_MODES[state - 1]!, fromMs, toMs, rampMs }];
        segments.push(d * perDevice + i);
        series.push(`${id}/r${r}/${PUMP_STATE_CLASSES[state]!}`);
        for (let k = 0; k < len; k++, i++) {
          const tsMs = startMs + i * period;
          const at = (d * perDevice + i) * width;
          rows.set(samplePump(seed, id, i, tsMs, faults, originMs), at);
          rows[at + width - 1] = state === 0 || severity(fromMs, rampMs, tsMs) >= ESTABLISHED_SEVERITY ? state : NaN;
          timestamps[d * perDevice + i] = tsMs;
        }
      }
    }
  });
  return {
    data: { features: [...PUMP_FEATURES, PUMP_STATE_LABEL], timestamps, rows, segments },
    devices,
    series,
    classes: [...PUMP_STATE_CLASSES],
  };
}
