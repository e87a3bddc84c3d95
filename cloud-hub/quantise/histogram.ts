/**
 * Range observers for calibration, pure over Float32Arrays.
 *
 * Percentile calibration works on |x| rather than on the signed distribution: the recipe's
 * `percentile` is "the kept share of |activation| values", one number for both tails, and the
 * clip a = P(|x|) is then applied only to the side that exceeds it. A one-sided tensor (Relu
 * output, [0, max]) thus keeps its floor at exactly 0, and a tensor with a single far outlier on
 * one side loses that outlier without the other side being narrowed.
 */

export interface Range { min: number; max: number }

export class MinMaxObserver {
  min = Infinity;
  max = -Infinity;

  observe(data: Float32Array): void {
    let lo = this.min;
    let hi = this.max;
    for (let i = 0; i < data.length; i++) {
      const v = data[i] as number;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    this.min = lo;
    this.max = hi;
  }

  range(): Range {
    return Number.isFinite(this.min) ? { min: this.min, max: this.max } : { min: 0, max: 0 };
  }
}

/**
 * A fixed-width histogram of |x| over [0, maxAbs] (maxAbs known from a min/max pass first; two
 * passes over a few hundred calibration windows cost less than an adaptive re-binning scheme).
 */
export class AbsHistogram {
  readonly counts: Float64Array;
  readonly maxAbs: number;
  total = 0;

  constructor(maxAbs: number, bins = 2048) {
    this.maxAbs = maxAbs;
    this.counts = new Float64Array(bins);
  }

  observe(data: Float32Array): void {
    const bins = this.counts.length;
    if (!(this.maxAbs > 0)) {
      this.counts[0] = (this.counts[0] ?? 0) + data.length;
      this.total += data.length;
      return;
    }
    const k = bins / this.maxAbs;
    for (let i = 0; i < data.length; i++) {
      const b = Math.min(bins - 1, Math.floor(Math.abs(data[i] as number) * k));
      this.counts[b] = (this.counts[b] ?? 0) + 1;
    }
    this.total += data.length;
  }

  /** The |x| below which `percent` % of the observed values lie (upper edge of that bin). */
  percentile(percent: number): number {
    if (this.total === 0 || !(this.maxAbs > 0)) return 0;
    const want = (percent / 100) * this.total;
    let seen = 0;
    for (let b = 0; b < this.counts.length; b++) {
      seen += this.counts[b] ?? 0;
      if (seen >= want) return ((b + 1) / this.counts.length) * this.maxAbs;
    }
    return this.maxAbs;
  }
}

/** Clips an observed range to ±a on whichever side exceeds it. */
export function clipRange(r: Range, a: number): Range {
  return { min: Math.max(r.min, -a), max: Math.min(r.max, a) };
}
