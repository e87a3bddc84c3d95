/**
 * The windows of an uploaded model's stored data, cut by the spec that came with the model.
 * Not the trainer's buildDataset: that fits a new spec on its train split, while an upload must be
 * fed exactly as its own spec says. Windows never cross from one device into the next.
 */
import { EdgehiveError } from '../../shared/errors/index.ts';
import { transformRows, type PreprocessSpec } from '../../shared/features/index.ts';
import type { TestSet } from '../evaluate/index.ts';
import { planModel } from '../model/plan.ts';
import type { Recipe } from '../recipes/schema.ts';
import { segmentRanges, selectColumns, type TrainingRows } from '../trainer/dataset.ts';

/** Newest windows used at most (bounds memory on a long history with a short stride). */
const MAX_WINDOWS = 4096;

export interface Windows {
  readonly x: Float32Array;
  readonly n: number;
  /** forecast: [n, horizon·targets]; classify: class index per window. */
  readonly y?: Float32Array;
  readonly labels?: Int32Array;
  /** Timestamp of each window's last reading. */
  readonly ts: Float64Array;
}

/** The spec's windows of the stored rows, per series (never across devices), oldest first; targets by task. */
export function buildWindows(recipe: Recipe, spec: PreprocessSpec, rows: TrainingRows): Windows {
  const L = spec.window.length;
  const stride = spec.window.stride;
  const nf = spec.features.length;
  const plan = planModel(recipe);
  const H = recipe.task === 'forecast' ? plan.horizon : 0;
  const label = recipe.task === 'classify' ? selectColumns(rows, [recipe.target!.label!]) : null;
  const x64 = selectColumns(rows, spec.features);
  const refs: Array<{ seg: number; start: number; ts: number; cls: number }> = [];
  const ranges = segmentRanges(rows);
  ranges.forEach(([s, e], seg) => {
    for (let start = s; start + L + H <= e; start += stride) {
      const last = start + L - 1;
      let cls = 0;
      if (label) {
        const v = label[last]!;
        if (Number.isNaN(v)) continue;
        if (!Number.isInteger(v) || v < 0 || v >= plan.classes.length) {
          throw new EdgehiveError('EH_DATA_INSUFFICIENT', `label column "${recipe.target!.label}" holds ${v} at ${new Date(rows.timestamps[last]!).toISOString()}; expected a class index 0..${plan.classes.length - 1}`);
        }
        cls = v;
      }
      refs.push({ seg, start, ts: rows.timestamps[last]!, cls });
    }
  });
  refs.sort((a, b) => a.ts - b.ts);
  const kept = refs.slice(Math.max(0, refs.length - MAX_WINDOWS));
  const matrices = ranges.map(([s, e]) => {
    const view: Float64Array[] = [];
    for (let r = s; r < e; r++) view.push(x64.subarray(r * nf, (r + 1) * nf));
    return { offset: s, m: transformRows(view, spec) };
  });
  const n = kept.length;
  const x = new Float32Array(n * L * nf);
  const yWidth = H * plan.targetIndices.length;
  const y = recipe.task === 'forecast' ? new Float32Array(n * yWidth) : undefined;
  const labels = recipe.task === 'classify' ? new Int32Array(n) : undefined;
  const ts = new Float64Array(n);
  kept.forEach((w, k) => {
    const { offset, m } = matrices[w.seg]!;
    const at = (w.start - offset) * nf;
    x.set(m.data.subarray(at, at + L * nf), k * L * nf);
    ts[k] = w.ts;
    if (y) {
      for (let h = 0; h < H; h++) {
        const row = at + (L + h) * nf;
        plan.targetIndices.forEach((t, j) => { y[k * yWidth + h * plan.targetIndices.length + j] = m.data[row + t]!; });
      }
    }
    if (labels) labels[k] = w.cls;
  });
  return { x, n, ts, ...(y ? { y } : {}), ...(labels ? { labels } : {}) };
}

/** Windows [from, to) as a test set. */
export function slice(w: Windows, spec: PreprocessSpec, from: number, to: number, yWidth: number): TestSet {
  const per = spec.window.length * spec.features.length;
  return {
    x: w.x.subarray(from * per, to * per),
    xShape: [to - from, spec.window.length, spec.features.length],
    ...(w.y ? { y: w.y.subarray(from * yWidth, to * yWidth) } : {}),
    ...(w.labels ? { labels: w.labels.subarray(from, to) } : {}),
  };
}
