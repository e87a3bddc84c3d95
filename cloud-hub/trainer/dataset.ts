/**
 * Training data → the tensors a recipe trains and is tested on. The preprocessing spec is fitted
 * on the rows the TRAIN windows cover and nothing else, then applied to every split (as the agent
 * will apply it to live readings). Targets per task:
 *  - anomaly:  y = x (the autoencoder reconstructs its window);
 *  - forecast: y = the next `horizon` normalised rows of the target features after the window,
 *              flattened [horizon, targets]; windows whose future is not in the data are dropped;
 *  - classify: y = one-hot of the label column at the window's last row; windows whose label is
 *              missing are dropped.
 * Windows never cross from one series (device) into the next.
 */
import { EdgehiveError } from '../../shared/errors/index.ts';
import { fitPreprocess, transformRows, type FeatureMatrix, type ImputationOption, type PreprocessSpec } from '../../shared/features/index.ts';
import type { ModelPlan } from '../model/plan.ts';
import type { Recipe } from '../recipes/schema.ts';
import { splitFractions } from '../recipes/validate.ts';
import type { SampleTensor } from './engine-api.ts';
import { splitWindows, type WindowRef } from './split.ts';

/** Readings in time order; row i is at `timestamps[i]`, NaN marks a missing value. */
export interface TrainingRows {
  readonly features: readonly string[];
  readonly timestamps: ArrayLike<number>;
  /** Row-major Float64Array (rows × features), or one array per row. */
  readonly rows: Float64Array | readonly ArrayLike<number>[];
  /** First row of each independent series (device), ascending from 0; absent: one series. */
  readonly segments?: readonly number[];
}

export interface TimeRange { readonly fromMs: number; readonly toMs: number }

export interface DatasetPart extends TimeRange {
  readonly x: SampleTensor;
  readonly y: SampleTensor;
  readonly windows: number;
}

export interface Dataset {
  readonly spec: PreprocessSpec;
  readonly train: DatasetPart;
  readonly validation: DatasetPart | null;
  readonly test: DatasetPart;
  /** The readings the kept windows span. */
  readonly dataRange: TimeRange & { readonly rows: number };
  readonly purged: number;
  readonly droppedOldest: number;
}

export function rowCount(data: TrainingRows): number {
  return data.timestamps.length;
}

/** Copies the named columns (in that order) into a row-major Float64Array. */
export function selectColumns(data: TrainingRows, names: readonly string[]): Float64Array {
  const idx = names.map((n) => {
    const i = data.features.indexOf(n);
    if (i < 0) throw new EdgehiveError('EH_DATA_INSUFFICIENT', `the data has no column "${n}" that the recipe needs; it has: ${data.features.join(', ') || '(none)'}`);
    return i;
  });
  const n = rowCount(data);
  const width = data.features.length;
  const out = new Float64Array(n * names.length);
  const flat = data.rows instanceof Float64Array ? data.rows : null;
  if (flat && flat.length !== n * width) throw new EdgehiveError('EH_BAD_REQUEST', `training rows hold ${flat.length} values, ${n} rows × ${width} features need ${n * width}`);
  for (let r = 0; r < n; r++) {
    const row = flat ? null : (data.rows as readonly ArrayLike<number>[])[r];
    if (row && row.length !== width) throw new EdgehiveError('EH_BAD_REQUEST', `training row ${r} has ${row.length} values for ${width} features`);
    for (let j = 0; j < idx.length; j++) out[r * names.length + j] = flat ? (flat[r * width + (idx[j] as number)] as number) : (row![idx[j] as number] as number);
  }
  return out;
}

/** [start, end) row ranges of the series; checks each is in time order. */
export function segmentRanges(data: TrainingRows): Array<[number, number]> {
  const n = rowCount(data);
  const starts = data.segments && data.segments.length > 0 ? data.segments : [0];
  const out: Array<[number, number]> = starts.map((s, k) => [s, k + 1 < starts.length ? (starts[k + 1] as number) : n]);
  out.forEach(([s, e], k) => {
    if (s > e || (k === 0 && s !== 0)) throw new EdgehiveError('EH_BAD_REQUEST', `series starts must ascend from row 0, got ${JSON.stringify(starts)}`);
    for (let r = s + 1; r < e; r++) {
      if ((data.timestamps[r] as number) < (data.timestamps[r - 1] as number)) {
        throw new EdgehiveError('EH_BAD_REQUEST', `training rows are not in time order at row ${r} (series ${k}); sort the readings by timestamp`);
      }
    }
  });
  return out;
}

function imputationOption(r: Recipe): ImputationOption {
  const imp = r.input.imputation ?? 'last';
  return typeof imp === 'string' ? { method: imp } : { method: 'constant', value: imp.constant };
}

function rowViews(flat: Float64Array, nf: number, from: number, to: number): Float64Array[] {
  const out: Float64Array[] = [];
  for (let r = from; r < to; r++) out.push(flat.subarray(r * nf, (r + 1) * nf));
  return out;
}

/** Checks a label value and returns its class index, or -1 when it is missing. */
function classIndex(v: number, classes: number, row: number, tsMs: number, label: string): number {
  if (Number.isNaN(v)) return -1;
  if (!Number.isInteger(v) || v < 0 || v >= classes) {
    throw new EdgehiveError('EH_BAD_REQUEST', `label column "${label}" holds ${v} at row ${row} (${new Date(tsMs).toISOString()}); expected a class index 0..${classes - 1}`);
  }
  return v;
}

/** Min and max of f over a list, without spreading it into arguments (lists can be long). */
function extent<T>(list: readonly T[], f: (v: T) => number): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of list) {
    const x = f(v);
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return [lo, hi];
}

/** Transformed rows of one series from `offset` on, built lazily and once. */
interface SeriesMatrix { readonly offset: number; readonly matrix: FeatureMatrix }

export function buildDataset(recipe: Recipe, data: TrainingRows, plan: ModelPlan): Dataset {
  const inputs = recipe.input.features;
  const nf = inputs.length;
  const { length: L, stride } = recipe.input.window;
  const H = recipe.task === 'forecast' ? plan.horizon : 0;
  const x64 = selectColumns(data, inputs);
  const label = recipe.task === 'classify' ? selectColumns(data, [recipe.target!.label!]) : null;
  const nClasses = plan.classes.length;
  const ts = data.timestamps;

  const candidates: Array<WindowRef & { cls: number }> = [];
  const ranges = segmentRanges(data);
  ranges.forEach(([s, e], seg) => {
    for (let start = s; start + L + H <= e; start += stride) {
      const last = start + L - 1;
      const cls = label ? classIndex(label[last] as number, nClasses, last, ts[last] as number, recipe.target!.label!) : 0;
      if (cls < 0) continue;
      candidates.push({ segment: seg, start, end: start + L + H, tsMs: ts[last] as number, cls });
    }
  });

  const split = splitWindows(candidates, splitFractions(recipe), {
    maxWindows: recipe.training.maxWindows,
    describe: `${rowCount(data)} readings, window ${L}, stride ${stride}${H ? `, horizon ${H}` : ''}`,
  });

  // Fit on the rows the train windows cover, per series, and nothing else.
  const fitRows: Float64Array[] = [];
  ranges.forEach((_, seg) => {
    const own = split.train.filter((w) => w.segment === seg);
    if (own.length === 0) return;
    for (const row of rowViews(x64, nf, extent(own, (w) => w.start)[0], extent(own, (w) => w.end)[1])) fitRows.push(row);
  });
  const spec = fitPreprocess(fitRows, {
    features: inputs,
    imputation: imputationOption(recipe),
    normalisation: recipe.input.normalisation ?? 'zscore',
    window: recipe.input.window,
  });

  // Transform each series once, from its first kept window on (a fresh stream, as on the agent).
  const all = [...split.train, ...split.validation, ...split.test];
  const series = new Map<number, SeriesMatrix>();
  ranges.forEach((_, seg) => {
    const own = all.filter((w) => w.segment === seg);
    if (own.length === 0) return;
    const from = extent(own, (w) => w.start)[0];
    const to = extent(own, (w) => w.end)[1];
    series.set(seg, { offset: from, matrix: transformRows(rowViews(x64, nf, from, to), spec) });
  });

  const part = (windows: readonly WindowRef[]): DatasetPart => {
    const n = windows.length;
    const x = new Float32Array(n * L * nf);
    const yWidth = plan.outputShape.reduce((a, b) => a * b, 1);
    const y = recipe.task === 'anomaly' ? x : new Float32Array(n * yWidth);
    windows.forEach((w, k) => {
      const { offset, matrix } = series.get(w.segment)!;
      const at = (w.start - offset) * nf;
      x.set(matrix.data.subarray(at, at + L * nf), k * L * nf);
      if (recipe.task === 'forecast') {
        const t = plan.targetIndices;
        for (let h = 0; h < H; h++) {
          const row = (w.start - offset + L + h) * nf;
          for (let j = 0; j < t.length; j++) y[k * yWidth + h * t.length + j] = matrix.data[row + (t[j] as number)] as number;
        }
      } else if (recipe.task === 'classify') {
        y[k * yWidth + (w as WindowRef & { cls: number }).cls] = 1;
      }
    });
    return {
      x: { data: x, shape: [n, L, nf] },
      y: { data: y, shape: [n, ...plan.outputShape] },
      windows: n,
      fromMs: n === 0 ? NaN : extent(windows, (w) => ts[w.start] as number)[0],
      toMs: n === 0 ? NaN : extent(windows, (w) => ts[w.end - 1] as number)[1],
    };
  };

  const train = part(split.train);
  const validation = split.validation.length > 0 ? part(split.validation) : null;
  const test = part(split.test);
  let rows = 0;
  for (const s of series.values()) rows += s.matrix.shape[0];
  return {
    spec,
    train,
    validation,
    test,
    dataRange: { fromMs: Math.min(train.fromMs, test.fromMs), toMs: Math.max(train.toMs, test.toMs), rows },
    purged: split.purged,
    droppedOldest: split.droppedOldest,
  };
}
