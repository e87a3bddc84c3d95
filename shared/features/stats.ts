/**
 * Per-feature statistics of training rows: the numbers `fit.ts` turns into a spec. Pure and
 * deterministic: values are visited in row order, quantiles come from a sorted copy.
 */
import type { FeatureStats } from './spec-schema.ts';

/** A reading's value is missing when it is NaN (the wire's marker) or, defensively, infinite. */
export function isMissing(x: number): boolean {
  return !Number.isFinite(x);
}

/**
 * Quantile `p` (0..1) of ascending `sorted` by linear interpolation between order statistics at
 * position p·(n−1) (numpy's default "linear" method). 0 for an empty array.
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const pos = p * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo] as number;
  const frac = pos - lo;
  return frac === 0 ? a : a + ((sorted[hi] as number) - a) * frac;
}

/**
 * Statistics of column `column` of `rows`, ignoring missing values. Mean and population std
 * (divide by n) by two passes; a column whose observed values are all equal gets std 0 and
 * mean equal to that value exactly (summation error cannot make a constant column look
 * variable). With no observed value every statistic is 0 and `count` says so.
 */
export function featureStats(rows: readonly ArrayLike<number>[], column: number): FeatureStats {
  const observed = new Float64Array(rows.length);
  let count = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const row of rows) {
    const x = row[column] as number;
    if (isMissing(x)) continue;
    observed[count++] = x;
    sum += x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const missing = rows.length - count;
  if (count === 0) return { count, missing, mean: 0, std: 0, min: 0, max: 0, q1: 0, median: 0, q3: 0, iqr: 0 };

  const values = observed.subarray(0, count);
  let mean = sum / count;
  let std = 0;
  if (min === max) {
    mean = min;
  } else {
    let ss = 0;
    for (const x of values) ss += (x - mean) * (x - mean);
    std = Math.sqrt(ss / count);
  }
  values.sort(); // typed-array sort is numeric
  const q1 = quantileSorted(values, 0.25);
  const median = quantileSorted(values, 0.5);
  const q3 = quantileSorted(values, 0.75);
  return { count, missing, mean, std, min, max, q1, median, q3, iqr: q3 - q1 };
}
