/**
 * The reference statistics a model version carries (`reference-stats.json`, shipped in its
 * bundles as kind `reference-stats`): per-feature histograms, missing rates and ranges of the
 * raw training readings, and the distribution of the model's raw output score. The agent's drift
 * monitor compares live readings with these, so they are taken from what the device will see:
 * raw values (before imputation and normalisation) in the preprocessing spec's feature order.
 */
import { referenceStats, type ReferenceStats } from '../../shared/drift/index.ts';
import type { TimeRange, TrainingRows } from '../trainer/index.ts';

/**
 * Readings past which rows are taken at an even stride: quantile edges and rates of 100 000
 * readings are as good as of millions, and the hub trains while it keeps ingesting.
 */
export const MAX_REFERENCE_ROWS = 100_000;

export interface ReferenceInput {
  readonly rows: TrainingRows;
  /** The spec's feature order. A feature the rows lack counts as always missing. */
  readonly features: readonly string[];
  /** Readings inside this range are the training split's (the held-out splits are newer). */
  readonly range: TimeRange;
  /** The model's raw score per window; null when none was computed. */
  readonly outputScores: ArrayLike<number> | null;
  readonly nowMs?: number;
  readonly maxRows?: number;
}

export function trainingReference(input: ReferenceInput): ReferenceStats {
  const { rows, features, range } = input;
  const width = rows.features.length;
  const column = features.map((f) => rows.features.indexOf(f));
  const valueAt = rowReader(rows.rows, width);
  const inRange: number[] = [];
  for (let i = 0; i < rows.timestamps.length; i++) {
    const t = rows.timestamps[i]!;
    if (t >= range.fromMs && t <= range.toMs) inRange.push(i);
  }
  const take = Math.min(inRange.length, input.maxRows ?? MAX_REFERENCE_ROWS);
  const picked: Float64Array[] = new Array<Float64Array>(take);
  for (let k = 0; k < take; k++) {
    const i = inRange[Math.floor((k * inRange.length) / take)]!;
    const out = new Float64Array(features.length);
    for (let j = 0; j < features.length; j++) out[j] = column[j]! < 0 ? Number.NaN : valueAt(i, column[j]!);
    picked[k] = out;
  }
  const scores = input.outputScores && input.outputScores.length > 0 ? input.outputScores : null;
  return referenceStats(picked, [...features], scores, { ...(input.nowMs !== undefined ? { nowMs: input.nowMs } : {}) });
}

/** Value (row, column) of either row layout TrainingRows allows; non-finite values read as missing. */
function rowReader(data: TrainingRows['rows'], width: number): (row: number, col: number) => number {
  if (data instanceof Float64Array) return (r, c) => data[r * width + c]!;
  return (r, c) => Number(data[r]![c]);
}
