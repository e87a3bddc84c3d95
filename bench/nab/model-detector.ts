/**
 * The real NAB detector: the loop `edgehive detect` runs, on one series.
 *
 *  1. The agent streams rows; the first 15 % (NAB's probationary period) are the only rows the
 *     hub ever trains on: `trainRecipe` fits the preprocessing spec and the model on them.
 *  2. The hub exports the graph to ONNX (fp32) and, for 'int8', quantises it statically,
 *     calibrated on windows of those same rows.
 *  3. The agent's ModelRunner turns every row into a raw score (forecast: squared residual of the
 *     one-step forecast once the reading arrives; anomaly: reconstruction error of the window
 *     that ends at the row): row t's score depends on rows ≤ t only.
 *  4. The score normaliser (bench/nab/score-normaliser.ts) is calibrated with the model's raw
 *     scores on the probationary rows (rows the agent has already seen and the model was trained
 *     on) and then turns each later raw score into its conformal rank among the last `history`
 *     raw scores, with suppression after a detection. Probationary rows score 0.
 *
 * Nothing here looks at labels, and the settings are the same for every file.
 */
import { exportOnnx } from '../../cloud-hub/export/index.ts';
import { quantiseStatic } from '../../cloud-hub/quantise/index.ts';
import type { Recipe } from '../../cloud-hub/recipes/index.ts';
import { trainRecipe } from '../../cloud-hub/trainer/index.ts';
import { ModelRunner, type TaskKind } from '../../edge-agent/runtime/index.ts';
import { EdgehiveError } from '../../shared/errors/index.ts';
import { windows, type PreprocessSpec } from '../../shared/features/index.ts';
import { OnnxSession } from '../../shared/inference/index.ts';
import type { Detector } from './detectors.ts';
import { normaliseRawScores, type ScoreNormaliserOptions } from './score-normaliser.ts';

export type Precision = 'fp32' | 'int8';

export interface ModelDetectorOptions {
  readonly normaliser?: ScoreNormaliserOptions;
  /** Called once per file with what the hub produced (sizes, timings), for the bench's notes. */
  readonly onModel?: (info: ModelInfo) => void;
}

export interface ModelInfo {
  readonly trainRows: number;
  readonly fp32Bytes: number;
  readonly int8Bytes?: number;
  readonly trainMs: number;
  readonly bestEpoch: number;
}

/** What the hub hands the agent for one series: the spec and both precisions of one trained model. */
export interface BuiltModels {
  readonly spec: PreprocessSpec;
  readonly fp32: Uint8Array;
  readonly int8: Uint8Array;
  readonly info: ModelInfo;
}

/**
 * Hub side: train on the first `trainRows` rows only, export (fp32), quantise statically (int8)
 * with calibration windows taken from those same rows.
 */
export async function buildModels(recipe: Recipe, timestamps: ArrayLike<number>, values: ArrayLike<number>, trainRows: number): Promise<BuiltModels> {
  const rows = Array.from({ length: trainRows }, (_, i) => [values[i] as number]);
  const t0 = performance.now();
  const trained = await trainRecipe(recipe, { features: ['value'], timestamps: Array.from({ length: trainRows }, (_, i) => timestamps[i] as number), rows });
  const trainMs = performance.now() - t0;
  const fp32 = exportOnnx(trained.graph);
  const win = windows(rows, trained.preprocess);
  const [n, length, nf] = win.shape;
  const take = Math.min(n, recipe.quantisation?.calibrationWindows ?? 512);
  // The most recent windows: the data the model will see next is most like them.
  const calib = { data: win.data.subarray((n - take) * length * nf), shape: [take, length, nf] };
  const q = await quantiseStatic(fp32, calib, { method: recipe.quantisation?.calibration ?? 'minmax', ...(recipe.quantisation?.percentile ? { percentile: recipe.quantisation.percentile } : {}) });
  return { spec: trained.preprocess, fp32, int8: q.model, info: { trainRows, fp32Bytes: fp32.length, int8Bytes: q.model.length, trainMs, bestEpoch: trained.bestEpoch } };
}

/** Agent side: raw score per row from the model (NaN where the model has none yet). */
export async function modelRawScores(bytes: Uint8Array, spec: PreprocessSpec, task: TaskKind, values: ArrayLike<number>): Promise<Float64Array> {
  const session = await OnnxSession.load(bytes);
  try {
    const runner = new ModelRunner(session, spec, { task, batchSize: 256 });
    // scoreRows is the batch form of pushing the rows one by one (same scores, tested in
    // agent-runtime.test.ts); every row's score depends on rows up to it only.
    const rows = Array.from({ length: values.length }, (_, i) => [values[i] as number]);
    return (await runner.scoreRows(rows)).scores;
  } finally {
    await session.close();
  }
}

/** A file's identity for sharing one training between the fp32 and int8 detectors. */
function seriesKey(series: { timestamps: ArrayLike<number>; values: ArrayLike<number> }): string {
  let h = 0;
  for (let i = 0; i < series.values.length; i++) h = (h * 31 + Math.round((series.values[i] as number) * 1e6)) % 2147483647;
  return `${series.timestamps[0]}:${series.values.length}:${h}`;
}

/**
 * The real detector for one precision. Detectors made by one `modelDetectors` call share the
 * training: each file is trained once, and the fp32 and int8 detectors score the same model.
 */
export function modelDetectors(recipe: Recipe, options: ModelDetectorOptions = {}): Record<Precision, Detector> {
  if (recipe.task === 'classify') throw new EdgehiveError('EH_CONFIG_INVALID', `NAB needs an anomaly or forecast recipe; ${recipe.name} is a classifier`);
  const task = recipe.task;
  const built = new Map<string, { models: Promise<BuiltModels>; served: Set<Precision> }>();
  const make = (precision: Precision): Detector => async (series, { probationRows }) => {
    const key = `${seriesKey(series)}:${probationRows}`;
    let entry = built.get(key);
    if (entry === undefined) {
      entry = { models: buildModels(recipe, series.timestamps, series.values, probationRows), served: new Set() };
      built.set(key, entry);
      options.onModel?.((await entry.models).info);
    }
    const m = await entry.models;
    // Each file is asked for once per precision: forget it once both have had it.
    entry.served.add(precision);
    if (entry.served.size === 2) built.delete(key);
    const raw = await modelRawScores(m[precision], m.spec, task, series.values);
    return normaliseRawScores(raw, probationRows, options.normaliser);
  };
  return { fp32: make('fp32'), int8: make('int8') };
}
