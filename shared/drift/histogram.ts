/**
 * Quantile histograms: the bins both sides share. The hub builds them from training data
 * (reference.ts); the agent counts live readings into the same bins (edge-agent/drift).
 *
 * k interior edges make k + 1 bins: (-inf, e0), [e0, e1), …, [e(k-1), +inf). Open ends mean every
 * finite value has a bin, so a reading outside the training range still counts (and is also
 * counted out of range against FeatureReference.min/max).
 */
import { EdgehiveError } from '../errors/index.ts';
import type { Histogram } from './schema.ts';

/**
 * The bin of `v`: the number of edges ≤ v (binary search, no allocation; the agent calls it for
 * every reading). NaN has no bin; callers count it as missing before calling.
 */
export function binIndex(edges: ArrayLike<number>, v: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((edges[mid] as number) <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Interior edges at the quantiles i/bins (i = 1 … bins-1) of `sorted` (ascending, finite).
 * Edge i is sorted[floor(i·n/bins)], so with distinct values bin i holds exactly the values
 * sorted[floor((i-1)·n/bins)] … sorted[floor(i·n/bins) - 1]. Ties make equal edges; duplicates
 * are removed, and so is an edge equal to the minimum (it would leave bin 0 empty), so every
 * reference bin holds at least one training value and PSI never divides by an empty bin.
 */
export function quantileEdges(sorted: ArrayLike<number>, bins: number): number[] {
  const n = sorted.length;
  const edges: number[] = [];
  if (n === 0) return edges;
  const min = sorted[0] as number;
  for (let i = 1; i < bins; i++) {
    const e = sorted[Math.floor((i * n) / bins)] as number;
    if (e > min && (edges.length === 0 || e > (edges[edges.length - 1] as number))) edges.push(e);
  }
  return edges;
}

/** Counts of `values` (finite) per bin of `edges`. */
export function binCounts(edges: ArrayLike<number>, values: ArrayLike<number>): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (let i = 0; i < values.length; i++) {
    const b = binIndex(edges, values[i] as number);
    counts[b] = (counts[b] as number) + 1;
  }
  return counts;
}

/**
 * The quantile histogram of the finite values in `values` (others are ignored). With no finite
 * value it is one bin holding everything: nothing can be compared, and PSI/KS against it are 0.
 */
export function quantileHistogram(values: ArrayLike<number>, bins: number): { histogram: Histogram; samples: number; min: number; max: number } {
  if (!Number.isInteger(bins) || bins < 1 || bins > 256) throw new EdgehiveError('EH_BAD_REQUEST', `histogram bins must be an integer in 1..256, not ${bins}`);
  const finite: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isFinite(v)) finite.push(v);
  }
  const sorted = Float64Array.from(finite).sort();
  const n = sorted.length;
  if (n === 0) return { histogram: { edges: [], proportions: [1] }, samples: 0, min: Number.NaN, max: Number.NaN };
  const edges = quantileEdges(sorted, bins);
  const proportions = binCounts(edges, sorted).map((c) => c / n);
  return { histogram: { edges, proportions }, samples: n, min: sorted[0] as number, max: sorted[n - 1] as number };
}

/**
 * Checks what the schema cannot: edges strictly increasing and finite, one proportion more than
 * edges, proportions summing to 1 (within rounding). Throws `code` naming `what`.
 */
export function checkHistogram(h: Histogram, what: string, code: 'EH_BAD_REQUEST' | 'EH_BUNDLE_MALFORMED' | 'EH_CONFIG_INVALID' = 'EH_BAD_REQUEST'): void {
  if (h.proportions.length !== h.edges.length + 1) {
    throw new EdgehiveError(code, `${what}: ${h.edges.length} edges need ${h.edges.length + 1} proportions, not ${h.proportions.length}`);
  }
  for (let i = 0; i < h.edges.length; i++) {
    const e = h.edges[i] as number;
    if (!Number.isFinite(e) || (i > 0 && e <= (h.edges[i - 1] as number))) throw new EdgehiveError(code, `${what}: edges must be finite and strictly increasing (edge ${i} is ${e})`);
  }
  const sum = h.proportions.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > 1e-6) throw new EdgehiveError(code, `${what}: proportions sum to ${sum}, not 1`);
}
