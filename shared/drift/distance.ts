/**
 * Distances between a reference distribution (proportions per bin) and live counts in the same
 * bins. Pure; called at report time, not per reading.
 */
import { EdgehiveError } from '../errors/index.ts';

/** Default floor for PSI shares: 1e-4 (one reading in 10,000). */
export const PSI_EPSILON = 1e-4;

function sumOf(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i] as number;
  return s;
}

function sameLength(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  if (a.length !== b.length) throw new EdgehiveError('EH_BAD_REQUEST', `${what}: the reference has ${a.length} bins but the counts have ${b.length}`);
}

/**
 * Population stability index, Σ (a − e)·ln(a / e) over bins, with e the expected (reference)
 * share and a the actual share (count / total).
 *
 * Both shares are floored at `epsilon` before the sum: a bin empty on either side would make
 * ln(a/e) infinite (or 0·∞), and one empty bin in a small window must not read as infinite
 * drift. With the default 1e-4 an empty actual bin whose reference share is 0.1 adds
 * (1e-4 − 0.1)·ln(1e-3) ≈ 0.69. No readings (total 0) gives 0: no evidence of drift.
 */
export function psi(expected: ArrayLike<number>, actualCounts: ArrayLike<number>, epsilon = PSI_EPSILON): number {
  sameLength(expected, actualCounts, 'psi');
  const total = sumOf(actualCounts);
  if (total <= 0) return 0;
  let s = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.max(expected[i] as number, epsilon);
    const a = Math.max((actualCounts[i] as number) / total, epsilon);
    s += (a - e) * Math.log(a / e);
  }
  return s;
}

/**
 * Kolmogorov–Smirnov distance between the binned distributions: the largest |F_ref − F_actual|
 * of the two cumulative shares at the bin edges (the upper end of every bin but the last, where
 * both are 1). Binning makes it a lower bound of the KS statistic on raw values. In [0, 1];
 * 0 without readings.
 */
export function ksDistance(expected: ArrayLike<number>, actualCounts: ArrayLike<number>): number {
  sameLength(expected, actualCounts, 'ks');
  const total = sumOf(actualCounts);
  if (total <= 0) return 0;
  let fe = 0;
  let fa = 0;
  let d = 0;
  for (let i = 0; i < expected.length - 1; i++) {
    fe += expected[i] as number;
    fa += (actualCounts[i] as number) / total;
    d = Math.max(d, Math.abs(fe - fa));
  }
  return Math.min(1, d);
}

/**
 * Jensen–Shannon distance: the square root of the JS divergence with base-2 logarithms, so it
 * lies in [0, 1] (0: the same distribution, 1: disjoint supports). `p` and `q` may be shares or
 * counts: each is divided by its own sum. Either side empty gives 0 (nothing to compare). Unlike
 * PSI it needs no epsilon: 0·log 0 is taken as 0 and the mixture is never 0 where p or q is not.
 */
export function jsDistance(p: ArrayLike<number>, q: ArrayLike<number>): number {
  sameLength(p, q, 'js');
  const sp = sumOf(p);
  const sq = sumOf(q);
  if (sp <= 0 || sq <= 0) return 0;
  let div = 0;
  for (let i = 0; i < p.length; i++) {
    const a = (p[i] as number) / sp;
    const b = (q[i] as number) / sq;
    const m = (a + b) / 2;
    if (a > 0) div += 0.5 * a * Math.log2(a / m);
    if (b > 0) div += 0.5 * b * Math.log2(b / m);
  }
  // Rounding can leave a tiny negative divergence for identical inputs, or a hair over 1.
  return Math.sqrt(Math.min(1, Math.max(0, div)));
}
