/**
 * bench:inference's models: each shipped recipe trained for a few epochs on data that suits it,
 * exported to ONNX (fp32) and quantised statically to int8 (QDQ), calibrated on the most recent
 * training windows (never on the split it is judged on), plus the held-out set its accuracy delta
 * is measured on.
 *
 * Data per recipe:
 *  - classify (pump-fault-classifier): `sim:pump-states`, the simulator's labelled pump episodes
 *    (4 pumps, one series per episode; 6 rounds of the four states, 3 when quick); held-out = the
 *    time-split test windows, labels = their one-hot targets.
 *  - anomaly on the simulator's pumps / HVAC units (pump-anomaly, hvac-anomaly): readings of
 *    healthy units (no failure of their own) to train on; held-out = the test split (normal, 0)
 *    plus windows of other units whose second half runs a scripted failure (1 once the failure
 *    is half ramped in), so the gate's headline metric (ROC AUC) exists.
 *  - nab-univariate / nab-forecast: one NAB series from ../shared/datasets/nab when present, else
 *    a synthetic daily series with noise; held-out = the test split (unlabelled: the anomaly gate
 *    falls back to int8-vs-fp32 score correlation, the forecast gate to relative RMSE).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestSet } from '../../cloud-hub/evaluate/index.ts';
import { exportOnnx } from '../../cloud-hub/export/index.ts';
import { quantiseStatic, type QuantReport } from '../../cloud-hub/quantise/index.ts';
import { resolveRecipe, type Recipe } from '../../cloud-hub/recipes/index.ts';
import { readCsvFile, trainRecipe, type BackendName, type TrainingRows, type TrainRecipeResult } from '../../cloud-hub/trainer/index.ts';
import { windows, type PreprocessSpec } from '../../shared/features/index.ts';
import { generatePumpStates } from '../../simulators/datasets/index.ts';
import { HVAC_FAILURE_MODES, PUMP_FAILURE_MODES, type FailureMode, type SensorFault } from '../../simulators/sensors/faults.ts';
import { HVAC_FEATURES, hvacParams, sampleHvac } from '../../simulators/sensors/hvac.ts';
import { DAY_MS } from '../../simulators/sensors/model.ts';
import { PUMP_FEATURES, pumpParams, samplePump } from '../../simulators/sensors/pump.ts';
import { say } from './util.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const NAB_DIR = join(ROOT, '..', 'shared', 'datasets', 'nab', 'data');
export const NAB_FILE = 'realAWSCloudwatch/ec2_cpu_utilization_825cc2.csv';

const SEED = 11;
const START_MS = Date.UTC(2026, 0, 5);
const ORIGIN_MS = START_MS - 30 * DAY_MS;
const PERIOD_MS = 60_000;

type Sampler = (seed: number, id: string, i: number, tsMs: number, faults: readonly SensorFault[], originMs: number) => number[];

interface Unit {
  kind: 'pump' | 'hvac';
  features: readonly string[];
  sample: Sampler;
  healthy: (id: string) => boolean;
  /** Failure modes the model can script (SensorFault 'failure' modes). */
  modes: readonly FailureMode[];
}

const UNITS: Record<'pump' | 'hvac', Unit> = {
  pump: { kind: 'pump', features: PUMP_FEATURES, sample: samplePump, healthy: (id) => pumpParams(SEED, id, ORIGIN_MS).failure === null, modes: PUMP_FAILURE_MODES },
  hvac: { kind: 'hvac', features: HVAC_FEATURES, sample: sampleHvac, healthy: (id) => hvacParams(SEED, id, ORIGIN_MS).leak === null, modes: HVAC_FAILURE_MODES },
};

function healthyIds(u: Unit, prefix: string, count: number): string[] {
  const out: string[] = [];
  for (let k = 0; out.length < count && k < count * 50; k++) {
    const id = `${prefix}-${k}`;
    if (u.healthy(id)) out.push(id);
  }
  return out;
}

/** `rows` readings of each of `devices` healthy units, one series each, on one clock. */
function healthyRows(u: Unit, devices: number, rows: number): TrainingRows {
  const ids = healthyIds(u, `${u.kind}-bench-train`, devices);
  const nf = u.features.length;
  const data = new Float64Array(ids.length * rows * nf);
  const timestamps = new Array<number>(ids.length * rows);
  ids.forEach((id, d) => {
    for (let i = 0; i < rows; i++) {
      const ts = START_MS + i * PERIOD_MS;
      data.set(u.sample(SEED, id, i, ts, [], ORIGIN_MS), (d * rows + i) * nf);
      timestamps[d * rows + i] = ts;
    }
  });
  return { features: [...u.features], timestamps, rows: data, segments: ids.map((_, d) => d * rows) };
}

/** Windows (with the trained spec) of units whose second half runs a scripted failure; label 1 once it is half ramped in. */
function faultWindows(u: Unit, spec: PreprocessSpec, devices: number, rows: number): { x: Float32Array[]; labels: number[] } {
  const ids = healthyIds(u, `${u.kind}-bench-eval`, devices);
  const { length, stride } = spec.window;
  const x: Float32Array[] = [];
  const labels: number[] = [];
  ids.forEach((id, d) => {
    // The same hours of the day as the training data, a week later.
    const t0 = START_MS + 7 * DAY_MS;
    const fromMs = t0 + Math.floor(rows / 2) * PERIOD_MS;
    const rampMs = 2 * 3_600_000;
    const mode = u.modes[d % u.modes.length]!;
    const faults: SensorFault[] = [{ kind: 'failure', mode, fromMs, rampMs }];
    const raw = Array.from({ length: rows }, (_, i) => u.sample(SEED, id, i, t0 + i * PERIOD_MS, faults, ORIGIN_MS));
    const w = windows(raw, spec);
    const per = length * spec.features.length;
    for (let k = 0; k < w.shape[0]; k++) {
      x.push(w.data.slice(k * per, (k + 1) * per));
      const lastTs = t0 + (k * stride + length - 1) * PERIOD_MS;
      labels.push(lastTs >= fromMs + rampMs / 2 ? 1 : 0);
    }
  });
  return { x, labels };
}

/** A synthetic univariate series like NAB's 5-minute CPU metrics: daily cycle, noise, slow drift. */
function syntheticSeries(n: number): TrainingRows {
  const t0 = Date.UTC(2014, 1, 14);
  const step = 300_000;
  const rows = Array.from({ length: n }, (_, i) => {
    const day = Math.sin((2 * Math.PI * i) / 288);
    const noise = Math.sin(i * 12.9898) * 43758.5453;
    return [40 + 15 * day + 0.002 * i + 3 * (noise - Math.floor(noise) - 0.5)];
  });
  return { features: ['value'], timestamps: Array.from({ length: n }, (_, i) => t0 + i * step), rows };
}

function nabRows(): { rows: TrainingRows; source: string } {
  const file = join(NAB_DIR, NAB_FILE);
  if (existsSync(file)) {
    const data = readCsvFile(file);
    return { rows: data, source: `NAB ${NAB_FILE} (${data.timestamps.length} readings)` };
  }
  return { rows: syntheticSeries(4032), source: 'synthetic daily series, 4032 readings (../shared/datasets/nab absent)' };
}

export interface PreparedModel {
  readonly recipe: Recipe;
  readonly trained: TrainRecipeResult;
  readonly fp32: Uint8Array;
  readonly int8: Uint8Array;
  readonly quant: QuantReport;
  /** Held-out windows (and labels / forecast targets) the accuracy delta is measured on. */
  readonly evalSet: TestSet;
  /** Where the training data came from, and what the held-out set holds. */
  readonly dataNote: string;
  readonly trainMs: number;
  readonly quantiseMs: number;
  readonly classes: number;
}

function concat(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

function argmaxRows(y: Float32Array, width: number): Int32Array {
  const n = y.length / width;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < width; c++) if (y[i * width + c]! > y[i * width + best]!) best = c;
    out[i] = best;
  }
  return out;
}

export interface PrepareOptions {
  readonly quick: boolean;
  /** Epoch cap per task (early stopping still applies). */
  readonly epochs: { readonly classify: number; readonly other: number };
  /** Training backend, forced: TF.js has one global backend and the TF.js timings switch it. */
  readonly backend: BackendName;
}

/** Trains, exports and quantises one shipped recipe; logs one line per stage to stderr. */
export async function prepareModel(name: string, o: PrepareOptions): Promise<PreparedModel> {
  const shipped = resolveRecipe(name);
  const epochs = Math.min(shipped.training.epochs, shipped.task === 'classify' ? o.epochs.classify : o.epochs.other);
  const recipe: Recipe = { ...shipped, training: { ...shipped.training, epochs } };
  const unit = recipe.input.features.every((f) => (PUMP_FEATURES as readonly string[]).includes(f)) ? UNITS.pump
    : recipe.input.features.every((f) => (HVAC_FEATURES as readonly string[]).includes(f)) ? UNITS.hvac : null;

  let rows: TrainingRows;
  let source: string;
  if (recipe.task === 'classify') {
    const g = generatePumpStates({ seed: 7, ...(o.quick ? { rounds: 3 } : {}) });
    rows = g.data;
    source = `sim:pump-states (${g.devices.length} pumps, ${g.data.timestamps.length} readings, classes ${g.classes.join('/')})`;
  } else if (unit) {
    const devices = 4;
    const perDevice = o.quick ? 1440 : 2880;
    rows = healthyRows(unit, devices, perDevice);
    source = `simulated healthy ${unit.kind}s (${devices} × ${perDevice} readings at 60 s)`;
  } else {
    ({ rows, source } = nabRows());
  }

  const t0 = performance.now();
  let lastEpoch = 0;
  const trained = await trainRecipe(recipe, rows, {
    backend: o.backend,
    onProgress: (p) => {
      lastEpoch = p.epoch;
      if (recipe.task === 'classify' || p.epoch === p.epochs) say(`    ${name}: epoch ${p.epoch}/${p.epochs} loss ${p.loss.toFixed(4)}${p.valLoss === undefined ? '' : ` val ${p.valLoss.toFixed(4)}`} (${Math.round(p.samplesPerSecond)} samples/s on ${p.backend})`);
    },
  });
  const trainMs = performance.now() - t0;
  const fp32 = exportOnnx(trained.graph);

  // Calibration: the most recent training windows (the data the model sees next is most like them).
  const [nTrain, ...sample] = trained.train.x.shape as number[];
  const per = sample.reduce((a, b) => a * b, 1);
  const take = Math.min(nTrain!, recipe.quantisation?.calibrationWindows ?? 512);
  const calib = { data: trained.train.x.data.subarray((nTrain! - take) * per), shape: [take, ...sample] };
  const q0 = performance.now();
  const q = await quantiseStatic(fp32, calib, {
    method: recipe.quantisation?.calibration ?? 'minmax',
    ...(recipe.quantisation?.percentile !== undefined ? { percentile: recipe.quantisation.percentile } : {}),
  });
  const quantiseMs = performance.now() - q0;

  const testN = trained.test.x.shape[0]!;
  let evalSet: TestSet;
  let heldOut: string;
  let classes = 0;
  if (recipe.task === 'classify') {
    classes = trained.test.y.shape[1]!;
    evalSet = { x: trained.test.x.data, xShape: trained.test.x.shape, labels: argmaxRows(trained.test.y.data, classes) };
    heldOut = `${testN} test-split windows (labelled)`;
  } else if (recipe.task === 'anomaly' && unit) {
    const f = faultWindows(unit, trained.preprocess, 4, o.quick ? 1440 : 2880);
    const x = concat([trained.test.x.data, ...f.x]);
    const labels = [...new Array<number>(testN).fill(0), ...f.labels];
    evalSet = { x, xShape: [labels.length, ...sample], labels };
    heldOut = `${testN} test-split windows (normal) + ${f.labels.length} windows of 4 other ${unit.kind}s with a scripted failure in their second half (${f.labels.filter((l) => l === 1).length} labelled anomalous)`;
  } else if (recipe.task === 'forecast') {
    evalSet = { x: trained.test.x.data, xShape: trained.test.x.shape, y: trained.test.y.data };
    heldOut = `${testN} test-split windows with their next readings`;
  } else {
    evalSet = { x: trained.test.x.data, xShape: trained.test.x.shape };
    heldOut = `${testN} test-split windows (unlabelled)`;
  }
  say(`    ${name}: trained ${lastEpoch} epochs (best ${trained.bestEpoch}${trained.stoppedEarly ? ', stopped early' : ''}) on ${trained.backend} in ${(trainMs / 1000).toFixed(1)} s; `
    + `fp32 ${fp32.length} B, int8 ${q.model.length} B (${q.report.quantisedNodes} nodes quantised, ${q.report.floatNodes} float)`);
  return {
    recipe, trained, fp32, int8: q.model, quant: q.report, evalSet,
    dataNote: `trained on ${source}, ${lastEpoch} epoch(s); held out: ${heldOut}`,
    trainMs, quantiseMs, classes,
  };
}
